// What the `tally log` subcommands (log_command.cc, log_verify_command.cc,
// log_witness_command.cc) share: reading inputs, verifier keys and times.
#ifndef TALLY_CLI_LOG_COMMAND_H_
#define TALLY_CLI_LOG_COMMAND_H_

#include <memory>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/cli/command.h"
#include "tally/tlog/note.h"

namespace tally::cli {

// A file's content, or all of stdin for "-".
Result<std::string> ReadInput(Context& ctx, const std::string& path);

// Parses --vkey values (key text, or @file with one key per line) into verifiers.
struct VerifierSet {
  std::vector<std::unique_ptr<tlog::NoteVerifier>> owned;
  std::vector<const tlog::NoteVerifier*> ptrs;
};
Result<VerifierSet> LoadVerifiers(const std::vector<std::string>& vkeys);

// "1767225600", "2026-01-01" or "2026-01-01T12:30:00Z" as seconds since the epoch; `now` if
// empty.
Result<int64_t> ParseTimeFlag(const std::string& text, std::string_view flag);

void AddLogVerifyCommand(CLI::App& log, Context& ctx);
void AddLogWitnessCommands(CLI::App& log, Context& ctx);

}  // namespace tally::cli

#endif  // TALLY_CLI_LOG_COMMAND_H_
