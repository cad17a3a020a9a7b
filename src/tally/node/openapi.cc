#include "tally/node/openapi.h"

#include <nlohmann/json.hpp>

namespace tally::node {
namespace {

using nlohmann::json;

json ProblemResponse(const std::string& what) {
  return {
      {"description", what},
      {"content",
       {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

json Content(const std::string& type, const std::string& what) {
  return {{"description", what}, {"content", {{type, {{"schema", {{"type", "string"}}}}}}}};
}

// What each route takes and answers, beyond its method and summary.
json Describe(const server::Route& r, std::string& path_out) {
  json op;
  op["summary"] = r.summary;
  json responses;
  path_out = r.path;
  if (r.path == "/checkpoint") {
    responses["200"] = Content("text/plain; charset=utf-8", "The signed checkpoint note");
  } else if (r.path == "/tile/") {
    path_out = "/tile/{tile_path}";
    op["parameters"] = json::array(
        {{{"name", "tile_path"},
          {"in", "path"},
          {"required", true},
          {"description",
           "<L>/<N>[.p/<W>] or entries/<N>[.p/<W>], N in 3-digit groups (x001/x234/067); "
           "slashes are part of the value (c2sp.org/tlog-tiles)"},
          {"schema", {{"type", "string"}}}}});
    responses["200"] = Content("application/octet-stream", "A hash tile or an entry bundle");
  } else if (r.path == "/add-checkpoint") {
    op["requestBody"] = {{"required", true},
                         {"content",
                          {{"text/plain",
                            {{"schema",
                              {{
                                   "type",
                                   "string",
                               },
                               {"description",
                                "old <size>, proof lines, empty line, "
                                "signed checkpoint (c2sp.org/tlog-witness)"}}}}}}}};
    responses["200"] = Content("text/plain; charset=utf-8", "The cosignature/v1 line");
    responses["400"] = ProblemResponse("Malformed body, or old size above the new size");
    responses["403"] = ProblemResponse("No valid signature by the origin's log key");
    responses["409"] = Content("text/x.tlog.size", "The size this witness holds");
    responses["413"] = ProblemResponse("Body too large");
    responses["422"] = ProblemResponse("The consistency proof does not verify");
  } else if (r.path == "/inbox/") {
    path_out = "/inbox/{from}";
    op["parameters"] = json::array({{{"name", "from"},
                                     {"in", "path"},
                                     {"required", true},
                                     {"description", "The sending party; must be the signer"},
                                     {"schema", {{"type", "string"}}}}});
    op["requestBody"] = {
        {"required", true},
        {"content", {{"application/octet-stream", {{"schema", {{"type", "string"}}}}}}}};
    op["security"] = json::array({{{"rfc9421", json::array()}}});
    responses["201"] = {{"description", "Stored: {from, sha256, bytes}"},
                        {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    responses["401"] = ProblemResponse("Unsigned, badly signed, stale or replayed");
    responses["403"] = ProblemResponse("Signed by another party than the path names");
    responses["413"] = ProblemResponse("Body too large");
  } else if (r.path == "/alarms") {
    responses["200"] = {{"description", "Alarms, each with both signed checkpoints"},
                        {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  } else {
    responses["200"] = {{"description", "A JSON document"},
                        {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  }
  if (!responses.contains("404")) responses["404"] = ProblemResponse("No such resource");
  responses["default"] = ProblemResponse("Any other error (RFC 9457 problem details)");
  op["responses"] = responses;
  return op;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string BuildOpenApi(const server::Router& router, const std::string& node_name) {
  json paths = json::object();
  for (const auto& r : router.routes()) {
    std::string path;
    json op = Describe(r, path);
    paths[path][Lower(r.method)] = op;
  }
  paths["/openapi.json"]["get"] = {
      {"summary", "This document"},
      {"responses",
       {{"200",
         {{"description", "OpenAPI 3.1"},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}}}};
  json doc{{"openapi", "3.1.0"},
           {"info",
            {{"title", "tallyd node API"},
             {"version", "1"},
             {"description", "The node of " + node_name + " (docs/formats/node-api.md)"}}},
           {"paths", paths},
           {"security", json::array()},
           {"components",
            {{"securitySchemes",
              {{"rfc9421",
                {{"type", "apiKey"},
                 {"in", "header"},
                 {"name", "Signature"},
                 {"description",
                  "RFC 9421 HTTP Message Signature (Ed25519, the sender's node_key): "
                  "Signature-Input, Signature, Content-Digest (docs/formats/node-api.md)"}}}}},
             {"schemas",
              {{"Problem",
                {{"type", "object"},
                 {"required", json::array({"type", "title", "status", "detail"})},
                 {"properties",
                  {{"type", {{"type", "string"}}},
                   {"title", {{"type", "string"}}},
                   {"status", {{"type", "integer"}}},
                   {"detail", {{"type", "string"}}},
                   {"field",
                    {{"type", "string"}, {"description", "The request field at fault"}}}}}}}}}}}};
  return doc.dump(2);
}

}  // namespace tally::node
