// RFC 9457 problem details: every error a tally server answers is an
// `application/problem+json` document {"type","title","status","detail"[, "field"]}.
//
// `type` is a URI naming the kind of problem, relative to the node's documentation
// ("/problems/<code>", e.g. "/problems/invalid_argument"); `field` (an extension member) names
// the request field at fault when there is one, e.g. "body.old" or "header.signature-input".
// ProblemFor maps a Status through the project's one table (base/status.h, HttpStatusFor).
// Thread safety: reentrant.
#ifndef TALLY_SERVER_PROBLEM_H_
#define TALLY_SERVER_PROBLEM_H_

#include <string>
#include <string_view>

#include "tally/base/status.h"
#include "tally/server/http_message.h"

namespace tally::server {

HttpResponse Problem(int status, std::string_view code, std::string_view detail,
                     std::string_view field = "");
// The problem for a non-OK Status; `field` as above.
HttpResponse ProblemFor(const Status& status, std::string_view field = "");

}  // namespace tally::server

#endif  // TALLY_SERVER_PROBLEM_H_
