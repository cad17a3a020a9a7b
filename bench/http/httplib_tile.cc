// The cpp-httplib prototype of the HTTP-layer choice (docs/architecture.md, "The HTTP layer"):
// Debian's prebuilt cpp-httplib 0.11 serving one directory's files by path, tuned as far as its
// API allows (TCP_NODELAY, 64 worker threads, long keep-alive). The listen backlog (5) is
// compiled into the Debian library and cannot be changed from here.
// Usage: tally_httplib_tile DIR PORT_FILE   (listens on 127.0.0.1:0, writes the port to PORT_FILE)
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIR PORT_FILE\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(64); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000000);
  server.set_keep_alive_timeout(60);
  server.Get(R"(/(checkpoint|tile/.*))", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.path.find("..") != std::string::npos) {
      res.status = 404;
      return;
    }
    std::ifstream in(dir + req.path, std::ios::binary);
    if (!in) {
      res.status = 404;
      return;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    res.set_content(ss.str(), "application/octet-stream");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) return 3;
  std::ofstream(argv[2]) << port << "\n";
  server.listen_after_bind();
  return 0;
}
