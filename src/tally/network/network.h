// Network: the parties of one verification regime and the keys that speak for each of them, read
// from a network file (docs/formats/network.md). Every check that involves another party takes
// its keys from here: a log's checkpoint verifies only under the log key the network pins for the
// checkpoint's origin, a cosignature counts only under a witness key the network lists for that
// log, and an entry counts only on the log of the party it names (FindByOrigin gives a log's
// owner). Keys found anywhere else — a `vkey` file in a log directory, a name in a signature line
// — are never trusted.
//
// Errors: InvalidArgument "file:line: field 'x': expected ..., got ..." for a file that breaks a
// rule of the format; NotFound for a file that does not exist or an origin that is not a
// party's; VerificationFailed from VerifyCheckpoint (signed_checkpoint.h).
// Thread safety: immutable after construction; share freely. Move-only.
#ifndef TALLY_NETWORK_NETWORK_H_
#define TALLY_NETWORK_NETWORK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/tlog/note.h"
#include "tally/tlog/signed_checkpoint.h"

namespace tally::network {

inline constexpr std::string_view kNetworkFormat = "tally-network/1";

struct Party {
  std::string id;           // party code, 1-32 of [A-Za-z0-9._-]
  std::string origin;       // its log's origin (the log key's name)
  std::string log_key;      // vkey text, type 0x01, named origin
  std::string witness_key;  // vkey text, type 0x04; "" when the party does not cosign
  std::string node_key;     // vkey text, type 0x01; "" when the party runs no node
  std::string url;          // its node's base URL; "" when none
};

struct ThirdPartyWitness {
  std::string name;  // the key's name
  std::string key;   // vkey text, type 0x04
  std::string url;   // "" when none
};

// What a network file says, as plain values.
struct Description {
  std::string name;
  std::string treaty;         // "" when the file names none
  uint64_t cosignatures = 0;  // k of the k-of-n witness policy
  std::vector<Party> parties;
  std::vector<ThirdPartyWitness> witnesses;
};

// The keys that decide whether a checkpoint of one log is accepted; owns the span storage.
struct LogTrust {
  const Party* owner = nullptr;
  std::vector<const tlog::NoteVerifier*> log_keys;   // the owner's log key only
  std::vector<const tlog::NoteVerifier*> witnesses;  // the log's cosigners
  size_t required_cosignatures = 0;

  tlog::CheckpointKeys Keys() const { return {log_keys, witnesses, required_cosignatures}; }
};

struct VerifiedCheckpoint {
  const Party* owner = nullptr;
  tlog::OpenedCheckpoint opened;
};

class Network {
 public:
  // Checks every rule of the format; `where` names the source in errors.
  static Result<Network> Make(Description description, const std::string& where);
  static Result<Network> Parse(std::string_view text, const std::string& file);
  static Result<Network> Load(const std::string& path);

  Network(Network&&) noexcept;
  Network& operator=(Network&&) noexcept;
  ~Network();

  // The canonical text of the file (what `tally network` writes); Parse(ToToml()) is this.
  std::string ToToml() const;
  const Description& description() const { return description_; }

  const Party* FindParty(std::string_view id) const;
  const Party* FindByOrigin(std::string_view origin) const;
  const ThirdPartyWitness* FindWitness(std::string_view name) const;
  // The parsed keys of a party; nullptr for an unknown party or a key it does not have.
  const tlog::NoteVerifier* LogKey(std::string_view party) const;
  const tlog::NoteVerifier* WitnessKey(std::string_view party) const;
  const tlog::NoteVerifier* NodeKey(std::string_view party) const;
  // The cosigners of `origin`'s log: every other party's witness key, then the third parties'.
  std::vector<const tlog::NoteVerifier*> WitnessesOf(std::string_view origin) const;

  // The trust for `origin`'s log; `required` overrides the file's k (e.g. 0 for a local check).
  // NotFound when no party has that origin.
  Result<LogTrust> TrustFor(std::string_view origin,
                            std::optional<size_t> required = std::nullopt) const;
  // A signed checkpoint of one of the network's logs: its owner is the party whose origin the
  // checkpoint names, it carries that party's log signature and the cosignatures required.
  Result<VerifiedCheckpoint> VerifyCheckpoint(std::string_view note,
                                              std::optional<size_t> required = std::nullopt) const;

 private:
  struct Keys;
  Network();
  Description description_;
  std::unique_ptr<Keys> keys_;
};

// Which network file a command uses: `flag` when given, else $TALLY_NETWORK, else
// ./network.toml when it exists; NotFound saying how to give one otherwise.
Result<std::string> ResolveNetworkPath(const std::string& flag);
// ResolveNetworkPath and Load in one step; errors name the flag or variable that chose the path.
Result<Network> LoadNetwork(const std::string& flag);

}  // namespace tally::network

#endif  // TALLY_NETWORK_NETWORK_H_
