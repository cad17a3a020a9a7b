#include "tally/server/router.h"

#include "tally/server/problem.h"

namespace tally::server {

void Router::Add(std::string method, std::string path, Handler handler, RouteOptions options,
                 std::string summary) {
  routes_.push_back(
      {std::move(method), std::move(path), false, options, std::move(handler), std::move(summary)});
}

void Router::AddPrefix(std::string method, std::string prefix, Handler handler,
                       RouteOptions options, std::string summary) {
  routes_.push_back({std::move(method), std::move(prefix), true, options, std::move(handler),
                     std::move(summary)});
}

Router::MatchResult Router::Match(std::string_view method, std::string_view path) const {
  const Route* best = nullptr;
  std::string allow;
  size_t best_len = 0;
  bool path_known = false;
  for (const auto& r : routes_) {
    const bool hit = r.prefix ? path.starts_with(r.path) : path == r.path;
    if (!hit) continue;
    path_known = true;
    // HEAD is answered by the GET route (the server sends no body).
    const bool method_ok = r.method == method || (method == "HEAD" && r.method == "GET");
    if (!method_ok) {
      if (allow.find(r.method) == std::string::npos)
        allow += (allow.empty() ? "" : ", ") + r.method;
      continue;
    }
    const size_t len = r.prefix ? r.path.size() : path.size() + 1;
    if (!best || len > best_len) {
      best = &r;
      best_len = len;
    }
  }
  MatchResult m;
  if (best) {
    m.route = best;
  } else if (path_known) {
    m.problem = Problem(405, "method_not_allowed",
                        std::string(method) + " is not allowed on " + std::string(path));
    m.problem.Set("allow", allow);
  } else {
    m.problem = Problem(404, "not_found", "no resource at " + std::string(path));
  }
  return m;
}

}  // namespace tally::server
