// `tally dashboard`: the dashboard over the embedded data on this machine, no node needed.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tally/cli/command.h"
#include "tally/dashboard/dashboard_server.h"

namespace tally::cli {
namespace {

struct DashboardArgs {
  std::string listen = "127.0.0.1:8480";
  std::string ready_file;
  std::string date;
  bool log_requests = false;
  std::string network;
  std::vector<std::string> logs, documents;
};

int RunDashboard(Context& ctx, const DashboardArgs& a) {
  dashboard::DashboardServerOptions o;
  o.listen = a.listen;
  o.ready_file = a.ready_file;
  o.log_requests = a.log_requests;
  if (!a.logs.empty() && a.network.empty()) {
    return Fail(ctx, InvalidArgument("--log: needs --network, the file that pins the logs' keys"));
  }
  o.regime = {a.network, a.logs, a.documents};
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  o.date = Date::FromDays(std::chrono::duration_cast<std::chrono::hours>(now).count() / 24);
  if (!a.date.empty()) {
    auto d = Date::Parse(a.date);
    if (!d) return Fail(ctx, FieldError("--date", "date", "YYYY-MM-DD", "\"" + a.date + "\""));
    o.date = *d;
  }
  server::Logger logger;
  const Status s = dashboard::RunDashboardServer(o, logger, stdout);
  if (!s.ok()) return Fail(ctx, s);
  return kExitOk;
}

}  // namespace

void AddDashboardCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<DashboardArgs>();
  CLI::App* sub = app.add_subcommand(
      "dashboard",
      "Serve the dashboard (forces, treaties, New START, estimates; with --network, the logs and "
      "inspections) on this machine");
  sub->add_option("--listen", a->listen, "Address to listen on (port 0: any free port)")
      ->capture_default_str();
  sub->add_option("--ready-file", a->ready_file,
                  "Write HOST:PORT here once listening (for scripts and tests)");
  sub->add_option("--date", a->date, "Data as of this day (YYYY-MM-DD; default today, UTC)");
  sub->add_option("--network", a->network,
                  "Network file: with --log, the Log and Inspections pages over those logs");
  sub->add_option("--log", a->logs, "A party's log directory (repeatable; one per party)");
  sub->add_option("--documents", a->documents,
                  "A folder of documents the parties handed each other (repeatable; read for the "
                  "replay, never served, but the records show what they opened: partner-only)");
  sub->add_flag("--log-requests", a->log_requests, "One log line per request on stderr");
  sub->callback([&ctx, a] { RunDashboard(ctx, *a); });
}

}  // namespace tally::cli
