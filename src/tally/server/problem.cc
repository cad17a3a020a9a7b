#include "tally/server/problem.h"

#include <nlohmann/json.hpp>

namespace tally::server {

HttpResponse Problem(int status, std::string_view code, std::string_view detail,
                     std::string_view field) {
  nlohmann::json doc{{"type", "/problems/" + std::string(code)},
                     {"title", std::string(ReasonPhrase(status))},
                     {"status", status},
                     {"detail", std::string(detail)}};
  if (!field.empty()) doc["field"] = std::string(field);
  // Invalid UTF-8 in a detail (an echoed input) is replaced rather than thrown on.
  return HttpResponse::Text(status,
                            doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                            "application/problem+json");
}

HttpResponse ProblemFor(const Status& status, std::string_view field) {
  return Problem(HttpStatusFor(status.code()), StatusCodeName(status.code()), status.message(),
                 field);
}

}  // namespace tally::server
