// `tally log witness init|add|cosign` and `tally log monitor`: the other parties' side of a log.
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/cli/log_command.h"
#include "tally/merkle/proof.h"
#include "tally/node/cosign_client.h"
#include "tally/node/mirror.h"
#include "tally/server/http_client.h"
#include "tally/tlog/monitor.h"
#include "tally/tlog/tile_reader.h"
#include "tally/tlog/witness.h"

namespace tally::cli {
namespace {

struct WitnessArgs {
  std::string dir;
  std::string name;
  TrustFlags trust;
  std::string request = "-";
  std::string log_dir;
  std::string time;
  std::string state;
  std::vector<std::string> witness_urls;
  bool json = false;
};

int RunWitnessInit(Context& ctx, const WitnessArgs& a) {
  auto vkey = tlog::Witness::Init(a.dir, a.name);
  if (!vkey.ok()) return Fail(ctx, vkey.error());
  *ctx.out << (a.json ? nlohmann::json{{"dir", a.dir}, {"vkey", *vkey}}.dump(2) : *vkey) << "\n";
  return kExitOk;
}

int Cosign(Context& ctx, const WitnessArgs& a, const tlog::AddCheckpointRequest& req,
           bool lines_only) {
  auto trust = Trust::Load(a.trust);
  if (!trust.ok()) return Fail(ctx, trust.error());
  const size_t nl = req.checkpoint_note.find('\n');
  // The log signature decides; the witness is asked for its own cosignature, not others'.
  TrustFlags local = a.trust;
  local.cosignatures = 0;
  auto lt = Trust::Load(local);
  if (!lt.ok()) return Fail(ctx, lt.error());
  auto keys = lt->For(req.checkpoint_note.substr(0, nl == std::string::npos ? 0 : nl));
  if (!keys.ok()) return Fail(ctx, keys.error());
  auto time = ParseTimeFlag(a.time, "--time");
  if (!time.ok()) return Fail(ctx, time.error());
  if (*time < 0) return Fail(ctx, FieldError("--time", "time", "a time after 1970", a.time));
  auto w = tlog::Witness::Open(a.dir);
  if (!w.ok()) return Fail(ctx, w.error());
  auto r = (*w)->AddCheckpoint(req, keys->log_keys, static_cast<uint64_t>(*time));
  if (!r.ok()) return Fail(ctx, r.error());
  if (a.json) {
    *ctx.out << nlohmann::json{{"origin", r->checkpoint.origin},
                               {"size", r->checkpoint.size},
                               {"cosignature", r->cosignature.Line()},
                               {"note", r->cosigned_note}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << (lines_only ? r->cosignature.Line() : r->cosigned_note);
  }
  return kExitOk;
}

int RunWitnessAdd(Context& ctx, const WitnessArgs& a) {
  auto body = ReadInput(ctx, a.request);
  if (!body.ok()) return Fail(ctx, body.error());
  auto req = tlog::ParseAddCheckpointRequest(*body);
  if (!req.ok()) return Fail(ctx, req.error().WithContext(a.request == "-" ? "stdin" : a.request));
  return Cosign(ctx, a, *req, true);
}

// Builds the add-checkpoint request itself from a log directory (or a mirror of its files).
int RunWitnessCosign(Context& ctx, const WitnessArgs& a) {
  auto note = ReadFile(a.log_dir + "/checkpoint");
  if (!note.ok()) return Fail(ctx, note.error());
  TrustFlags local = a.trust;
  local.cosignatures = 0;
  auto trust = Trust::Load(local);
  if (!trust.ok()) return Fail(ctx, trust.error());
  auto opened = trust->Open(*note);
  if (!opened.ok()) return Fail(ctx, opened.error().WithContext(a.log_dir + "/checkpoint"));
  const tlog::Checkpoint* cp = &opened->checkpoint;
  auto w = tlog::Witness::Open(a.dir);
  if (!w.ok()) return Fail(ctx, w.error());
  auto latest = (*w)->Latest(cp->origin);
  if (!latest.ok()) return Fail(ctx, latest.error());
  tlog::AddCheckpointRequest req{0, {}, *note};
  if (*latest) {
    auto held_open = trust->Open(**latest);
    if (!held_open.ok()) return Fail(ctx, held_open.error());
    const tlog::Checkpoint* held = &held_open->checkpoint;
    req.old_size = held->size;
    if (held->size > 0 && held->size < cp->size) {
      tlog::TileReader reader(a.log_dir, cp->size, /*strict=*/false);
      auto proof = merkle::ConsistencyProof(held->size, cp->size, reader);
      if (!proof.ok()) return Fail(ctx, proof.error());
      req.proof = *proof;
    } else if (held->size > cp->size) {
      return Fail(ctx, VerificationFailed("witness: rollback: " + a.log_dir +
                                          "/checkpoint has size " + std::to_string(cp->size) +
                                          " but this witness already cosigned size " +
                                          std::to_string(held->size)));
    }
  }
  w->reset();  // Cosign opens the witness again: the lock is held per open witness
  return Cosign(ctx, a, req, false);
}

int RunMonitor(Context& ctx, const WitnessArgs& a) {
  auto trust = Trust::Load(a.trust);
  if (!trust.ok()) return Fail(ctx, trust.error());
  // A log folder, or a node or any static server of one (http://...).
  const bool remote = server::IsHttpUrl(a.dir);
  server::HttpClient client;
  Result<std::string> note = Internal("unset");
  if (remote) {
    auto r = client.Get(server::JoinUrl(a.dir, "checkpoint"));
    if (!r.ok()) return Fail(ctx, r.error());
    if (r->status != 200) {
      return Fail(ctx, Unavailable(server::JoinUrl(a.dir, "checkpoint") + ": HTTP " +
                                   std::to_string(r->status)));
    }
    note = std::move(r->body);
  } else {
    note = ReadFile(a.dir + "/checkpoint");
  }
  if (!note.ok()) return Fail(ctx, note.error());
  const size_t nl = note->find('\n');
  auto keys = trust->For(note->substr(0, nl == std::string::npos ? 0 : nl));
  if (!keys.ok()) return Fail(ctx, keys.error().WithContext(a.dir + "/checkpoint"));
  tlog::MonitorState state;
  if (!a.state.empty() && FileExists(a.state)) {
    auto text = ReadFile(a.state);
    if (!text.ok()) return Fail(ctx, text.error());
    auto s = tlog::MonitorState::Decode(*text, a.state);
    if (!s.ok()) return Fail(ctx, s.error());
    state = *s;
  }
  Result<tlog::MonitorReport> report = Internal("unset");
  if (remote) {
    // Fetch what is new into a scratch folder and verify it there; only the state (with the
    // verified right edge) is kept.
    auto parsed_note = tlog::ParseNote(*note);
    if (!parsed_note.ok()) return Fail(ctx, parsed_note.error().WithContext(a.dir));
    auto parsed = tlog::ParseCheckpoint(parsed_note->text);
    if (!parsed.ok()) return Fail(ctx, parsed.error().WithContext(a.dir));
    std::string scratch = std::filesystem::temp_directory_path().string() + "/tally-monitor-XXXXXX";
    if (!::mkdtemp(scratch.data())) return Fail(ctx, IoError("cannot create a scratch folder"));
    uint64_t fetched = 0;
    const uint64_t from = parsed->size >= state.size ? state.size : parsed->size;
    Status s = node::FetchTiles(client, a.dir, scratch, from, parsed->size, fetched);
    if (s.ok()) report = tlog::MonitorLogAt(scratch, *note, keys->Keys(), state);
    std::error_code ec;
    std::filesystem::remove_all(scratch, ec);
    if (!s.ok()) return Fail(ctx, s);
  } else {
    report = tlog::MonitorLog(a.dir, keys->Keys(), state);
  }
  if (!report.ok()) return Fail(ctx, report.error());
  if (!a.state.empty()) {
    if (Status s = WriteFileAtomic(a.state, state.Encode()); !s.ok()) return Fail(ctx, s);
  }
  const auto& cp = report->checkpoint;
  if (a.json) {
    *ctx.out << nlohmann::json{{"ok", true},
                               {"origin", cp.origin},
                               {"size", cp.size},
                               {"root", merkle::HashToBase64(cp.root)},
                               {"from_size", report->old_size},
                               {"entries_checked", report->entries_checked},
                               {"tiles_checked", report->tiles_checked}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << "verified " << cp.origin << " size " << cp.size << " root "
             << merkle::HashToBase64(cp.root) << " (from size " << report->old_size << ": "
             << report->entries_checked << " entries, " << report->tiles_checked << " tiles)\n";
  }
  return kExitOk;
}

// Asks each witness at a URL (tallyd, or any tlog-witness) to cosign the log's checkpoint and
// prints the checkpoint with every cosignature line appended.
int RunLogCosign(Context& ctx, const WitnessArgs& a) {
  auto note = ReadFile(a.log_dir + "/checkpoint");
  if (!note.ok()) return Fail(ctx, note.error());
  server::HttpClient client;
  std::string out = *note;
  for (const auto& url : a.witness_urls) {
    auto line = node::RequestCosignature(client, url, a.log_dir, *note);
    if (!line.ok()) return Fail(ctx, line.error());
    out += *line;
  }
  *ctx.out << out;
  return kExitOk;
}

}  // namespace

void AddLogWitnessCommands(CLI::App& log, Context& ctx) {
  auto ask_args = std::make_shared<WitnessArgs>();
  auto* ask = log.add_subcommand(
      "cosign", "Ask witnesses (tlog-witness URLs, e.g. tallyd nodes) to cosign the checkpoint");
  ask->add_option("dir", ask_args->log_dir, "Directory of the log")->required();
  ask->add_option("--witness", ask_args->witness_urls, "A witness URL (http://...); repeatable")
      ->required();
  ask->callback([&ctx, ask_args] { RunLogCosign(ctx, *ask_args); });

  auto* witness = log.add_subcommand(
      "witness", "Cosign other logs' checkpoints if consistent; refuse and keep forks");
  witness->require_subcommand(1);

  auto init_args = std::make_shared<WitnessArgs>();
  auto* init = witness->add_subcommand("init", "Create a witness and its cosigning key");
  init->add_option("dir", init_args->dir, "Directory of the witness")->required();
  init->add_option("--name", init_args->name, "The witness's key name, e.g. tally.example/w-ru")
      ->required();
  init->add_flag("--json", init_args->json, "Print JSON");
  init->callback([&ctx, init_args] { RunWitnessInit(ctx, *init_args); });

  auto add_args = std::make_shared<WitnessArgs>();
  auto* add = witness->add_subcommand(
      "add", "Handle a tlog-witness add-checkpoint request; print the cosignature line");
  add->add_option("dir", add_args->dir, "Directory of the witness")->required();
  AddTrustFlags(add, add_args->trust, "--log-vkey");
  add->add_option("--request", add_args->request, "The request body (default - for stdin)");
  add->add_option("--time", add_args->time, "Cosignature time (default now)");
  add->add_flag("--json", add_args->json, "Print JSON");
  add->callback([&ctx, add_args] { RunWitnessAdd(ctx, *add_args); });

  auto cosign_args = std::make_shared<WitnessArgs>();
  auto* cosign = witness->add_subcommand(
      "cosign", "Cosign a log directory's checkpoint (proof computed from its tiles)");
  cosign->add_option("dir", cosign_args->dir, "Directory of the witness")->required();
  cosign->add_option("--log", cosign_args->log_dir, "Directory of the log (or its mirror)")
      ->required();
  AddTrustFlags(cosign, cosign_args->trust, "--log-vkey");
  cosign->add_option("--time", cosign_args->time, "Cosignature time (default now)");
  cosign->add_flag("--json", cosign_args->json, "Print JSON");
  cosign->callback([&ctx, cosign_args] { RunWitnessCosign(ctx, *cosign_args); });

  auto mon_args = std::make_shared<WitnessArgs>();
  auto* monitor = log.add_subcommand(
      "monitor", "Re-verify a log from its tiles (every tile, bundle and signature)");
  monitor
      ->add_option("dir", mon_args->dir,
                   "Directory of the log (or its mirror), or its URL (http://...)")
      ->required();
  AddTrustFlags(monitor, mon_args->trust);
  monitor->add_option("--state", mon_args->state,
                      "State file: resume from the last verified size and save the new one");
  monitor->add_flag("--json", mon_args->json, "Print JSON");
  monitor->callback([&ctx, mon_args] { RunMonitor(ctx, *mon_args); });
}

}  // namespace tally::cli
