// Node: one party's tallyd (or a third party's witness-only tallyd) over a node directory.
//
// Open reads NODE/node.toml (flags in NodeOverrides win), the network file, the keys, and checks
// that the network pins this node's keys (its party's log_key, witness_key, node_key; or its
// [[witnesses]] key): a node the regime does not know refuses to start (FailedPrecondition).
// Run listens, writes the ready file ("HOST:PORT\n", after the socket is bound, atomically),
// starts the mirrors, serves until Stop, drains, and returns.
// Routes (docs/formats/node-api.md; described by GET /openapi.json):
//   GET  /healthz            liveness and what this node is
//   GET  /checkpoint, /tile/...   its log, as c2sp.org/tlog-tiles (party nodes)
//   POST /add-checkpoint     c2sp.org/tlog-witness
//   GET  /view               the latest verified checkpoint of every log it follows (gossip)
//   GET  /alarms             forks it holds proof of
//   POST /inbox/<from>       a document from another party, RFC 9421-signed by its node key
//   GET/POST /api/...        the party's operator API (party_api.h, inspection_api.h,
//   treaty_clock.h) GET  /openapi.json       the OpenAPI 3.1 description of these routes
// Errors: Open returns the config's, network's or key files' errors (InvalidArgument, NotFound,
// PermissionDenied for a key others can read, FailedPrecondition); Run returns IoError when it
// cannot listen.
// Thread safety: Stop may be called from any thread (tallyd calls it on SIGTERM/SIGINT).
#ifndef TALLY_NODE_NODE_H_
#define TALLY_NODE_NODE_H_

#include <memory>
#include <optional>
#include <string>

#include "tally/base/result.h"
#include "tally/server/logger.h"

namespace tally::node {

struct NodeOverrides {
  std::string listen;
  std::string network;
  std::string ready_file;
  int network_threads = 0;
  int worker_threads = 0;
  int64_t poll_interval_ms = 0;
  std::optional<bool> mirror;
  std::string clock;              // "wall" or "operator" (treaty_clock.h); "" keeps the config's
  int64_t header_timeout_ms = 0;  // slow-client limit (tests shorten it)
  bool log_requests = false;
};

class Node {
 public:
  static Result<std::unique_ptr<Node>> Open(const std::string& dir, const NodeOverrides& overrides,
                                            server::Logger& logger);
  ~Node();
  Status Run();
  void Stop();

  class Impl;

 private:
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tally::node

#endif  // TALLY_NODE_NODE_H_
