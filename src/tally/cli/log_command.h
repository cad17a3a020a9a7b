// What the `tally log` subcommands (log_command.cc, log_verify_command.cc,
// log_witness_command.cc) share: reading inputs, verifier keys and times.
#ifndef TALLY_CLI_LOG_COMMAND_H_
#define TALLY_CLI_LOG_COMMAND_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/cli/command.h"
#include "tally/network/network.h"
#include "tally/tlog/note.h"
#include "tally/tlog/signed_checkpoint.h"

namespace tally::cli {

// A file's content, or all of stdin for "-".
Result<std::string> ReadInput(Context& ctx, const std::string& path);

// Parses --vkey values (key text, or @file with one key per line) into verifiers.
struct VerifierSet {
  std::vector<std::unique_ptr<tlog::NoteVerifier>> owned;
  std::vector<const tlog::NoteVerifier*> ptrs;
};
Result<VerifierSet> LoadVerifiers(const std::vector<std::string>& vkeys);

// Where a command takes the keys of the logs it reads: the network file (--network,
// $TALLY_NETWORK, ./network.toml), or keys pinned on the command line with --vkey (log keys of
// type 0x01 and witness keys of type 0x04, for a check anyone can run with only the keys). Either
// way a checkpoint is the log's only under the key named after its origin (signed_checkpoint.h),
// and a key found in a log directory is never used unless the user names it.
struct TrustFlags {
  std::vector<std::string> vkeys;
  std::string network;
  int cosignatures = -1;  // -1: the network's policy (0 with --vkey)
};
void AddTrustFlags(CLI::App* command, TrustFlags& flags, std::string_view vkey_flag = "--vkey");

class Trust {
 public:
  static Result<Trust> Load(const TrustFlags& flags);
  // The keys for `origin`'s log.
  Result<network::LogTrust> For(std::string_view origin) const;
  // Opens a signed checkpoint note under the keys of the origin it names.
  Result<tlog::OpenedCheckpoint> Open(std::string_view note) const;
  // Every key known (for notes that are not checkpoints).
  std::vector<const tlog::NoteVerifier*> AllKeys() const;
  const network::Network* network() const { return network_ ? &*network_ : nullptr; }

 private:
  std::optional<network::Network> network_;
  VerifierSet pinned_;
  int cosignatures_ = -1;
};

// The party that owns `log_dir` (the origin of its checkpoint, in the network): the acting party
// of every typed entry written to it.
Result<std::string> OwnerOf(const network::Network& net, const std::string& log_dir);

// "1767225600", "2026-01-01" or "2026-01-01T12:30:00Z" as seconds since the epoch; `now` if
// empty.
Result<int64_t> ParseTimeFlag(const std::string& text, std::string_view flag);

void AddLogVerifyCommand(CLI::App& log, Context& ctx);
void AddLogWitnessCommands(CLI::App& log, Context& ctx);

}  // namespace tally::cli

#endif  // TALLY_CLI_LOG_COMMAND_H_
