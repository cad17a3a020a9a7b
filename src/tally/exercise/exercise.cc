#include "tally/exercise/exercise.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>
#include <thread>

#include "tally/base/file.h"
#include "tally/base/parallel.h"
#include "tally/crypto/encoding.h"
#include "tally/exercise/cheat_outcomes.h"
#include "tally/inspect/monte_carlo.h"
#include "tally/network/network.h"
#include "tally/tlog/log_writer.h"

namespace tally::exercise {

Result<ExerciseResult> RunExercise(const TreatyYearOptions& options, uint64_t runs,
                                   const inspection::TreatyLookup& treaties) {
  if (runs < 1 || runs > 10000) {
    return InvalidArgument("runs: expected 1 to 10000, got " + std::to_string(runs));
  }
  ExerciseResult result;
  result.options = options;
  result.runs = runs;
  TALLY_ASSIGN_OR_RETURN(result.run, RunTreatyYear(options, treaties));
  if (runs == 1 || options.cheats.empty()) return result;
  std::vector<CatchRate> rates(options.cheats.size());
  // Runs are independent: spread them over the cores, each worker taking the next seed.
  std::vector<std::vector<char>> caught(runs, std::vector<char>(rates.size(), 0));
  std::vector<std::vector<double>> probability(runs, std::vector<double>(rates.size(), 0.0));
  for (size_t c = 0; c < rates.size(); ++c) {
    caught[0][c] = result.run.outcomes[c].caught;
    probability[0][c] = result.run.outcomes[c].probability;
  }
  std::atomic<uint64_t> next{1};
  std::mutex failure_mutex;
  std::optional<Status> failure;
  auto work = [&] {
    for (uint64_t k = next++; k < runs; k = next++) {
      TreatyYearOptions o = options;
      o.seed = options.seed + k;
      SerialScope serial;  // the runs already use every core
      auto other = RunTreatyYear(o, treaties);
      if (!other.ok()) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = other.error().WithContext("seed " + std::to_string(o.seed));
        return;
      }
      for (size_t c = 0; c < rates.size(); ++c) {
        caught[k][c] = other->outcomes[c].caught;
        probability[k][c] = other->outcomes[c].probability;
      }
    }
  };
  const unsigned workers = std::max(
      1u, std::min<unsigned>(std::thread::hardware_concurrency(), static_cast<unsigned>(runs - 1)));
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w) threads.emplace_back(work);
  for (std::thread& t : threads) t.join();
  if (failure) return *failure;
  for (uint64_t k = 0; k < runs; ++k) {
    for (size_t c = 0; c < rates.size(); ++c) {
      rates[c].caught += caught[k][c] ? 1 : 0;
      rates[c].probability += probability[k][c];
    }
  }
  for (size_t c = 0; c < rates.size(); ++c) {
    CatchRate& r = rates[c];
    r.cheat = options.cheats[c];
    r.runs = runs;
    r.rate = static_cast<double>(r.caught) / static_cast<double>(runs);
    r.probability /= static_cast<double>(runs);
    inspect::WilsonInterval(r.caught, runs, r.low, r.high);
    r.agrees = r.low <= r.probability + 1e-12 && r.probability <= r.high + 1e-12;
  }
  result.rates = std::move(rates);
  return result;
}

void ApplyNodeOutcomes(ExerciseResult& result) {
  if (!result.nodes || !result.nodes->fork) return;
  const ForkOutcome& f = *result.nodes->fork;
  for (CheatOutcome& o : result.run.outcomes) {
    if (o.cheat.kind != CheatKind::kForkedLog || o.cheat.party != f.cheater) continue;
    o.applied = 1;
    o.not_applied.clear();
    o.caught = f.caught;
    o.by = f.partner + "'s node, comparing the checkpoints " + f.cheater +
           "'s node showed it with the witness's view";
    o.finding = f.alarm;
    o.when = result.run.ends;
    o.evidence = f.partner + "'s node's alarms (GET /alarms): two checkpoints of size " +
                 std::to_string(f.size) + " signed by " + f.cheater + "'s log key";
    o.probability = 1.0;
    o.model = ForkModel();
  }
}

