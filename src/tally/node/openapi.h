// The OpenAPI 3.1 document a node serves at /openapi.json: every route of its router, with its
// parameters, request body, and every response it can give (problem+json for errors, RFC 9457).
// Built from the router itself, so a route cannot exist without being described (a test checks
// that each described path answers, and that each answer leaks nothing secret).
#ifndef TALLY_NODE_OPENAPI_H_
#define TALLY_NODE_OPENAPI_H_

#include <string>

#include "tally/server/router.h"

namespace tally::node {

std::string BuildOpenApi(const server::Router& router, const std::string& node_name);

}  // namespace tally::node

#endif  // TALLY_NODE_OPENAPI_H_
