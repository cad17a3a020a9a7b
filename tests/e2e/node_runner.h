// The node end-to-end tests' helpers: the built `tallyd` as a child process (node/node_process.h)
// on 127.0.0.1:0 unless told (never a fixed port), and the node directories and network files the
// tests set up.
#ifndef TALLY_TESTS_E2E_NODE_RUNNER_H_
#define TALLY_TESTS_E2E_NODE_RUNNER_H_

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "e2e/cli_runner.h"
#include "tally/node/node_process.h"

namespace tally::testing {

// `tally node init` of a party's or a witness's node under `t`, with its --json answer.
struct InitOut {
  std::string dir;
  nlohmann::json doc;
};
InitOut InitParty(const TempDir& t, const std::string& name, const std::string& party,
                  const std::string& origin, const std::string& network);
InitOut InitWitness(const TempDir& t, const std::string& name, const std::string& key_name,
                    const std::string& network);

// A node's network entry with its URL set, or without one when `url` is empty.
std::string Entry(const InitOut& n, const std::string& url);
// A network file of `entries` that asks for `k` cosignatures.
std::string Network(const std::vector<std::string>& entries, int k = 0);

// A node's operator token (NODE/private/operator.token, made on its first start).
std::string OperatorToken(const std::string& node_dir);

// A loopback port that was free a moment ago, for a network file that must name a node's URL
// before the node runs (the node then listens on it; a lost race fails the start, visibly).
int FreePort();

// Waits until `pred` holds (polling), up to 20 s.
template <typename F>
bool Eventually(F pred) {
  for (int i = 0; i < 400; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// tallyd (the build's) on `listen`, 127.0.0.1:0 by default, waiting up to 20 s for it to be ready.
class NodeProcess : public node::NodeProcess {
 public:
  NodeProcess(const std::string& dir, std::vector<std::string> args = {},
              const std::string& listen = "127.0.0.1:0")
      : node::NodeProcess(TALLYD_BIN, dir, std::move(args), listen) {}
};
}  // namespace tally::testing

#endif  // TALLY_TESTS_E2E_NODE_RUNNER_H_
