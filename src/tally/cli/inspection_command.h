// What the `tally inspection` commands share (inspection_command.cc: the write commands;
// inspection_read_command.cc: designate, status, verdict, list, quota): their flags, the logs and
// documents they replay from, and the replay itself.
#ifndef TALLY_CLI_INSPECTION_COMMAND_H_
#define TALLY_CLI_INSPECTION_COMMAND_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/cli/command.h"
#include "tally/cli/declaration_command.h"
#include "tally/inspection/party_log.h"
#include "tally/inspection/workflow.h"
#include "tally/network/network.h"

namespace tally::cli {

struct InspectionArgs {
  std::string id, network, log, store, out, secret, phase, at, time, treaty = "new-start", type,
                                                                     inspected, site;
  std::vector<std::string> logs, with, bundles, findings, treaty_files, observe;
  bool json = false, unlisted = false, uids = false;
};

// The network, every log read (verified under it) with the documents handed over, and treaty
// lookup.
struct InspectionInputs {
  std::optional<network::Network> network;
  inspection::ReplaySource source;
  std::shared_ptr<LoadedTreaty> treaty;  // the last one looked up
  std::vector<std::string> treaty_files;

  inspection::TreatyLookup Lookup();
};

// Loads the network (--network, $TALLY_NETWORK, ./network.toml), reads and verifies every log in
// `logs` under it (one log per party), and loads --bundle and --findings files.
Result<InspectionInputs> LoadInspectionInputs(const std::vector<std::string>& logs,
                                              const InspectionArgs& a);
Result<inspection::InspectionRecord> ReplayInspection(InspectionInputs& in, const std::string& id,
                                                      int64_t now);

// Registers designate, status, verdict, list and quota under `cmd`.
void AddInspectionReadCommands(CLI::App* cmd, Context& ctx);

}  // namespace tally::cli

#endif  // TALLY_CLI_INSPECTION_COMMAND_H_
