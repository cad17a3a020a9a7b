// Router: maps a request's method and path to a handler, with each route's limits.
//
// Routes are exact paths ("/checkpoint") or prefixes ("/tile/", matched when the path starts with
// it); the longest matching route wins. A path no route matches gets 404, a known path with
// another method 405 with an Allow header, both as problem+json. Each route says how large a
// body it accepts (0 for GET routes: any body is refused with 413 before it is read) and whether
// its handler blocks (disk syncs, long computations): blocking handlers run on the server's
// worker pool so that they never stall the network threads that serve reads.
// Thread safety: build the router before the server starts; Match is then safe from any thread.
#ifndef TALLY_SERVER_ROUTER_H_
#define TALLY_SERVER_ROUTER_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/server/http_message.h"

namespace tally::server {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct RouteOptions {
  size_t max_body = 0;    // bytes; larger bodies get 413
  bool blocking = false;  // run on the worker pool
};

struct Route {
  std::string method;
  std::string path;  // exact, or a prefix ending in '/' when `prefix`
  bool prefix = false;
  RouteOptions options;
  Handler handler;
  std::string summary;  // one line, for listings and the OpenAPI document
};

class Router {
 public:
  void Add(std::string method, std::string path, Handler handler, RouteOptions options = {},
           std::string summary = "");
  void AddPrefix(std::string method, std::string prefix, Handler handler, RouteOptions options = {},
                 std::string summary = "");

  struct MatchResult {
    const Route* route = nullptr;  // null: `problem` is the answer (404 or 405)
    HttpResponse problem;
  };
  MatchResult Match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace tally::server

#endif  // TALLY_SERVER_ROUTER_H_
