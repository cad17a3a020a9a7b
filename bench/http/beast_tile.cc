// The Boost.Beast prototype of the HTTP-layer choice (docs/architecture.md, "The HTTP layer"):
// tally's own server module (src/tally/server, one Beast event loop per network thread) serving
// one directory's files by path, read on every request as the httplib prototype does.
// Usage: tally_beast_tile DIR PORT_FILE   (listens on 127.0.0.1:0, writes the port to PORT_FILE)
#include <csignal>
#include <cstdio>
#include <fstream>

#include "tally/base/file.h"
#include "tally/server/http_server.h"

int main(int argc, char** argv) {
  using namespace tally::server;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIR PORT_FILE\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  Router router;
  auto serve = [&](const HttpRequest& req) {
    if (req.path.find("..") != std::string::npos) return HttpResponse::Text(404, "");
    auto data = tally::ReadFile(dir + req.path);
    if (!data.ok()) return HttpResponse::Text(404, "");
    return HttpResponse::Text(200, std::move(*data), "application/octet-stream");
  };
  router.Add("GET", "/checkpoint", serve);
  router.AddPrefix("GET", "/tile/", serve);
  Logger logger;
  HttpServer server(router, ServerOptions{}, logger);
  if (auto s = server.Listen({"127.0.0.1", 0}); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 3;
  }
  std::ofstream(argv[2]) << server.BoundAddress().port << "\n";
  server.Run();
  return 0;
}
