// `tally inspection request|open|commit|reveal|record|designate|status|verdict|list|quota`: the
// inspection workflow on the parties' logs (docs/inspections.md, "The inspection workflow on the
// log"; payloads in docs/formats/inspection.md).
//
// Write commands append the acting party's entry to its own log (--log), after replaying the
// inspection with the new entry included over every log given (--log and --with) and the
// documents handed over (--bundle, --findings): an entry the replay would reject is never
// written, and neither is any file. The read commands are in inspection_read_command.cc.
#include "tally/cli/inspection_command.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/log_command.h"
#include "tally/cli/secret_file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/random.h"
#include "tally/escrow/store.h"
#include "tally/inspect/joint_randomness.h"
#include "tally/inspection/ledger.h"
#include "tally/inspection/log_source.h"
#include "tally/inspection/workflow.h"
#include "tally/tlog/log_writer.h"

namespace tally::cli {

inspection::TreatyLookup InspectionInputs::Lookup() {
  return [this](const std::string& id) -> const treaty::Treaty* {
    auto t = LoadTreatyForEscrow(id, treaty_files);
    if (!t.ok()) return nullptr;
    treaty = std::make_shared<LoadedTreaty>(std::move(*t));
    return treaty->treaty;
  };
}

Result<InspectionInputs> LoadInspectionInputs(const std::vector<std::string>& logs,
                                              const InspectionArgs& a) {
  InspectionInputs in;
  in.treaty_files = a.treaty_files;
  for (const std::string& dir : logs) {
    TALLY_ASSIGN_OR_RETURN(auto entries, inspection::ReadLogEntries(dir));
    for (auto& e : entries) in.entries.push_back(std::move(e));
  }
  inspection::MergeOrder(in.entries);
  for (const auto* list : {&a.bundles, &a.findings}) {
    for (const std::string& path : *list) {
      auto bytes = ReadFile(path);
      if (!bytes.ok()) return bytes.error();
      in.docs.Add(std::move(*bytes));
    }
  }
  return in;
}

Result<inspection::InspectionRecord> ReplayInspection(InspectionInputs& in, const std::string& id,
                                                      int64_t now) {
  return inspection::Replay(in.Lookup(), in.entries, id, in.docs, now);
}

namespace {

using nlohmann::ordered_json;
namespace in = inspection;

using Args = InspectionArgs;
using Inputs = InspectionInputs;

std::vector<std::string> AllLogs(const Args& a) {
  std::vector<std::string> logs = {a.log};
  logs.insert(logs.end(), a.with.begin(), a.with.end());
  return logs;
}

// Replays with `e` appended to the acting party's log; if the replay accepts it, writes
// `file_path` (when given) and appends the entry. Prints where it was logged.
int CheckAndAppend(Context& ctx, const Args& a, Inputs& in, tlog::Entry e, bool replay,
                   const std::string& file_path = "", const std::string& file_content = "") {
  auto writer = tlog::LogWriter::Open(a.log);
  if (!writer.ok()) return Fail(ctx, writer.error().WithContext("--log"));
  auto bytes = tlog::EncodeEntry(e);
  if (!bytes.ok()) return Fail(ctx, bytes.error());
  const uint64_t index = (*writer)->size();
  in.entries.push_back(in::LoggedEntry{a.log, index, e, *bytes});
  in::MergeOrder(in.entries);
  if (replay) {
    auto rec = ReplayInspection(in, a.id, e.time);
    if (!rec.ok()) return Fail(ctx, rec.error().WithContext("refused, nothing written"));
    for (const in::Rejection& r : rec->rejected) {
      if (r.log == a.log && r.index == index) {
        // The replay's own code for what failed: a finding (1) for a reveal that does not open
        // its commitment or a bundle that does not verify, bad input (2) otherwise.
        return Fail(ctx, Status(r.code, "refused, nothing written: " + r.reason));
      }
    }
  }
  if (!file_path.empty()) {
    if (Status s = WriteFileAtomic(file_path, file_content); !s.ok()) return Fail(ctx, s);
  }
  auto idx = (*writer)->AppendTyped(std::span<const tlog::Entry>(&e, 1));
  if (!idx.ok()) return Fail(ctx, idx.error().WithContext("--log"));
  const std::string kind(tlog::KindName(e.kind).value_or("?"));
  if (a.json) {
    ordered_json j{{"inspection", a.id}, {"kind", kind}, {"log", a.log}, {"log_index", *idx}};
    if (!file_path.empty()) j["file"] = file_path;
    *ctx.out << j.dump(2) << "\n";
  } else {
    *ctx.out << kind << " of " << a.id << " logged as entry " << *idx << " of " << a.log
             << (file_path.empty() ? "" : "; wrote " + file_path) << "\n";
  }
  return kExitOk;
}

tlog::Entry MakeEntry(tlog::EntryKind kind, const Args& a, int64_t time, std::string payload) {
  return tlog::Entry{static_cast<uint16_t>(kind), a.party, time, std::move(payload)};
}

int RunRequest(Context& ctx, const Args& a) {
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  auto in = LoadInspectionInputs(AllLogs(a), a);
  if (!in.ok()) return Fail(ctx, in.error());
  in::Request r{a.id, a.treaty, a.type, a.inspected, a.site};
  auto payload = in::EncodeRequest(r);
  if (auto parsed = in::ParseRequest(payload, "flags"); !parsed.ok()) {
    return Fail(ctx, parsed.error());
  }
  const treaty::Treaty* t = in->Lookup()(a.treaty);
  if (!t) return Fail(ctx, LoadTreatyForEscrow(a.treaty, a.treaty_files).error());
  const in::Ledger ledger = in::BuildLedger(*t, in->entries);
  if (Status s = in::CheckNewRequest(*t, ledger, a.party, *time, r); !s.ok()) {
    return Fail(ctx, s.WithContext("refused, nothing written"));
  }
  return CheckAndAppend(ctx, a, *in,
                        MakeEntry(tlog::EntryKind::kInspectionRequest, a, *time, payload), false);
}

int RunOpen(Context& ctx, const Args& a) {
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  if (a.phase != "site" && a.phase != "designated") {
    return Fail(ctx, FieldError("--phase", "phase", "site or designated", "\"" + a.phase + "\""));
  }
  auto in = LoadInspectionInputs(AllLogs(a), a);
  if (!in.ok()) return Fail(ctx, in.error());
  // The request names the treaty and the site; the replay checks it all when the entry is added.
  std::optional<in::Request> request;
  for (const auto& e : in->entries) {
    if (e.entry.kind != static_cast<uint16_t>(tlog::EntryKind::kInspectionRequest)) continue;
    auto r = in::ParseRequest(e.entry.payload, e.Where());
    if (r.ok() && r->inspection == a.id) {
      request = *r;
      break;
    }
  }
  if (!request) return Fail(ctx, NotFound("no inspection-request \"" + a.id + "\" on the logs"));
  const treaty::Treaty* t = in->Lookup()(request->treaty);
  if (!t) return Fail(ctx, NotFound("treaty " + request->treaty));
  auto decl = escrow::OpenStore(a.store, *t);
  if (!decl.ok()) return Fail(ctx, decl.error().WithContext("--store"));
  escrow::Selection site;
  site.facility = request->site;
  auto site_bundle = decl->Open(site);
  if (!site_bundle.ok()) return Fail(ctx, site_bundle.error().WithContext("site " + site.facility));
  escrow::Bundle bundle = *site_bundle;
  in::OpeningPhase phase = in::OpeningPhase::kSite;
  if (a.phase == "designated") {
    // The site bundle is reproducible from the store: the replay needs it.
    in->docs.Add(escrow::BundleToJson(*site_bundle));
    auto rec = ReplayInspection(*in, a.id, *time);
    if (!rec.ok()) return Fail(ctx, rec.error());
    if (rec->stage != in::Stage::kDesignated) {
      return Fail(ctx, FailedPrecondition("inspection " + a.id + " is at stage " +
                                          std::string(in::StageName(rec->stage)) + ", awaiting " +
                                          rec->awaiting));
    }
    auto leaves = in::LeavesToOpen(*rec, *site_bundle);
    if (!leaves.ok()) return Fail(ctx, leaves.error());
    auto b = decl->OpenLeaves(*leaves, "inspection " + a.id + ": designated items");
    if (!b.ok()) return Fail(ctx, b.error());
    bundle = *b;
    phase = in::OpeningPhase::kDesignated;
  }
  std::string json = escrow::BundleToJson(bundle);
  in::Opening o{a.id, phase, in->docs.Add(json), {}};
  for (const auto& l : bundle.opened) o.leaves.push_back(l.index);
  return CheckAndAppend(ctx, a, *in,
                        MakeEntry(tlog::EntryKind::kOpening, a, *time, in::EncodeOpening(o)), true,
                        a.out, json);
}

int RunRandomness(Context& ctx, const Args& a, bool reveal) {
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  auto in = LoadInspectionInputs(AllLogs(a), a);
  if (!in.ok()) return Fail(ctx, in.error());
  if (!in::ValidInspectionId(a.id)) {
    return Fail(ctx, FieldError("--id", "id", "1-64 of [A-Za-z0-9._-]", "\"" + a.id + "\""));
  }
  // The same secret file format as `tally inspect commit` (64 hex digits, mode 0600).
  auto secret = LoadOrCreateSecret(a.secret, !reveal);
  if (!secret.ok()) return Fail(ctx, secret.error().WithContext("--secret"));
  const std::string round = in::RoundId(a.id);
  std::string payload =
      reveal ? in::EncodeReveal({a.id, round, *secret})
             : in::EncodeCommit({a.id, round, inspect::CommitmentFor(round, a.party, *secret)});
  return CheckAndAppend(
      ctx, a, *in,
      MakeEntry(reveal ? tlog::EntryKind::kRandomnessReveal : tlog::EntryKind::kRandomnessCommit, a,
                *time, std::move(payload)),
      true);
}

int RunRecord(Context& ctx, const Args& a) {
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  if (a.out.empty()) return Fail(ctx, InvalidArgument("--out: where to write the findings"));
  auto in = LoadInspectionInputs(AllLogs(a), a);
  if (!in.ok()) return Fail(ctx, in.error());
  auto rec = ReplayInspection(*in, a.id, *time);
  if (!rec.ok()) return Fail(ctx, rec.error());
  if (rec->stage != in::Stage::kOpened) {
    return Fail(ctx,
                FailedPrecondition("inspection " + a.id + " is at stage " +
                                   std::string(in::StageName(rec->stage)) +
                                   (rec->awaiting.empty() ? "" : ", awaiting " + rec->awaiting)));
  }
  in::Findings f{a.id, {}};
  for (const std::string& spec : a.observe) {
    const size_t c2 = spec.rfind(':');
    const size_t c1 =
        c2 == std::string::npos || c2 == 0 ? std::string::npos : spec.rfind(':', c2 - 1);
    const auto bad = [&] {
      return FieldError("--observe", "observation", "UID:STATUS:WARHEADS", "\"" + spec + "\"");
    };
    if (c1 == std::string::npos || c1 == 0) return Fail(ctx, bad());
    in::Observation o{spec.substr(0, c1), spec.substr(c1 + 1, c2 - c1 - 1), 0};
    try {
      size_t used = 0;
      o.warheads = std::stoll(spec.substr(c2 + 1), &used);
      if (used != spec.size() - c2 - 1 || o.warheads < 0) return Fail(ctx, bad());
    } catch (...) {
      return Fail(ctx, bad());
    }
    const bool designated = std::count(rec->designated.begin(), rec->designated.end(), o.uid) > 0;
    if (!designated && !a.unlisted) {
      return Fail(ctx, InvalidArgument(
                           "--observe " + o.uid +
                           ": not a designated item (unknown, or not opened for this inspection); "
                           "give --unlisted to record an item found at the site anyway"));
    }
    f.observed.push_back(std::move(o));
  }
  std::sort(f.observed.begin(), f.observed.end(),
            [](const in::Observation& x, const in::Observation& y) { return x.uid < y.uid; });
  const std::string doc = in::EncodeFindings(f);
  // Round-trip through the strict parser: a status or uid it would refuse is refused here.
  if (auto parsed = in::ParseFindings(doc, "--observe"); !parsed.ok()) {
    return Fail(ctx, parsed.error());
  }
  in::Finding entry{a.id, in->docs.Add(doc), f.observed.size()};
  return CheckAndAppend(ctx, a, *in,
                        MakeEntry(tlog::EntryKind::kFinding, a, *time, in::EncodeFinding(entry)),
                        true, a.out, doc);
}

// Flags shared by the write commands.
CLI::App* Writer(CLI::App* parent, const std::string& name, const std::string& help,
                 std::shared_ptr<Args> a) {
  auto* c = parent->add_subcommand(name, help);
  c->add_option("--id", a->id, "Inspection id (1-64 of [A-Za-z0-9._-])")->required();
  c->add_option("--party", a->party, "The acting party (its code, as on its log)")->required();
  c->add_option("--log", a->log, "The acting party's log directory (appended to)")->required();
  c->add_option("--with", a->with, "Another party's log directory (read; repeatable)");
  c->add_option("--bundle", a->bundles, "An opening bundle handed over (repeatable)");
  c->add_option("--time", a->time, "Entry time: seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  c->add_option("--treaty-file", a->treaty_files, "Extra treaty TOML files");
  c->add_flag("--json", a->json, "Print JSON");
  return c;
}

}  // namespace

void AddInspectionCommand(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("inspection",
                         "The inspection workflow on the party logs: request, open, randomness, "
                         "findings, verdict, quotas");
  cmd->require_subcommand(1);

  auto ra = std::make_shared<Args>();
  auto* req = Writer(cmd, "request", "Request an inspection (the inspecting party)", ra);
  req->add_option("--treaty", ra->treaty, "Treaty id")->capture_default_str();
  req->add_option("--type", ra->type, "Inspection type of the treaty's regime")->required();
  req->add_option("--inspected", ra->inspected, "The inspected party")->required();
  req->add_option("--site", ra->site, "The declared facility to inspect")->required();
  req->callback([&ctx, ra] { RunRequest(ctx, *ra); });

  auto oa = std::make_shared<Args>();
  auto* open = Writer(cmd, "open",
                      "Open the site's or the designated items' commitments "
                      "(the inspected party)",
                      oa);
  open->add_option("--phase", oa->phase, "site or designated")->required();
  open->add_option("--store", oa->store, "The declaration store (tally declare --out)")->required();
  open->add_option("--out", oa->out, "Write the bundle here (hand it to the inspectors)")
      ->required();
  open->callback([&ctx, oa] { RunOpen(ctx, *oa); });

  auto ca = std::make_shared<Args>();
  auto* commit = Writer(cmd, "commit", "Commit to a random contribution (both parties)", ca);
  commit->add_option("--secret", ca->secret, "Secret file (created, mode 0600)")->required();
  commit->callback([&ctx, ca] { RunRandomness(ctx, *ca, false); });

  auto va = std::make_shared<Args>();
  auto* reveal = Writer(cmd, "reveal", "Reveal the committed contribution (both parties)", va);
  reveal->add_option("--secret", va->secret, "The secret file committed to")->required();
  reveal->callback([&ctx, va] { RunRandomness(ctx, *va, true); });

  auto fa = std::make_shared<Args>();
  auto* record =
      Writer(cmd, "record", "Record the inspectors' findings (the inspecting party)", fa);
  record->add_option("--observe", fa->observe, "UID:STATUS:WARHEADS, one per item observed");
  record->add_option("--out", fa->out, "Write the findings document here (hand it over)");
  record->add_flag("--unlisted", fa->unlisted,
                   "Allow observations of items that were not designated (they become findings)");
  record->callback([&ctx, fa] { RunRecord(ctx, *fa); });

  AddInspectionReadCommands(cmd, ctx);
}

}  // namespace tally::cli
