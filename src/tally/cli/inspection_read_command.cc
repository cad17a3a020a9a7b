// `tally inspection designate|status|verdict|list|quota`: replays of the inspections on the
// parties' logs (docs/inspections.md, "The inspection workflow on the log").
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "tally/cli/inspection_command.h"
#include "tally/cli/inspection_view.h"
#include "tally/cli/log_command.h"
#include "tally/cli/text_table.h"
#include "tally/inspection/ledger.h"
#include "tally/inspection/record_json.h"

namespace tally::cli {
namespace {

using nlohmann::ordered_json;
namespace in = inspection;
using Args = InspectionArgs;
using Inputs = InspectionInputs;

// --at, or by default the time of the latest entry on the logs: treaty time, so that an exercise
// replayed long after its dates is not judged by the wall clock (a reveal "missed" in 2020 by a
// reader in 2026).
Result<int64_t> AtTime(const Args& a, const Inputs& in) {
  const std::optional<int64_t> latest = in::LatestEntryTime(in.source.logs);
  if (!a.at.empty() || !latest) return ParseTimeFlag(a.at, "--at");
  return *latest;
}

int RunShow(Context& ctx, const Args& a, bool verdict, bool designate) {
  auto in = LoadInspectionInputs(a.logs, a);
  if (!in.ok()) return Fail(ctx, in.error());
  auto now = AtTime(a, *in);
  if (!now.ok()) return Fail(ctx, now.error());
  auto rec = ReplayInspection(*in, a.id, *now);
  if (!rec.ok()) return Fail(ctx, rec.error());
  const bool needs = verdict ? rec->stage != in::Stage::kRecorded : designate && !rec->seed;
  if (needs) {
    return Fail(ctx, FailedPrecondition("inspection " + a.id + " is at stage " +
                                        std::string(in::StageName(rec->stage)) + ", awaiting " +
                                        rec->awaiting));
  }
  if (a.uids) {
    for (const std::string& uid : rec->designated) *ctx.out << uid << "\n";
  } else if (a.json) {
    *ctx.out << in::RecordJson(*rec).dump(2) << "\n";
  } else {
    PrintRecord(*ctx.out, *rec);
  }
  if (verdict && rec->Verdict() != "consistent") ctx.exit_code = kExitFinding;
  return ctx.exit_code;
}

// Every inspection requested on the logs, replayed: where each stands.
int RunList(Context& ctx, const Args& a) {
  auto in = LoadInspectionInputs(a.logs, a);
  if (!in.ok()) return Fail(ctx, in.error());
  auto now = AtTime(a, *in);
  if (!now.ok()) return Fail(ctx, now.error());
  TextTable table({"inspection", "inspecting", "inspected", "type", "site", "stage", "verdict"});
  ordered_json list = ordered_json::array();
  for (const in::ListedInspection& l : in::ListInspections(in->Lookup(), in->source, *now)) {
    ordered_json j{{"inspection", l.id}, {"entry", l.entry}, {"inspecting", l.inspecting}};
    if (l.record.ok()) {
      const in::InspectionRecord& rec = *l.record;
      j["inspected"] = rec.request.inspected;
      j["type"] = rec.request.type;
      j["site"] = rec.request.site;
      j["stage"] = in::StageName(rec.stage);
      j["verdict"] = rec.Verdict();
      table.AddRow({l.id, l.inspecting, rec.request.inspected, rec.request.type, rec.request.site,
                    std::string(in::StageName(rec.stage)), rec.Verdict()});
    } else {
      // Refused requests and replays missing a document: the reason instead of a stage.
      const auto& r = l.request;
      j["error"] = l.record.error().message();
      table.AddRow({l.id, l.inspecting, r.ok() ? r->inspected : "?", r.ok() ? r->type : "?",
                    r.ok() ? r->site : "?", "-", l.record.error().message()});
    }
    list.push_back(j);
  }
  if (a.json) {
    *ctx.out << ordered_json{{"inspections", list}}.dump(2) << "\n";
  } else {
    table.Print(*ctx.out);
  }
  return kExitOk;
}

int RunQuota(Context& ctx, const Args& a) {
  auto in = LoadInspectionInputs(a.logs, a);
  if (!in.ok()) return Fail(ctx, in.error());
  auto now = AtTime(a, *in);
  if (!now.ok()) return Fail(ctx, now.error());
  const treaty::Treaty* t = in->Lookup()(a.treaty);
  if (!t) return Fail(ctx, LoadTreatyForEscrow(a.treaty, a.treaty_files).error());
  const in::Ledger ledger = in::BuildLedger(*t, in->source.logs);
  if (a.json) {
    auto doc = in::QuotaJson(*t, ledger, in::DayOf(*now));
    if (!doc.ok()) return Fail(ctx, doc.error());
    *ctx.out << doc->dump(2) << "\n";
    return kExitOk;
  }
  auto rows = in::QuotaReport(*t, ledger, in::DayOf(*now));
  if (!rows.ok()) return Fail(ctx, rows.error());
  ordered_json refused = ordered_json::array();
  for (const auto& e : ledger.requests) {
    if (!e.status.ok()) refused.push_back(e.status.message());
  }
  TextTable table({"inspecting party", "type", "treaty year", "used>", "quota>", "remaining>"});
  for (const auto& r : *rows) {
    table.AddRow({r.party, r.type,
                  std::to_string(r.year.number) + " (from " + r.year.begins.ToString() + ")",
                  std::to_string(r.used), r.quota ? std::to_string(r.quota) : "none",
                  r.quota ? std::to_string(r.remaining) : "-"});
  }
  table.Print(*ctx.out);
  for (const auto& r : refused) *ctx.out << "refused: " << r.get<std::string>() << "\n";
  return kExitOk;
}

CLI::App* Reader(CLI::App* parent, const std::string& name, const std::string& help,
                 std::shared_ptr<Args> a, bool with_id = true) {
  auto* c = parent->add_subcommand(name, help);
  if (with_id) c->add_option("--id", a->id, "Inspection id")->required();
  c->add_option("--log", a->logs, "A party's log directory (repeatable; one per party)")
      ->required();
  c->add_option("--network", a->network,
                "Network file (default: $TALLY_NETWORK, else ./network.toml)");
  c->add_option("--bundle", a->bundles, "An opening bundle handed over (repeatable)");
  c->add_option("--findings", a->findings, "A findings document handed over (repeatable)");
  c->add_option("--at", a->at, "Replay as of this time (default: the latest entry's time)");
  c->add_option("--treaty-file", a->treaty_files, "Extra treaty TOML files");
  c->add_flag("--json", a->json, "Print one JSON document");
  return c;
}

}  // namespace

void AddInspectionReadCommands(CLI::App* cmd, Context& ctx) {
  auto da = std::make_shared<Args>();
  auto* designate =
      Reader(cmd, "designate", "Show the designated items (recomputed from the seed)", da);
  designate->add_flag("--uids", da->uids, "Print only the designated uids, one per line");
  designate->callback([&ctx, da] { RunShow(ctx, *da, false, true); });
  auto sa = std::make_shared<Args>();
  Reader(cmd, "status", "Replay an inspection and show where it stands", sa)->callback([&ctx, sa] {
    RunShow(ctx, *sa, false, false);
  });
  auto ea = std::make_shared<Args>();
  Reader(cmd, "verdict", "The verdict: exit 0 consistent, 1 a discrepancy or violation", ea)
      ->callback([&ctx, ea] { RunShow(ctx, *ea, true, false); });
  auto la = std::make_shared<Args>();
  Reader(cmd, "list", "Every inspection requested on the logs: stage and verdict", la, false)
      ->callback([&ctx, la] { RunList(ctx, *la); });
  auto qa = std::make_shared<Args>();
  auto* quota =
      Reader(cmd, "quota", "Inspections used / quota / remaining per party and type", qa, false);
  quota->add_option("--treaty", qa->treaty, "Treaty id")->capture_default_str();
  quota->callback([&ctx, qa] { RunQuota(ctx, *qa); });
}

}  // namespace tally::cli
