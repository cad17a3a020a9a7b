// What every `tally <noun>` command shares: where it writes, how it reports a Status, and the
// registration functions, one per noun (each defined in <noun>_command.cc).
#ifndef TALLY_CLI_COMMAND_H_
#define TALLY_CLI_COMMAND_H_

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "tally/base/status.h"

namespace tally::cli {

struct Context {
  std::ostream* out = &std::cout;  // results: tables, JSON, CSV
  std::ostream* err = &std::cerr;  // errors, warnings, progress
  std::istream* in = &std::cin;
  int exit_code = kExitOk;
};

// Prints "tally: <message>" on stderr and sets the exit code for the status' code.
// Returns the exit code so that callbacks can `return Fail(ctx, s);`.
int Fail(Context& ctx, const Status& status);

// The global --store flag / TALLY_STORE / default path resolution (store is optional for most
// commands). Returns the path the SQLite store lives at.
std::string StorePath(const std::string& flag_value);

// One registration function per noun, each defined in <noun>_command.cc.
void AddTreatyCommand(CLI::App& app, Context& ctx);
void AddCheckCommand(CLI::App& app, Context& ctx);
void AddInspectCommand(CLI::App& app, Context& ctx);
void AddForcesCommand(CLI::App& app, Context& ctx);
void AddDataCommand(CLI::App& app, Context& ctx);
void AddReportCommand(CLI::App& app, Context& ctx);
void AddEstimateCommand(CLI::App& app, Context& ctx);
void AddUploadCommand(CLI::App& app, Context& ctx);
void AddProjectCommand(CLI::App& app, Context& ctx);
void AddLogCommand(CLI::App& app, Context& ctx);
void AddDeclareCommand(CLI::App& app, Context& ctx);
void AddDeclarationCommand(CLI::App& app, Context& ctx);
void AddExchangeCommand(CLI::App& app, Context& ctx);
void AddNotifyCommand(CLI::App& app, Context& ctx);
void AddInventoryCommand(CLI::App& app, Context& ctx);
void AddInspectionCommand(CLI::App& app, Context& ctx);
void AddNetworkCommand(CLI::App& app, Context& ctx);
void AddNodeCommand(CLI::App& app, Context& ctx);
void AddExerciseCommand(CLI::App& app, Context& ctx);

}  // namespace tally::cli

#endif  // TALLY_CLI_COMMAND_H_
