// `tally upload`: how many warheads a state (by default the US and Russia) could put back on
// deployed launchers, from the force structure in data/structure/ (or --structure/--pools files),
// system by system, how fast (upload rates, overridable with --rate), against treaty limits on
// deployed warheads and beside the published estimates — with every assumption printed.
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tally/base/csv.h"
#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/ceilings/treaty_ceilings.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/data/embedded.h"
#include "tally/model/state.h"
#include "tally/scenario/scenario.h"
#include "tally/scenario/upload.h"
#include "tally/treaty/treaty_set.h"

namespace tally::cli {

Result<treaty::TreatySet> LoadTreatiesForCli(const std::vector<std::string>& treaty_files);
// Defined in project_command.cc: a treaty's limits as dated ceilings per party.

namespace {

struct UploadArgs {
  std::vector<std::string> states;
  std::string case_id;
  std::string structure, pools;
  std::vector<std::string> rates;
  std::vector<std::string> treaties = {"new-start", "sort", "start-ii"};
  bool timeline = false;
  bool json = false, csv = false;
};

// Limits on deployed strategic warheads, under each treaty's own name for the count.
bool IsDeployedWarheadLimit(const std::string& quantity) {
  return quantity == "deployed_warheads" || quantity == "deployed_strategic_warheads" ||
         quantity == "operationally_deployed_warheads";
}

std::string Round(double v) { return WithThousands(std::llround(v)); }

Result<std::string> Text(const std::string& path, const char* embedded) {
  if (path.empty()) {
    const auto t = data::EmbeddedFile(embedded);
    if (!t) return Internal(std::string("embedded data lacks ") + embedded);
    return std::string(*t);
  }
  auto t = ReadFile(path);
  if (!t) return InvalidArgument(t.error().message());
  return t;
}

int Run(Context& ctx, const UploadArgs& a) {
  if (a.json && a.csv) return Fail(ctx, InvalidArgument("--json and --csv exclude each other"));
  if (a.structure.empty() != a.pools.empty()) {
    return Fail(ctx, InvalidArgument("--structure and --pools go together"));
  }
  auto systems_text = Text(a.structure, "structure/systems.csv");
  auto pools_text = Text(a.pools, "structure/pools.csv");
  if (!systems_text) return Fail(ctx, systems_text.error());
  if (!pools_text) return Fail(ctx, pools_text.error());
  auto fs = scenario::ParseForceStructure(
      *systems_text, a.structure.empty() ? "structure/systems.csv" : a.structure, *pools_text,
      a.pools.empty() ? "structure/pools.csv" : a.pools);
  if (!fs) return Fail(ctx, fs.error());
  auto published = scenario::ParsePublishedUploads(
      *data::EmbeddedFile("structure/published_upload.csv"), "structure/published_upload.csv");
  if (!published) return Fail(ctx, published.error());

  std::map<std::string, double> rates;
  for (const auto& r : a.rates) {
    const size_t eq = r.rfind('=');
    const auto v = eq == std::string::npos ? std::nullopt : ParseDouble(r.substr(eq + 1));
    if (!v || *v <= 0) {
      return Fail(ctx,
                  FieldError("--rate", "rate", "SYSTEM=warheads per month (> 0)", "\"" + r + "\""));
    }
    const std::string system = r.substr(0, eq);
    bool known = false;
    for (const auto& s : fs->systems) known |= s.system == system;
    if (!known)
      return Fail(ctx, FieldError("--rate", "rate", "a system named in the structure",
                                  "\"" + system + "\""));
    rates[system] = *v;
  }
  auto set = LoadTreatiesForCli({});
  if (!set) return Fail(ctx, set.error());
  std::vector<scenario::LimitLine> limits;
  for (const auto& id : a.treaties) {
    auto t = set->Get(id);
    if (!t) return Fail(ctx, InvalidArgument(t.error().message()));
    for (auto& l : ceilings::TreatyCeilings(**t)) {
      if (IsDeployedWarheadLimit(l.quantity)) limits.push_back(std::move(l));
    }
  }

  std::vector<std::string> states;
  for (const auto& s : a.states) {
    const auto info = model::FindState(s);
    if (!info) {
      return Fail(ctx,
                  FieldError("--state", "state", model::StateCodeExpectation(s), QuoteText(s)));
    }
    states.emplace_back(info->code);
  }
  if (states.empty()) states = {"US", "RU"};
  std::vector<scenario::UploadResult> results;
  for (const auto& s : states) {
    auto cases =
        a.case_id.empty() ? scenario::UploadCases(*fs, s) : std::vector<std::string>{a.case_id};
    if (cases.empty()) return Fail(ctx, InvalidArgument("no force structure for " + s));
    for (const auto& c : cases) {
      auto r = scenario::ComputeUpload(*fs, s, c, rates);
      if (!r)
        return Fail(ctx, r.status().code() == StatusCode::kNotFound
                             ? InvalidArgument(r.error().message())
                             : r.error());
      results.push_back(std::move(*r));
    }
  }

  auto limits_for = [&](const std::string& state) {
    std::vector<const scenario::LimitLine*> out;
    for (const auto& l : limits) {
      if (l.parties.empty() || l.parties.front() == state) out.push_back(&l);
    }
    return out;
  };

  if (a.csv) {
    *ctx.out << "state,case,system,leg,launchers,warheads_loaded,capacity,headroom,added,limited_"
                "by,months_to_full\n";
    for (const auto& r : results) {
      for (const auto& u : r.systems) {
        *ctx.out << r.state << "," << r.case_id << "," << CsvEscape(u.system->system) << ","
                 << CsvEscape(u.system->leg) << ","
                 << (u.system->launchers >= 0 ? std::to_string(std::llround(u.system->launchers))
                                              : "")
                 << "," << std::llround(u.system->loaded) << "," << std::llround(u.system->capacity)
                 << "," << std::llround(u.headroom) << "," << std::llround(u.added) << ","
                 << CsvEscape(u.limited_by) << "," << u.months_to_full << "\n";
      }
    }
    return kExitOk;
  }
  if (a.json) {
    nlohmann::json doc = {{"uploads", nlohmann::json::array()}};
    for (const auto& r : results) {
      nlohmann::json j = {{"state", r.state},
                          {"case", r.case_id},
                          {"baseline", r.baseline},
                          {"added", r.added},
                          {"total", r.total},
                          {"months_to_full", r.timeline.size() - 1},
                          {"timeline", r.timeline},
                          {"systems", nlohmann::json::array()},
                          {"pools", nlohmann::json::array()},
                          {"limits", nlohmann::json::array()},
                          {"published", nlohmann::json::array()}};
      for (const auto& u : r.systems) {
        const auto& s = *u.system;
        j["systems"].push_back(
            {{"system", s.system},
             {"leg", s.leg},
             {"as_of", s.as_of},
             {"launchers", s.launchers >= 0 ? nlohmann::json(s.launchers) : nlohmann::json()},
             {"warheads_loaded", s.loaded},
             {"max_per_launcher",
              s.max_per_launcher >= 0 ? nlohmann::json(s.max_per_launcher) : nlohmann::json()},
             {"capacity", s.capacity},
             {"capacity_given", s.capacity_given},
             {"headroom", u.headroom},
             {"added", u.added},
             {"limited_by", u.limited_by},
             {"upload_per_month", s.per_month},
             {"months_to_full", u.months_to_full},
             {"pools", s.pools},
             {"confidence", s.confidence},
             {"source", s.source},
             {"note", s.note},
             {"where", s.where}});
      }
      for (const auto& [p, drawn] : r.pools_used) {
        j["pools"].push_back({{"pool", p->pool},
                              {"warheads", p->warheads},
                              {"drawn", drawn},
                              {"confidence", p->confidence},
                              {"source", p->source},
                              {"note", p->note},
                              {"where", p->where}});
      }
      for (const auto* l : limits_for(r.state)) {
        j["limits"].push_back({{"id", l->id},
                               {"name", l->name},
                               {"max", l->max},
                               {"baseline_margin", l->max - r.baseline},
                               {"after_upload_margin", l->max - r.total},
                               {"in_force_from", l->from ? l->from->ToString() : ""},
                               {"in_force_until", l->until ? l->until->ToString() : ""}});
      }
      for (const auto& p : *published) {
        if (p.state != r.state) continue;
        j["published"].push_back({{"estimator", p.estimator},
                                  {"date", p.date},
                                  {"baseline", p.baseline},
                                  {"low", p.low},
                                  {"high", p.high},
                                  {"basis", p.basis},
                                  {"source", p.source}});
      }
      doc["uploads"].push_back(j);
    }
    *ctx.out << doc.dump(2) << "\n";
    return kExitOk;
  }
  for (const auto& r : results) {
    const auto info = model::FindState(r.state);
    // Only the US and Russian cases count deployed warheads; the others count the warheads FAS
    // assigns to each system, most of them (China, India, Pakistan, North Korea) stored apart
    // from the launchers (docs/upload.md).
    const char* counted = r.state == "US" || r.state == "RU" ? "deployed strategic warheads"
                                                             : "warheads assigned to systems";
    *ctx.out << (info ? std::string(info->name) : r.state) << ", case " << r.case_id << ": "
             << counted << " " << Round(r.baseline) << " -> " << Round(r.total) << " (+"
             << Round(r.added) << ") in " << (r.timeline.size() - 1) << " months\n";
    TextTable t({"system", "leg", "launchers>", "loaded>", "max each>", "capacity>", "added>",
                 "limited by", "months>"});
    for (const auto& u : r.systems) {
      const auto& s = *u.system;
      t.AddRow({s.system, s.leg, s.launchers >= 0 ? Round(s.launchers) : "—", Round(s.loaded),
                s.max_per_launcher >= 0 ? Round(s.max_per_launcher) : "—",
                Round(s.capacity) + (s.capacity_given ? "*" : ""), "+" + Round(u.added),
                u.limited_by, std::to_string(u.months_to_full)});
    }
    t.Print(*ctx.out);
    *ctx.out << "(* capacity given directly rather than launchers x max each)\n";
    TextTable p({"reserve pool", "warheads>", "drawn>", "confidence", "source"});
    for (const auto& [pool, drawn] : r.pools_used) {
      p.AddRow({pool->pool, Round(pool->warheads), Round(drawn), pool->confidence, pool->source});
    }
    p.Print(*ctx.out);
    const auto rl = limits_for(r.state);
    if (!rl.empty()) {
      TextTable lt({"limit on deployed warheads", "max>", "now, FAS counting>", "after upload>"});
      for (const auto* l : rl) {
        auto margin = [&](double v) {
          const double m = l->max - v;
          return (m >= 0 ? "under by " : "above by ") + Round(std::abs(m));
        };
        lt.AddRow({l->name, Round(l->max), margin(r.baseline), margin(r.total)});
      }
      lt.Print(*ctx.out);
      *ctx.out << "(counting rules differ: New START counts one warhead per bomber; the figures "
                  "here count bomber weapons at bases, as FAS does, so \"above\" is no "
                  "violation: by the treaty's own counting see `tally report`, section 4)\n";
    }
    TextTable pub({"published estimate", "date", "from>", "to>", "basis"});
    for (const auto& e : *published) {
      if (e.state != r.state) continue;
      pub.AddRow({e.estimator, e.date, Round(e.baseline),
                  e.low == e.high ? Round(e.low) : Round(e.low) + "–" + Round(e.high), e.basis});
    }
    if (pub.rows() > 0) pub.Print(*ctx.out);
    *ctx.out << "assumptions:\n";
    for (const auto& u : r.systems) {
      const auto& s = *u.system;
      *ctx.out << "  - " << s.system << " (" << s.where << ", " << s.confidence
               << "): " << s.source;
      if (!s.note.empty()) *ctx.out << ". " << s.note;
      *ctx.out << "\n";
    }
    for (const auto& [pool, drawn] : r.pools_used) {
      *ctx.out << "  - pool " << pool->pool << " (" << pool->where << ", " << pool->confidence
               << "): " << pool->source;
      if (!pool->note.empty()) *ctx.out << ". " << pool->note;
      *ctx.out << "\n";
    }
    if (a.timeline) {
      TextTable tl({"month>", "deployed>"});
      for (size_t m = 0; m < r.timeline.size(); ++m)
        tl.AddRow({std::to_string(m), Round(r.timeline[m])});
      tl.Print(*ctx.out);
    }
    *ctx.out << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddUploadCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<UploadArgs>();
  CLI::App* cmd = app.add_subcommand(
      "upload", "Upload capacity: warheads that could go back on deployed launchers, per system");
  cmd->add_option("--state", args->states,
                  "States with a structure case (US, RU, FR, GB, CN, IN, PK, KP), repeat or "
                  "comma-separate (default US and RU)")
      ->delimiter(',');
  cmd->add_option("--case", args->case_id, "One structure case (e.g. fas-2025); default all");
  cmd->add_option("--structure", args->structure,
                  "Systems CSV instead of data/structure/systems.csv");
  cmd->add_option("--pools", args->pools, "Pools CSV instead of data/structure/pools.csv");
  cmd->add_option("--rate", args->rates, "SYSTEM=N: upload N warheads a month on SYSTEM");
  cmd->add_option("--treaty", args->treaties, "Treaties whose deployed-warhead limits to compare")
      ->capture_default_str();
  cmd->add_flag("--timeline", args->timeline, "Print deployed warheads month by month");
  cmd->add_flag("--json", args->json, "Print one JSON document");
  cmd->add_flag("--csv", args->csv, "Print one CSV row per system");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace tally::cli