Status WriteExercise(ExerciseResult& result, const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return FailedPrecondition(dir +
                              ": exists and is not empty (an exercise writes a fresh folder)");
  }
  if (std::filesystem::exists(dir, ec)) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || st.st_uid != ::geteuid()) {
      return FailedPrecondition(dir +
                                ": not owned by this user (the network file it gets pins the "
                                "keys every replay trusts)");
    }
  }
  TALLY_RETURN_IF_ERROR(MakeDirectories(dir));
  ::chmod(dir.c_str(), 0700);  // it holds the logs' keys (DIR/<PARTY>.private)
  network::Description d;
  d.name = "exercise";
  d.treaty = result.options.treaty;
  result.logs.clear();
  for (const inspection::PartyLog& log : result.run.source.logs) {
    const std::string log_dir = dir + "/" + log.owner();
    TALLY_ASSIGN_OR_RETURN(std::string vkey, tlog::LogWriter::Init(log_dir, log.origin()));
    TALLY_ASSIGN_OR_RETURN(auto writer, tlog::LogWriter::Open(log_dir));
    std::vector<std::string> bytes;
    bytes.reserve(log.entries().size());
    for (const inspection::LoggedEntry& e : log.entries()) bytes.push_back(e.bytes);
    auto appended = writer->Append(bytes);
    if (!appended.ok()) return appended.error().WithContext(log_dir);
    d.parties.push_back({log.owner(), log.origin(), vkey, "", "", ""});
    result.logs.push_back(log_dir);
  }
  TALLY_ASSIGN_OR_RETURN(network::Network net, network::Network::Make(d, dir + "/network.toml"));
  result.network_file = dir + "/network.toml";
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(result.network_file, net.ToToml()));
  result.documents_dir = dir + "/documents";
  TALLY_RETURN_IF_ERROR(MakeDirectories(result.documents_dir));
  const inspection::Documents& documents = result.run.source.documents;
  for (const inspection::Hash32& hash : documents.Hashes()) {
    const std::string path = result.documents_dir + "/" + crypto::HexEncode(hash) + ".json";
    auto bytes = documents.Find(hash);
    if (!bytes) {
      return DataLoss(path + ": the document is gone from the run's archive " +
                      documents.archive_dir());
    }
    TALLY_RETURN_IF_ERROR(WriteFileAtomic(path, *bytes, 0600));
  }
  return Status::Ok();
}

