#include "tally/node/node_config.h"

#include "tally/base/file.h"
#include "tally/toml/strict_reader.h"

namespace tally::node {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<NodeConfig> ParseNodeConfig(std::string_view text, const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(::toml::table root, ::tally::toml::Parse(text, name));
  toml::Reader r(root, "", &name, "docs/formats/node.md");
  NodeConfig c;
  TALLY_ASSIGN_OR_RETURN(std::string format, r.String("format", true));
  if (format != "tally-node/1") {
    return FieldError(r.Here(), "format", "\"tally-node/1\"", "\"" + format + "\"");
  }
  TALLY_ASSIGN_OR_RETURN(auto party, r.OptString("party"));
  TALLY_ASSIGN_OR_RETURN(auto witness, r.OptString("witness"));
  if (party.has_value() == witness.has_value()) {
    return FieldError(r.Here(), "party", "exactly one of 'party' or 'witness'",
                      party ? "both" : "neither");
  }
  c.party = party.value_or("");
  c.witness_name = witness.value_or("");
  TALLY_ASSIGN_OR_RETURN(c.network, r.String("network", true));
  TALLY_ASSIGN_OR_RETURN(auto listen, r.OptString("listen"));
  if (listen) c.listen = *listen;
  TALLY_ASSIGN_OR_RETURN(auto nt, r.OptInt("network_threads", 1));
  if (nt) c.network_threads = static_cast<int>(std::min<int64_t>(*nt, 64));
  TALLY_ASSIGN_OR_RETURN(auto wt, r.OptInt("worker_threads", 1));
  if (wt) c.worker_threads = static_cast<int>(std::min<int64_t>(*wt, 256));
  TALLY_ASSIGN_OR_RETURN(auto poll, r.OptInt("poll_interval_ms", 10));
  if (poll) c.poll_interval_ms = *poll;
  TALLY_ASSIGN_OR_RETURN(auto mirror, r.OptBool("mirror"));
  if (mirror) c.mirror = *mirror;
  TALLY_ASSIGN_OR_RETURN(auto clock, r.OptString("clock"));
  if (clock) {
    if (*clock != "wall" && *clock != "operator") {
      return FieldError(r.Here(), "clock", "\"wall\" or \"operator\"", "\"" + *clock + "\"");
    }
    c.clock = *clock;
  }
  TALLY_RETURN_IF_ERROR(r.Finish());
  return c;
}

Result<NodeConfig> LoadNodeConfig(const NodeLayout& layout) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(layout.Config()));
  return ParseNodeConfig(text, layout.Config());
}

std::string FormatNodeConfig(const NodeConfig& c) {
  std::string out = "format = \"tally-node/1\"\n";
  if (c.witness_only()) {
    out += "witness = " + Quote(c.witness_name) + "        # a witness-only node\n";
  } else {
    out += "party = " + Quote(c.party) + "\n";
  }
  out += "network = " + Quote(c.network) + "\n";
  out += "listen = " + Quote(c.listen) + "\n";
  out += "network_threads = " + std::to_string(c.network_threads) + "\n";
  out += "worker_threads = " + std::to_string(c.worker_threads) + "\n";
  out += "poll_interval_ms = " + std::to_string(c.poll_interval_ms) + "\n";
  out += std::string("mirror = ") + (c.mirror ? "true" : "false") + "\n";
  if (c.clock != "wall") out += "clock = " + Quote(c.clock) + "\n";
  return out;
}

std::string NetworkPath(const NodeLayout& layout, const NodeConfig& config) {
  if (config.network.starts_with('/')) return config.network;
  return layout.dir + "/" + config.network;
}

}  // namespace tally::node
