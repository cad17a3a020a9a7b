// A node directory and its configuration file (docs/formats/node.md).
//
//   NODE/node.toml          the configuration (format "tally-node/1"), read strictly
//   NODE/log/               the party's log, served: checkpoint, tile/, vkey (nothing secret)
//   NODE/log.private/ (0700) the log's key (0600), lock and temporary files
//   NODE/private/  (0700)   node.key (0600)
//   NODE/private/witness/   witness.key (0600), vkey, state.journal, evidence/
//   NODE/mirrors/<origin hash>/  verified mirror of another party's log (tiles) + monitor state
//   NODE/alarms/            one JSON file per alarm (a fork, with both signed checkpoints)
//   NODE/run/ready          written once listening: "HOST:PORT\n" (the bound address)
// A witness-only node (a third party) has no log/ and no log.key.
// Errors: LoadNodeConfig returns InvalidArgument "node.toml:3: field 'listen': ...".
// Thread safety: plain values.
#ifndef TALLY_NODE_NODE_CONFIG_H_
#define TALLY_NODE_NODE_CONFIG_H_

#include <cstdint>
#include <string>

#include "tally/base/result.h"

namespace tally::node {

struct NodeLayout {
  std::string dir;
  std::string Config() const { return dir + "/node.toml"; }
  std::string Log() const { return dir + "/log"; }
  std::string Private() const { return dir + "/private"; }
  std::string NodeKey() const { return Private() + "/node.key"; }
  std::string Witness() const { return Private() + "/witness"; }
  std::string Mirrors() const { return dir + "/mirrors"; }
  std::string Alarms() const { return dir + "/alarms"; }
  std::string Ready() const { return dir + "/run/ready"; }
};

struct NodeConfig {
  std::string party;         // the party this node speaks for; empty for a witness-only node
  std::string witness_name;  // a witness-only node: its [[witnesses]] name in the network
  std::string network;       // the network file (absolute, or relative to the node directory)
  std::string listen = "127.0.0.1:8401";
  int network_threads = 2;
  int worker_threads = 4;
  int64_t poll_interval_ms = 2000;  // how often mirrors poll the other parties' nodes
  bool mirror = true;               // follow the other parties' logs
  std::string clock = "wall";       // or "operator": treaty time for exercises (treaty_clock.h)

  bool witness_only() const { return party.empty(); }
};

Result<NodeConfig> ParseNodeConfig(std::string_view text, const std::string& name);
Result<NodeConfig> LoadNodeConfig(const NodeLayout& layout);
std::string FormatNodeConfig(const NodeConfig& config);
// The network path as given, or resolved against the node directory when relative.
std::string NetworkPath(const NodeLayout& layout, const NodeConfig& config);

}  // namespace tally::node

#endif  // TALLY_NODE_NODE_CONFIG_H_