std::string ExerciseJson(const ExerciseResult& result, const inspection::TreatyLookup& treaties) {
  using nlohmann::ordered_json;
  const TreatyYearRun& run = result.run;
  ordered_json doc;
  ordered_json parties = ordered_json::array();
  for (const std::string& p : result.options.parties) parties.push_back(p);
  doc["treaty"] = result.options.treaty;
  doc["parties"] = parties;
  doc["treaty_year"] = result.options.year;
  doc["years"] = result.options.years;
  doc["items_scale"] = result.options.items_scale;
  doc["begins"] = run.begins.ToString();
  doc["ends"] = run.ends.ToString();
  doc["seed"] = result.options.seed;
  doc["mode"] = result.nodes ? "nodes" : "in-process";
  doc["entries"] = run.entries;
  ordered_json inventories = ordered_json::array();
  for (const PartyStructure& s : run.structures) {
    inventories.push_back({{"party", s.party},
                           {"structure", s.file},
                           {"as_of", s.as_of.ToString()},
                           {"source", s.source},
                           {"extrapolated", run.begins > s.as_of},
                           {"scale", s.scale},
                           {"items", s.items}});
  }
  doc["inventories"] = inventories;
  ordered_json compliance = ordered_json::array();
  for (const ComplianceRow& row : run.compliance) {
    ordered_json limits = ordered_json::array();
    for (const LimitCount& l : row.limits) {
      limits.push_back(
          {{"limit", l.limit}, {"max", l.max}, {"declared", l.declared}, {"actual", l.actual}});
    }
    compliance.push_back({{"party", row.party},
                          {"as_of", row.as_of.ToString()},
                          {"declared", row.declared_verdict},
                          {"actual", row.actual_verdict},
                          {"limits", limits}});
  }
  doc["compliance"] = compliance;
  ordered_json inspections = ordered_json::array();
  for (const std::string& id : run.inspections) {
    auto rec = inspection::Replay(treaties, run.source, id, 0);
    if (!rec.ok()) {
      inspections.push_back({{"id", id}, {"error", rec.error().message()}});
      continue;
    }
    ordered_json discrepancies = ordered_json::array();
    for (const inspection::Discrepancy& d : rec->discrepancies) {
      discrepancies.push_back({{"uid", d.uid}, {"kind", d.kind}, {"what", d.what}});
    }
    ordered_json procedural = ordered_json::array();
    for (const inspection::ProceduralViolation& v : rec->procedural) {
      procedural.push_back({{"party", v.party}, {"kind", v.kind}, {"what", v.what}});
    }
    inspections.push_back({{"id", id},
                           {"inspecting", rec->inspecting},
                           {"inspected", rec->request.inspected},
                           {"type", rec->type_name},
                           {"site", rec->request.site},
                           {"designated", rec->designated.size()},
                           {"fallback", rec->fallback},
                           {"verdict", rec->Verdict()},
                           {"discrepancies", discrepancies},
                           {"procedural", procedural},
                           {"rejected", rec->rejected.size()}});
  }
  doc["inspections"] = inspections;
  ordered_json cheats = ordered_json::array();
  for (const CheatOutcome& o : run.outcomes) {
    ordered_json c = {{"cheat", CheatToString(o.cheat)},
                      {"party", o.cheat.party},
                      {"kind", std::string(CheatName(o.cheat.kind))},
                      {"amount", o.cheat.amount},
                      {"applied", o.applied},
                      {"not_applied", o.not_applied},
                      {"caught", o.caught},
                      {"by", o.by},
                      {"finding", o.finding},
                      {"when", o.when ? ordered_json(o.when->ToString()) : ordered_json()},
                      {"evidence", o.evidence},
                      {"probability", o.probability},
                      {"model", o.model}};
    cheats.push_back(std::move(c));
  }
  doc["cheats"] = cheats;
  if (!result.year_end.empty()) {
    auto interval = [](const std::optional<Interval>& i) {
      if (!i) return ordered_json();
      return ordered_json{
          {"median", i->median},
          {"p05", i->p05},
          {"p95", i->p95},
          {"observations", i->observations},
          {"last_observation",
           i->last_observation ? ordered_json(i->last_observation->ToString()) : ordered_json()}};
    };
    ordered_json estimates = ordered_json::array();
    for (const YearEndEstimate& y : result.year_end) {
      estimates.push_back({{"party", y.party},
                           {"limit", y.limit},
                           {"category", y.category},
                           {"at", y.at.ToString()},
                           {"available", y.available},
                           {"reason", y.reason},
                           {"without_regime", interval(y.without)},
                           {"with_regime", interval(y.with)},
                           {"declared", y.declared},
                           {"actual", y.actual}});
    }
    doc["year_end_estimates"] = estimates;
  }
  if (!result.rates.empty()) {
    ordered_json rates = ordered_json::array();
    for (const CatchRate& r : result.rates) {
      rates.push_back({{"cheat", CheatToString(r.cheat)},
                       {"runs", r.runs},
                       {"caught", r.caught},
                       {"rate", r.rate},
                       {"ci95", {r.low, r.high}},
                       {"probability", r.probability},
                       {"agrees", r.agrees}});
    }
    doc["catch_rates"] = rates;
  }
  if (!result.logs.empty()) {
    doc["written"] = {{"logs", result.logs},
                      {"network", result.network_file},
                      {"documents", result.documents_dir}};
  }
  if (result.nodes) {
    const NodeRunResult& n = *result.nodes;
    ordered_json nodes = ordered_json::array();
    for (const NodeReport& r : n.nodes) {
      nodes.push_back({{"party", r.party},
                       {"dir", r.dir},
                       {"url", r.url},
                       {"entries", r.entries},
                       {"log_identical", r.log_identical},
                       {"mirrors_complete", r.mirrors_complete},
                       {"alarms", r.alarms},
                       {"appends", r.requests},
                       {"documents_delivered", r.documents_sent},
                       {"restarts", r.restarts},
                       {"exit_code", r.exit_code}});
    }
    ordered_json disagreements = ordered_json::array();
    for (const VerdictCheck& v : n.disagreements) {
      disagreements.push_back({{"inspection", v.inspection},
                               {"node", v.party},
                               {"in_process", v.expected},
                               {"node_verdict", v.got}});
    }
    ordered_json witness = nullptr, fork = nullptr;
    if (n.witness) {
      witness = {{"url", n.witness->url},
                 {"dir", n.witness->dir},
                 {"mirrors_complete", n.witness->mirrors_complete},
                 {"alarms", n.witness->alarms},
                 {"exit_code", n.witness->exit_code}};
    }
    if (n.fork) {
      fork = {{"cheater", n.fork->cheater}, {"partner", n.fork->partner},
              {"size", n.fork->size},       {"witness_saw", n.fork->witness_saw},
              {"caught", n.fork->caught},   {"alarm", n.fork->alarm},
              {"seconds", n.fork->seconds}};
    }
    doc["nodes"] = {{"ok", n.ok()},
                    {"witness", witness},
                    {"fork", fork},
                    {"network", n.network_file},
                    {"parties", nodes},
                    {"verdicts_checked", n.verdicts_checked},
                    {"verdicts_expected", n.verdicts_expected},
                    {"verdict_disagreements", disagreements},
                    {"events", n.events},
                    {"seconds",
                     {{"publish", n.publish_seconds},
                      {"settle", n.settle_seconds},
                      {"total", n.total_seconds}}}};
  }
  return doc.dump(2);
}

}  // namespace tally::exercise
