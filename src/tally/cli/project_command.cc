// `tally project`: a scenario file (docs/formats/scenario.md) run forward — the central path and,
// with --ensemble, a seeded Monte Carlo ensemble with 5–95 % bands — compared with the scenario's
// own limits and every chosen treaty's limits over time. Every output carries the scenario file's
// SHA-256. Under `mpirun -n K` the ensemble's members are split across ranks and rank 0 prints
// the same result as a single process with the same seed.
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tally/base/file.h"
#include "tally/ceilings/treaty_ceilings.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/data/embedded.h"
#include "tally/scenario/distributed.h"
#include "tally/scenario/projection.h"
#include "tally/scenario/scenario.h"
#include "tally/treaty/treaty_set.h"

namespace tally::cli {

Result<treaty::TreatySet> LoadTreatiesForCli(const std::vector<std::string>& treaty_files);

namespace {

struct ProjectArgs {
  std::string file;
  bool ensemble = false;
  int members = 0;
  int64_t seed = -1;
  int threads = 0;
  std::vector<std::string> treaties;
  std::vector<std::string> treaty_files;
  int every = 0;
  bool json = false, csv = false;
};

std::string Round(double v) { return std::isnan(v) ? "—" : WithThousands(std::llround(v)); }

int Run(Context& ctx, const ProjectArgs& a) {
  if (a.json && a.csv) return Fail(ctx, InvalidArgument("--json and --csv exclude each other"));
  // A path, or the name of a scenario shipped in data/scenarios/.
  std::string text, name = a.file;
  if (FileExists(a.file)) {
    auto t = ReadFile(a.file);
    if (!t) return Fail(ctx, InvalidArgument(t.error().message()));
    text = std::move(*t);
  } else if (auto e = data::EmbeddedFile("scenarios/" + a.file + ".toml")) {
    text = std::string(*e);
    name = "scenarios/" + a.file + ".toml";
  } else {
    std::string known;
    for (const auto& f : data::EmbeddedFilesUnder("scenarios/")) {
      std::string n(f.path.substr(10));
      if (n.size() > 5 && n.substr(n.size() - 5) == ".toml")
        known += " " + n.substr(0, n.size() - 5);
    }
    return Fail(ctx, InvalidArgument(a.file +
                                     ": no such file or shipped scenario (shipped:" + known + ")"));
  }
  const std::string sha = crypto::HexEncode(crypto::Sha256Of(std::string_view(text)));
  auto parsed = scenario::ParseScenario(text, name);
  if (!parsed) return Fail(ctx, parsed.error());
  scenario::Scenario sc = std::move(*parsed);

  auto set = LoadTreatiesForCli(a.treaty_files);
  if (!set) return Fail(ctx, set.error());
  std::vector<std::string> treaty_ids = sc.treaties;
  treaty_ids.insert(treaty_ids.end(), a.treaties.begin(), a.treaties.end());
  for (const auto& id : treaty_ids) {
    auto t = set->Get(id);
    if (!t)
      return Fail(ctx, InvalidArgument(name + ": treaty '" + id + "': " + t.error().message()));
    for (auto& l : ceilings::TreatyCeilings(**t)) sc.limits.push_back(std::move(l));
  }

  const int members = a.ensemble ? (a.members > 0 ? a.members : sc.members) : 1;
  const uint64_t seed = a.seed >= 0 ? static_cast<uint64_t>(a.seed) : sc.seed;
  const int threads =
      a.threads > 0
          ? a.threads
          : static_cast<int>(std::max(1u, std::min(2u, std::thread::hardware_concurrency())));
  auto run = scenario::ProjectDistributed(sc, members, seed, threads);
  if (!run) return Fail(ctx, run.error());
  if (run->rank != 0) return kExitOk;  // rank 0 speaks for the job
  const scenario::Projection& p = *run->projection;
  const size_t every = a.every > 0 ? static_cast<size_t>(a.every) : (sc.yearly ? 1 : 12);

  if (a.csv) {
    *ctx.out << "scenario_sha256,series,state,quantity,date,central,p05,p25,p50,p75,p95\n";
    for (size_t i = 0; i < sc.series.size(); ++i) {
      const auto& b = p.bands[i];
      for (size_t t = 0; t < p.dates.size(); ++t) {
        *ctx.out << sha << "," << sc.series[i].id << "," << sc.series[i].state << ","
                 << sc.series[i].quantity << "," << p.dates[t].ToString() << "," << b.central[t];
        if (a.ensemble) {
          *ctx.out << "," << b.p05[t] << "," << b.p25[t] << "," << b.p50[t] << "," << b.p75[t]
                   << "," << b.p95[t] << "\n";
        } else {
          *ctx.out << ",,,,,\n";
        }
      }
    }
    return kExitOk;
  }
  if (a.json) {
    nlohmann::json doc;
    doc["scenario"] = {{"name", sc.name},
                       {"file", name},
                       {"sha256", sha},
                       {"start", sc.start.ToString()},
                       {"end", sc.end.ToString()},
                       {"step", sc.yearly ? "year" : "month"},
                       {"treaties", treaty_ids}};
    doc["ensemble"] = {
        {"enabled", a.ensemble}, {"members", members}, {"seed", seed}, {"ranks", run->ranks}};
    nlohmann::json dates = nlohmann::json::array();
    for (const auto& d : p.dates) dates.push_back(d.ToString());
    doc["dates"] = dates;
    doc["series"] = nlohmann::json::array();
    for (size_t i = 0; i < sc.series.size(); ++i) {
      const auto& s = sc.series[i];
      const auto& b = p.bands[i];
      nlohmann::json j = {{"id", s.id},
                          {"state", s.state},
                          {"quantity", s.quantity},
                          {"assumptions",
                           {{"initial", s.initial.Describe()},
                            {"growth", s.growth.Describe()},
                            {"fatigue", s.fatigue.Describe()},
                            {"source", s.source},
                            {"where", name + ":" + std::to_string(s.line)}}},
                          {"central", b.central}};
      if (a.ensemble) {
        j["p05"] = b.p05;
        j["p25"] = b.p25;
        j["p50"] = b.p50;
        j["p75"] = b.p75;
        j["p95"] = b.p95;
      }
      doc["series"].push_back(j);
    }
    doc["limits"] = nlohmann::json::array();
    for (const auto& c : p.checks) {
      const auto& l = sc.limits[c.limit];
      nlohmann::json share = nlohmann::json::array();
      for (double v : c.share_over)
        share.push_back(std::isnan(v) ? nlohmann::json() : nlohmann::json(v));
      doc["limits"].push_back(
          {{"limit", l.id},
           {"name", l.name},
           {"series", sc.series[c.series].id},
           {"max", l.max},
           {"source", l.source},
           {"from", l.from ? l.from->ToString() : ""},
           {"until", l.until ? l.until->ToString() : ""},
           {"central_first_over", c.central_first_over ? c.central_first_over->ToString() : ""},
           {"median_first_over",
            a.ensemble && c.median_first_over ? c.median_first_over->ToString() : ""},
           {"max_share_over", a.ensemble ? nlohmann::json(c.max_share_over) : nlohmann::json()},
           {"share_over", a.ensemble ? share : nlohmann::json()}});
    }
    *ctx.out << doc.dump(2) << "\n";
    return kExitOk;
  }
  *ctx.out << "scenario: " << sc.name << " (" << name << ")\nsha256: " << sha << "\n";
  if (a.ensemble) {
    *ctx.out << "ensemble: " << members << " members, seed " << seed;
    if (run->ranks > 1) *ctx.out << ", " << run->ranks << " MPI ranks";
    *ctx.out << "\n";
  } else {
    *ctx.out << "central path only (every parameter at its central value); --ensemble for bands\n";
  }
  for (size_t i = 0; i < sc.series.size(); ++i) {
    const auto& s = sc.series[i];
    const auto& b = p.bands[i];
    *ctx.out << "\n"
             << s.id << " " << s.quantity << " — initial " << s.initial.Describe() << ", growth "
             << s.growth.Describe() << "/yr; source: " << s.source << "\n";
    std::vector<std::string> header = {"date", "central>"};
    if (a.ensemble) header.insert(header.end(), {"median>", "50 % band>", "90 % band>"});
    TextTable t(header);
    for (size_t k = 0; k < p.dates.size(); ++k) {
      if (k % every != 0 && k + 1 != p.dates.size()) continue;
      std::vector<std::string> row = {p.dates[k].ToString(), Round(b.central[k])};
      if (a.ensemble) {
        row.push_back(Round(b.p50[k]));
        row.push_back(Round(b.p25[k]) + "–" + Round(b.p75[k]));
        row.push_back(Round(b.p05[k]) + "–" + Round(b.p95[k]));
      }
      t.AddRow(row);
    }
    t.Print(*ctx.out);
  }
  if (!p.checks.empty()) {
    *ctx.out << "\nlimits\n";
    std::vector<std::string> header = {"limit", "series", "max>", "applies", "central over from"};
    if (a.ensemble) header.insert(header.end(), {"median over from", "most members over>"});
    TextTable t(header);
    for (const auto& c : p.checks) {
      const auto& l = sc.limits[c.limit];
      std::string applies = (l.from ? l.from->ToString() : std::string("always")) + " – " +
                            (l.until ? l.until->ToString() : std::string(""));
      std::vector<std::string> row = {
          l.name, sc.series[c.series].id, Round(l.max), applies,
          c.central_first_over ? c.central_first_over->ToString() : "never"};
      if (a.ensemble) {
        row.push_back(c.median_first_over ? c.median_first_over->ToString() : "never");
        row.push_back(std::to_string(std::lround(100 * c.max_share_over)) + " %");
      }
      t.AddRow(row);
    }
    t.Print(*ctx.out);
  }
  *ctx.out << "\nassumptions (" << name << ")\n";
  for (const auto& s : sc.series) {
    *ctx.out << "  - " << s.id << ": initial " << s.initial.Describe() << ", growth "
             << s.growth.Describe() << "/yr, fatigue " << s.fatigue.Describe()
             << (s.max ? ", max " + Round(*s.max) : "")
             << (s.max_rate ? ", max rate " + Round(*s.max_rate) + "/yr" : "") << " (line "
             << s.line << "): " << s.source << "\n";
  }
  for (const auto& r : sc.reactions) {
    *ctx.out << "  - " << r.series << " reacts to " << r.to
             << " with k = " << r.coefficient.Describe() << "/yr (line " << r.line
             << "): " << r.source << "\n";
  }
  for (const auto& ph : sc.phases) {
    *ctx.out << "  - " << ph.series << " from " << ph.from.ToString()
             << (ph.until ? " until " + ph.until->ToString() : std::string(""))
             << (ph.cap ? ": cap " + Round(*ph.cap) : std::string(""))
             << (ph.growth ? ": growth " + ph.growth->Describe() + "/yr" : std::string(""))
             << " (line " << ph.line << "): " << ph.source << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddProjectCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ProjectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "project", "Run a scenario file forward: central path, Monte Carlo bands, treaty limits");
  cmd->add_option("scenario", args->file,
                  "Scenario file (docs/formats/scenario.md) or a shipped scenario's name")
      ->required();
  cmd->add_flag("--ensemble", args->ensemble, "Run the Monte Carlo ensemble (bands)");
  cmd->add_option("--members", args->members, "Ensemble members (default: the scenario's)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", args->seed, "Ensemble seed (default: the scenario's)")
      ->check(CLI::Range(int64_t{0}, int64_t{9007199254740991}));
  cmd->add_option("--threads", args->threads, "Threads per process (default: up to 2)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--treaty", args->treaties, "Also compare with this treaty's limits");
  cmd->add_option("--treaty-file", args->treaty_files,
                  "Load a treaty file (docs/formats/treaty-toml.md)");
  cmd->add_option("--every", args->every, "Print every Nth date (default: yearly rows)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--json", args->json, "Print one JSON document");
  cmd->add_flag("--csv", args->csv, "Print CSV rows with the scenario's SHA-256");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace tally::cli
