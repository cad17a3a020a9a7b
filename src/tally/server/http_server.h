// HttpServer: an HTTP/1.1 server on Boost.Beast, one event loop per network thread.
//
// Why Beast and not Debian's cpp-httplib: measured side by side with nginx in docs/architecture.md
// ("The HTTP layer"). Each network thread runs its own io_context (no locks on the hot path); the
// acceptor hands connections out round-robin; handlers marked blocking run on a worker pool.
// Keep-alive, TCP_NODELAY, a listen backlog of `backlog` (the kernel caps it at somaxconn).
//
// Limits, each answered with a 4xx problem+json and the connection closed, so that one bad client
// never holds resources another needs: request line + headers over `max_header_bytes` (431), a
// body over the route's max_body (413, refused from Content-Length before it is read), headers
// not complete within `header_timeout` (408: slow clients, slowloris), a body not complete within
// `body_timeout` (408), malformed HTTP (400), more than `max_connections` open (503). A keep-alive
// connection idle for `header_timeout` is closed.
//
// Lifecycle: Listen binds (port 0 picks a free port; BoundAddress tells which), Run serves until
// Stop, which stops accepting, lets requests in flight finish (up to `drain_timeout`), closes idle
// connections and returns from Run. Stop is safe from any thread and from a signal-handling
// thread (not from an async signal handler itself).
// Errors: Listen returns InvalidArgument for a bad address and IoError when the port is taken.
// Thread safety: Listen, then Run on one thread; Stop from any.
#ifndef TALLY_SERVER_HTTP_SERVER_H_
#define TALLY_SERVER_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "tally/base/result.h"
#include "tally/server/logger.h"
#include "tally/server/router.h"

namespace tally::server {

struct ServerOptions {
  int network_threads = 2;
  int worker_threads = 4;
  int backlog = 4096;
  size_t max_header_bytes = 16 * 1024;
  size_t max_connections = 10000;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds drain_timeout{10000};
  bool log_requests = false;  // one log line per request (else only errors and 5xx)
};

// "127.0.0.1:8401", "[::1]:0", "localhost:0" -> host and port.
struct ListenAddress {
  std::string host;
  int port = 0;
  std::string ToString() const;
};
Result<ListenAddress> ParseListenAddress(std::string_view text);

class HttpServer {
 public:
  HttpServer(const Router& router, ServerOptions options, Logger& logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Status Listen(const ListenAddress& address);
  // The address actually bound (the port the kernel chose for port 0).
  ListenAddress BoundAddress() const;
  // Serves until Stop(); returns after the drain.
  void Run();
  void Stop();

  // Counters for /healthz and tests.
  struct Stats {
    uint64_t requests = 0;
    uint64_t open_connections = 0;
    uint64_t refused_connections = 0;
  };
  Stats stats() const;

  class Impl;  // public only so that the implementation's connection type can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tally::server

#endif  // TALLY_SERVER_HTTP_SERVER_H_
