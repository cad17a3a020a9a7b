// `tally inspection request|open|commit|reveal|record|designate|status|verdict|list|quota`: the
// inspection workflow on the parties' logs (docs/inspections.md, "The inspection workflow on the
// log"; payloads in docs/formats/inspection.md).
//
// Write commands append the acting party's entry to its own log (--log); the acting party is the
// log's owner in the network file, never a flag. The entry is built and checked by the library
// (inspection/actions.h) over every log given (--log and --with) and the documents handed over
// (--bundle, --findings): an entry the replay would reject is never written, and neither is any
// file. The read commands are in inspection_read_command.cc.
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
#include "tally/crypto/random.h"
#include "tally/escrow/store.h"
#include "tally/inspection/actions.h"
#include "tally/inspection/round_secret.h"
#include "tally/tlog/log_writer.h"

namespace tally::cli {

inspection::TreatyLookup InspectionInputs::Lookup() {
  return [this](const std::string& id) -> const treaty::Treaty* {
    if (treaty && treaty->treaty && treaty->treaty->id == id) return treaty->treaty;
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
  auto net = network::LoadNetwork(a.network);
  if (!net.ok()) return net.error().WithContext("--network");
  in.network.emplace(std::move(*net));
  for (const std::string& dir : logs) {
    TALLY_ASSIGN_OR_RETURN(inspection::PartyLog log, inspection::ReadPartyLog(dir, *in.network));
    if (const inspection::PartyLog* twice = inspection::FindLog(in.source.logs, log.owner())) {
      return InvalidArgument(dir + " and " + twice->source() + " are both " + log.owner() +
                             "'s log; give one log per party");
    }
    in.source.logs.push_back(std::move(log));
  }
  for (const auto* list : {&a.bundles, &a.findings}) {
    for (const std::string& path : *list) {
      auto bytes = ReadFile(path);
      if (!bytes.ok()) return bytes.error();
      in.source.documents.Add(std::move(*bytes));
    }
  }
  in.source.Index();
  return in;
}

Result<inspection::InspectionRecord> ReplayInspection(InspectionInputs& in, const std::string& id,
                                                      int64_t now) {
  return inspection::Replay(in.Lookup(), in.source, id, now);
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

// The inputs and the acting party: the owner of --log. Not movable: `lookup` points into
// `inputs`.
struct Acting {
  Inputs inputs;
  std::string me;
  in::TreatyLookup lookup;
};

Result<std::unique_ptr<Acting>> LoadActing(const Args& a) {
  if (!in::ValidInspectionId(a.id)) {
    return FieldError("--id", "id", "1-64 of [A-Za-z0-9._-]", "\"" + a.id + "\"");
  }
  TALLY_ASSIGN_OR_RETURN(Inputs inputs, LoadInspectionInputs(AllLogs(a), a));
  auto acting = std::make_unique<Acting>();
  acting->inputs = std::move(inputs);
  acting->me = acting->inputs.source.logs.front().owner();
  acting->lookup = acting->inputs.Lookup();
  return acting;
}

// Appends the checked entry to the acting party's log and writes the document, if any. The log
// must still be the one the action was checked against.
int Write(Context& ctx, const Args& a, Acting& acting, const in::Action& action,
          const std::string& file_path = "") {
  const uint64_t checked_size = acting.inputs.source.logs.front().size();
  auto writer = tlog::LogWriter::Open(a.log);
  if (!writer.ok()) return Fail(ctx, writer.error().WithContext("--log"));
  if ((*writer)->size() != checked_size) {
    return Fail(ctx, FailedPrecondition(a.log + " grew from " + std::to_string(checked_size) +
                                        " to " + std::to_string((*writer)->size()) +
                                        " entries while the entry was checked; run it again"));
  }
  if (!file_path.empty()) {
    // Partner-only: salts and records of opened items, or the inspectors' observations.
    if (Status s = WriteFileAtomic(file_path, action.document, 0600); !s.ok()) return Fail(ctx, s);
  }
  auto idx = (*writer)->AppendTyped(std::span<const tlog::Entry>(&action.entry, 1));
  if (!idx.ok()) return Fail(ctx, idx.error().WithContext("--log"));
  const std::string kind(tlog::KindName(action.entry.kind).value_or("?"));
  if (a.json) {
    ordered_json j{{"inspection", a.id},
                   {"party", acting.me},
                   {"kind", kind},
                   {"log", a.log},
                   {"log_index", *idx}};
    if (!file_path.empty()) j["file"] = file_path;
    *ctx.out << j.dump(2) << "\n";
  } else {
    *ctx.out << kind << " of " << a.id << " by " << acting.me << " logged as entry " << *idx
             << " of " << a.log << (file_path.empty() ? "" : "; wrote " + file_path + " (0600)")
             << "\n";
  }
  return kExitOk;
}

in::Actor ActorOf(const Acting& acting) {
  return in::Actor{&acting.lookup, &acting.inputs.source, acting.me};
}

int RunRequest(Context& ctx, const Args& a) {
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  auto acting = LoadActing(a);
  if (!acting.ok()) return Fail(ctx, acting.error());
  if (!(*acting)->lookup(a.treaty)) {
    return Fail(ctx, LoadTreatyForEscrow(a.treaty, a.treaty_files).error());
  }
  in::Request r{a.id, a.treaty, a.type, a.inspected, a.site, {}};
  auto action = in::RequestInspection(ActorOf(**acting), *time, r);
  if (!action.ok()) return Fail(ctx, action.error());
  return Write(ctx, a, **acting, *action);
}

// The declaration store of the inspected party, under the treaty of the request.
Result<escrow::Declaration> OpenDeclaration(const Args& a, Acting& acting) {
  const auto named = acting.inputs.source.by_inspection.find(a.id);
  if (named == acting.inputs.source.by_inspection.end()) {
    return NotFound("no inspection-request \"" + a.id + "\" on the logs");
  }
  for (const auto& x : named->second) {
    if (x.logged->entry.kind != static_cast<uint16_t>(tlog::EntryKind::kInspectionRequest)) {
      continue;
    }
    TALLY_ASSIGN_OR_RETURN(in::Request r,
                           in::ParseRequest(x.logged->entry.payload, x.logged->Where()));
    const treaty::Treaty* t = acting.lookup(r.treaty);
    if (!t) return NotFound("treaty " + r.treaty);
    auto decl = escrow::OpenStore(a.store, *t);
    if (!decl.ok()) return decl.error().WithContext("--store");
    return decl;
  }
  return NotFound("no inspection-request \"" + a.id + "\" on the logs");
}

int RunOpen(Context& ctx, const Args& a) {
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  if (a.phase != "site" && a.phase != "designated") {
    return Fail(ctx, FieldError("--phase", "phase", "site or designated", "\"" + a.phase + "\""));
  }
  auto acting = LoadActing(a);
  if (!acting.ok()) return Fail(ctx, acting.error());
  auto decl = OpenDeclaration(a, **acting);
  if (!decl.ok()) return Fail(ctx, decl.error());
  auto action = a.phase == "site" ? in::OpenSite(ActorOf(**acting), *time, a.id, *decl)
                                  : in::OpenDesignated(ActorOf(**acting), *time, a.id, *decl);
  if (!action.ok()) return Fail(ctx, action.error());
  return Write(ctx, a, **acting, *action, a.out);
}

int RunRandomness(Context& ctx, const Args& a, bool reveal) {
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  auto acting = LoadActing(a);
  if (!acting.ok()) return Fail(ctx, acting.error());
  const std::string path =
      a.secret.empty()
          ? in::DefaultSecretPath(tlog::LogLocation::ForDirectory(a.log).private_dir, a.id)
          : a.secret;
  const std::string round = in::RoundId(a.id);
  if (reveal) {
    auto secret = in::LoadRoundSecret(path, round);
    if (!secret.ok()) return Fail(ctx, secret.error().WithContext("--secret"));
    auto action = in::RevealRandomness(ActorOf(**acting), *time, a.id, *secret);
    if (!action.ok()) return Fail(ctx, action.error());
    return Write(ctx, a, **acting, *action);
  }
  // A fresh secret, checked before it is kept: nothing is written if the commitment is refused.
  if (FileExists(path)) {
    return Fail(ctx, AlreadyExists("--secret: " + path +
                                   " exists; a fresh secret is drawn for every round"));
  }
  inspect::Secret secret;
  crypto::SystemRandom().Fill(secret);
  auto action = in::CommitRandomness(ActorOf(**acting), *time, a.id, secret);
  if (!action.ok()) return Fail(ctx, action.error());
  if (Status kept = in::SaveRoundSecret(path, round, secret); !kept.ok()) {
    return Fail(ctx, kept.WithContext("--secret"));
  }
  return Write(ctx, a, **acting, *action);
}

Result<in::Observation> ParseObservation(const std::string& spec) {
  const size_t c2 = spec.rfind(':');
  const size_t c1 =
      c2 == std::string::npos || c2 == 0 ? std::string::npos : spec.rfind(':', c2 - 1);
  const auto bad = [&] {
    return FieldError("--observe", "observation", "UID:STATUS:WARHEADS",
                      "\"" + spec.substr(0, 80) + "\"");
  };
  if (c1 == std::string::npos || c1 == 0) return bad();
  in::Observation o{spec.substr(0, c1), spec.substr(c1 + 1, c2 - c1 - 1), 0};
  const std::string count = spec.substr(c2 + 1);
  if (count.empty() || count.size() > 4 ||
      !std::all_of(count.begin(), count.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      (count.size() > 1 && count[0] == '0')) {
    return bad();
  }
  o.warheads = std::stoll(count);
  return o;
}

int RunRecord(Context& ctx, const Args& a) {
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  if (a.out.empty()) return Fail(ctx, InvalidArgument("--out: where to write the findings"));
  std::vector<in::Observation> observed;
  for (const std::string& spec : a.observe) {
    auto o = ParseObservation(spec);
    if (!o.ok()) return Fail(ctx, o.error());
    observed.push_back(std::move(*o));
  }
  auto acting = LoadActing(a);
  if (!acting.ok()) return Fail(ctx, acting.error());
  auto action = in::RecordFindings(ActorOf(**acting), *time, a.id, std::move(observed), a.unlisted);
  if (!action.ok()) return Fail(ctx, action.error().WithContext("--observe"));
  return Write(ctx, a, **acting, *action, a.out);
}

// Flags shared by the write commands.
CLI::App* Writer(CLI::App* parent, const std::string& name, const std::string& help,
                 std::shared_ptr<Args> a) {
  auto* c = parent->add_subcommand(name, help);
  c->add_option("--id", a->id, "Inspection id: the inspecting party's code, '-', and a name")
      ->required();
  c->add_option("--log", a->log,
                "Your own log directory (appended to; you are its owner in the network file)")
      ->required();
  c->add_option("--with", a->with, "Another party's log directory (read; repeatable)");
  c->add_option("--network", a->network,
                "Network file (default: $TALLY_NETWORK, else ./network.toml)");
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
  open->add_option("--out", oa->out, "Write the bundle here, mode 0600 (hand it to the inspectors)")
      ->required();
  open->callback([&ctx, oa] { RunOpen(ctx, *oa); });

  auto ca = std::make_shared<Args>();
  auto* commit = Writer(cmd, "commit", "Commit to a fresh random contribution (both parties)", ca);
  commit->add_option("--secret", ca->secret,
                     "Where to keep the new secret (default: LOG.private/secrets/ID.secret)");
  commit->callback([&ctx, ca] { RunRandomness(ctx, *ca, false); });

  auto va = std::make_shared<Args>();
  auto* reveal = Writer(cmd, "reveal",
                        "Reveal the committed contribution (the inspected party first, the "
                        "inspecting party last)",
                        va);
  reveal->add_option("--secret", va->secret,
                     "The secret file committed to (default: LOG.private/secrets/ID.secret)");
  reveal->callback([&ctx, va] { RunRandomness(ctx, *va, true); });

  auto fa = std::make_shared<Args>();
  auto* record =
      Writer(cmd, "record", "Record the inspectors' findings (the inspecting party)", fa);
  record->add_option("--observe", fa->observe, "UID:STATUS:WARHEADS, one per item observed");
  record->add_option("--out", fa->out,
                     "Write the findings document here, mode 0600 (hand it over)");
  record->add_flag("--unlisted", fa->unlisted,
                   "Allow observations of items that were not designated (they become findings)");
  record->callback([&ctx, fa] { RunRecord(ctx, *fa); });

  AddInspectionReadCommands(cmd, ctx);
}

}  // namespace tally::cli
