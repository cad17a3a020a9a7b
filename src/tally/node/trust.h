// Trust: what a node believes about the regime, as a tlog::LogKeyring over the network file
// (network::Network, docs/formats/network.md): each party's log origin and log key, its witness
// and node keys and URL, the third-party witnesses and the cosignature policy. It is the only
// source of keys for everything a node verifies: the logs it witnesses and mirrors (a checkpoint
// counts only under the log key pinned for its origin), the nodes whose signed requests it
// accepts (their node keys).
// Errors: Load and Parse return the network module's errors (InvalidArgument naming file, line
// and field; NotFound for a missing file).
// Thread safety: immutable after Load; share freely.
#ifndef TALLY_NODE_TRUST_H_
#define TALLY_NODE_TRUST_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/network/network.h"
#include "tally/tlog/note.h"
#include "tally/tlog/witness.h"

namespace tally::node {

using PartyInfo = network::Party;
using ThirdPartyWitness = network::ThirdPartyWitness;

class Trust final : public tlog::LogKeyring {
 public:
  static Result<std::unique_ptr<Trust>> Load(const std::string& path);
  static Result<std::unique_ptr<Trust>> Parse(std::string_view text, const std::string& name);

  const PartyInfo* FindParty(std::string_view id) const { return net_.FindParty(id); }
  const PartyInfo* FindByOrigin(std::string_view origin) const { return net_.FindByOrigin(origin); }
  // The log key pinned for `origin`, or nullptr when no party has that origin.
  const tlog::NoteVerifier* LogKey(std::string_view origin) const override;
  // The node key of party `id` (signs its writes to other nodes), or nullptr.
  const tlog::NoteVerifier* NodeKey(std::string_view id) const { return net_.NodeKey(id); }
  // The other parties' witness keys and every third-party witness.
  std::vector<const tlog::NoteVerifier*> WitnessesOf(std::string_view origin) const {
    return net_.WitnessesOf(origin);
  }
  uint64_t cosignatures_required() const { return net_.description().cosignatures; }
  const std::vector<PartyInfo>& parties() const { return net_.description().parties; }
  const std::vector<ThirdPartyWitness>& witnesses() const { return net_.description().witnesses; }
  const std::string& name() const { return net_.description().name; }
  const std::string& path() const { return path_; }
  const network::Network& network() const { return net_; }

 private:
  Trust(network::Network net, std::string path) : net_(std::move(net)), path_(std::move(path)) {}
  network::Network net_;
  std::string path_;
};

}  // namespace tally::node

#endif  // TALLY_NODE_TRUST_H_
