#include "tally/cli/cli.h"

#include <cstdlib>
#include <exception>
#include <filesystem>

#include "tally/base/text.h"
#include "tally/cli/command.h"

namespace tally::cli {

int Fail(Context& ctx, const Status& status) {
  // One bound for every message, whatever a module put in it (text.h: kMaxMessageBytes).
  *ctx.err << "tally: " << BoundMessage(status.message()) << "\n";
  ctx.exit_code = ExitCodeFor(status.code());
  return ctx.exit_code;
}

std::string StorePath(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("TALLY_STORE"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return (std::filesystem::path(xdg) / "tally" / "tally.db").string();
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return (std::filesystem::path(home) / ".local" / "share" / "tally" / "tally.db").string();
  }
  return "tally.db";
}

int Main(int argc, char** argv) {
  Context ctx;
  // Arguments become stored text, JSON output and log entries: the boundary checks them once.
  for (int i = 1; i < argc; ++i) {
    if (IsUtf8(argv[i])) continue;
    const std::string_view prev = i > 1 ? argv[i - 1] : "";
    *ctx.err << "tally: argument " << i
             << (prev.substr(0, 2) == "--" ? " (" + std::string(prev) + ")" : std::string())
             << ": expected UTF-8 text, got " << Utf8Problem(argv[i]) << "\n";
    return kExitBadInput;
  }
  try {
    CLI::App app{
        "tally: open, verifiable accounting of nuclear arsenals under arms-control treaties"};
    app.set_version_flag("--version", std::string("tally ") + TALLY_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    // One line per noun; each is defined in <noun>_command.cc.
    AddTreatyCommand(app, ctx);
    AddCheckCommand(app, ctx);
    AddInspectCommand(app, ctx);
    AddForcesCommand(app, ctx);
    AddDataCommand(app, ctx);
    AddReportCommand(app, ctx);
    AddEstimateCommand(app, ctx);
    AddUploadCommand(app, ctx);
    AddProjectCommand(app, ctx);
    AddLogCommand(app, ctx);
    AddDeclareCommand(app, ctx);
    AddDeclarationCommand(app, ctx);
    AddExchangeCommand(app, ctx);
    AddNotifyCommand(app, ctx);
    AddInventoryCommand(app, ctx);
    AddInspectionCommand(app, ctx);
    AddNetworkCommand(app, ctx);
    AddNodeCommand(app, ctx);
    AddExerciseCommand(app, ctx);
    AddDashboardCommand(app, ctx);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) return app.exit(e) == 0 ? kExitOk : kExitBadInput;  // --help
      // CLI11 echoes the offending value whole; tally's messages quote at most a bounded part.
      std::string what = e.what();
      if (what.size() > 2 * kMaxQuotedBytes + 120) {
        what = what.substr(0, 2 * kMaxQuotedBytes + 120) + "... (" + std::to_string(what.size()) +
               " bytes)";
      }
      *ctx.err << "tally: " << what << "\nRun with --help for more information.\n";
      return kExitBadInput;
    }
    return ctx.exit_code;
  } catch (const std::exception& e) {
    *ctx.err << "tally: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    *ctx.err << "tally: internal error\n";
    return kExitInternal;
  }
}

}  // namespace tally::cli
