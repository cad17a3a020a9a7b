// `tally notify check|add`: typed treaty notifications — deadlines from the treaty's regime
// (New START: 5 days after the event; warhead changes with the six-month update), late and unsent
// flags, and putting a notification on the party's log.
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/declaration_command.h"
#include "tally/cli/log_command.h"
#include "tally/cli/text_table.h"
#include "tally/escrow/notification.h"
#include "tally/tlog/entry.h"
#include "tally/tlog/log_writer.h"

namespace tally::cli {
namespace {

struct NotifyArgs {
  std::string file;
  std::string treaty = "new-start";
  std::vector<std::string> treaty_files;
  std::string today;
  std::string log;
  std::string type, party, uid, event, notified, detail, network;
  bool json = false;
};

Date TodayUtc() {
  auto now = std::chrono::system_clock::now();
  return Date::FromDays(std::chrono::floor<std::chrono::days>(now).time_since_epoch().count());
}

int RunCheck(Context& ctx, const NotifyArgs& a) {
  auto t = LoadTreatyForEscrow(a.treaty, a.treaty_files);
  if (!t.ok()) return Fail(ctx, t.error());
  Date today = TodayUtc();
  if (!a.today.empty()) {
    auto d = Date::ParseFlag("--today", a.today);
    if (!d) return Fail(ctx, d.error());
    today = *d;
  }
  auto text = ReadFile(a.file);
  if (!text.ok()) return Fail(ctx, text.error());
  auto list = escrow::ParseNotificationsCsv(*text, a.file);
  if (!list.ok()) return Fail(ctx, list.error());
  auto statuses = escrow::CheckDeadlines(*t->treaty, *list, today);
  if (!statuses.ok()) return Fail(ctx, statuses.error());
  bool any = false;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  TextTable table({"type", "party", "uid", "event", "notified", "due", "status"});
  for (const auto& s : *statuses) {
    const escrow::Notification& n = *s.notification;
    std::string status = "on time";
    if (s.late) status = "LATE by " + std::to_string(s.days_late) + " day(s)";
    if (s.missing) status = "NOT SENT, overdue " + std::to_string(s.days_late) + " day(s)";
    if (!n.notified && !s.missing) status = "pending";
    any = any || s.late || s.missing;
    table.AddRow({std::string(escrow::NotificationTypeName(n.type)), n.party, n.uid,
                  n.event.ToString(), n.notified ? n.notified->ToString() : "—",
                  s.deadline.due.ToString(), status});
    nlohmann::ordered_json r = nlohmann::ordered_json::parse(escrow::NotificationToJson(n));
    r["due"] = s.deadline.due.ToString();
    r["rule"] = s.deadline.rule;
    r["late"] = s.late;
    r["missing"] = s.missing;
    r["days_late"] = s.days_late;
    rows.push_back(r);
  }
  if (a.json) {
    *ctx.out << nlohmann::ordered_json{{"treaty", t->treaty->id},
                                       {"today", today.ToString()},
                                       {"notifications", rows}}
                    .dump(2)
             << "\n";
  } else {
    table.Print(*ctx.out);
  }
  if (any) ctx.exit_code = kExitFinding;
  return ctx.exit_code;
}

int RunAdd(Context& ctx, const NotifyArgs& a) {
  auto t = LoadTreatyForEscrow(a.treaty, a.treaty_files);
  if (!t.ok()) return Fail(ctx, t.error());
  // The notifying party is the log's owner in the network file.
  auto net = network::LoadNetwork(a.network);
  if (!net.ok()) return Fail(ctx, net.error().WithContext("--network"));
  auto owner = OwnerOf(*net, a.log);
  if (!owner.ok()) return Fail(ctx, owner.error().WithContext("--log"));
  const std::string csv = "type,party,uid,event,notified,detail\n" + a.type + "," + *owner + "," +
                          a.uid + "," + a.event + "," + a.notified + ",\n";
  auto list = escrow::ParseNotificationsCsv(csv, "flags");
  if (!list.ok()) return Fail(ctx, list.error());
  escrow::Notification n = (*list)[0];
  n.detail = a.detail;
  const bool notified_today = !n.notified;
  if (!n.notified) n.notified = TodayUtc();
  auto log = tlog::LogWriter::Open(a.log);
  if (!log.ok()) return Fail(ctx, log.error().WithContext("--log"));
  auto logged = escrow::AppendNotification(*t->treaty, **log, n);
  if (!logged.ok()) return Fail(ctx, logged.error());
  const auto* idx = &logged->index;
  const auto* deadline = &logged->deadline;
  const bool late = logged->late;
  if (a.json) {
    *ctx.out << nlohmann::ordered_json{{"log_index", *idx},
                                       {"due", deadline->due.ToString()},
                                       {"late", late}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "logged as entry " << *idx << "; due " << deadline->due.ToString() << " ("
             << deadline->rule << ")" << (late ? ": LATE" : "")
             << (late && notified_today
                     ? " (sent today, " + n.notified->ToString() +
                           ", as --notified was not given; pass --notified DATE for the date it "
                           "was sent)"
                     : "")
             << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddNotifyCommand(CLI::App& app, Context& ctx) {
  auto* notify = app.add_subcommand("notify", "Treaty notifications: deadlines, late flags, log");
  notify->require_subcommand(1);

  auto ca = std::make_shared<NotifyArgs>();
  auto* check = notify->add_subcommand("check", "Deadlines and late/unsent flags of a CSV file");
  check->add_option("file", ca->file, "Notifications CSV (type,party,uid,event,notified,detail)")
      ->required();
  check->add_option("--treaty", ca->treaty, "Treaty")->capture_default_str();
  check->add_option("--treaty-file", ca->treaty_files, "Additional treaty TOML file(s)");
  check->add_option("--today", ca->today, "Judge unsent notifications as of this date");
  check->add_flag("--json", ca->json, "Print JSON");
  check->callback([&ctx, ca] { RunCheck(ctx, *ca); });

  auto aa = std::make_shared<NotifyArgs>();
  auto* add = notify->add_subcommand("add", "Put one notification on the party's log");
  add->add_option("--log", aa->log, "Party log directory")->required();
  add->add_option("--type", aa->type, "movement, status-change, conversion, elimination, ...")
      ->required();
  add->add_option("--network", aa->network,
                  "Network file naming the log's owner, the notifying party (default: "
                  "$TALLY_NETWORK, else ./network.toml)");
  add->add_option("--uid", aa->uid, "Item uid")->required();
  add->add_option("--event", aa->event, "Event date YYYY-MM-DD")->required();
  add->add_option("--notified", aa->notified, "Date sent (default today)");
  add->add_option("--detail", aa->detail, "Free text");
  add->add_option("--treaty", aa->treaty, "Treaty")->capture_default_str();
  add->add_option("--treaty-file", aa->treaty_files, "Additional treaty TOML file(s)");
  add->add_flag("--json", aa->json, "Print JSON");
  add->callback([&ctx, aa] { RunAdd(ctx, *aa); });
}

}  // namespace tally::cli
