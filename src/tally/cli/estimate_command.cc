// `tally estimate`: arsenal estimates with honest uncertainty from every piece of evidence tally
// has — the registry's datasets (FAS, SIPRI, the FAS 1945–2025 series), the New START aggregate
// table (declared data), data/evidence/ files (DoD China reports as bounds) and the user's
// --evidence files — per state and category, with median, 50 % and 90 % intervals per month or
// year, and the sources used and rejected with reasons. `tally estimate calibrate` withholds the
// last k New START exchanges and reports how often they fall inside the intervals.
#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/data/embedded.h"
#include "tally/estimate/calibration.h"
#include "tally/estimate/embedded_evidence.h"
#include "tally/estimate/estimator.h"
#include "tally/estimate/evidence.h"
#include "tally/estimate/registry_evidence.h"
#include "tally/model/state.h"
#include "tally/registry/registry.h"

namespace tally::cli {

namespace {

using estimate::Observation;

struct EstimateArgs {
  std::vector<std::string> states;
  std::string category = "military_stockpile";
  std::string from, to, at;
  std::string step = "year";
  std::string method = "auto";
  std::vector<std::string> evidence_files;
  bool no_defaults = false;
  uint64_t seed = 1;
  int particles = 1000;
  double level_sd = 0, rate_sd = 0, known_rate = 0, known_rate_sd = 0;
  bool has_known_rate = false;
  bool show_sources = false;
  bool explain = false;
  bool json = false, csv = false;
  int k = 6;
  int since = 0;
};

std::string Round(double v) { return WithThousands(std::llround(v)); }

Result<std::vector<Observation>> DefaultEvidence() { return estimate::EmbeddedEvidence(); }

Result<Date> ParseDateFlag(const std::string& flag, const std::string& text) {
  auto d = Date::ParseLoose(text);
  if (!d)
    return FieldError("--" + flag, flag, "a date YYYY, YYYY-MM or YYYY-MM-DD", "\"" + text + "\"");
  return *d;
}

// What a category counts: warheads, or (New START's delivery-vehicle and launcher counts) systems.
std::string_view CountedUnit(std::string_view category) {
  const bool systems = category.starts_with("new_start_") && category != "new_start_warheads";
  return systems ? "systems" : "warheads";
}

nlohmann::json SourceJson(const estimate::SourceUse& u) {
  const Observation& o = u.observation;
  nlohmann::json j = {{"source", o.source},
                      {"where", o.where},
                      {"date", o.date.ToString()},
                      {"kind", estimate::SourceKindName(o.kind)},
                      {"relation", estimate::RelationName(o.relation)},
                      {"value", o.value},
                      {"error_sd", estimate::ErrorSd(o)},
                      {"used", u.used}};
  if (!u.used) j["reason"] = u.reason;
  return j;
}

// The observations that moved the median at point i most, largest shift first.
std::vector<std::pair<double, const estimate::SourceUse*>> TopMovers(
    const estimate::SeriesEstimate& e, size_t i, size_t n) {
  std::vector<std::pair<double, const estimate::SourceUse*>> out;
  for (const auto& inf : e.influences) {
    if (i < inf.shift.size()) out.emplace_back(inf.shift[i], &e.sources[inf.source]);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::abs(x.first) > std::abs(y.first);
  });
  if (out.size() > n) out.resize(n);
  return out;
}

std::string SignedRound(double v) {
  const long long r = std::llround(v);
  return (r > 0 ? "+" : r < 0 ? "−" : "±") + WithThousands(std::llabs(r));
}

std::string ObservationLabel(const Observation& o) {
  return o.category + " " + std::string(estimate::RelationName(o.relation)) + " " +
         (o.relation == estimate::Relation::kBetween && o.low && o.high
              ? Round(*o.low) + "–" + Round(*o.high)
              : Round(o.value)) +
         " (" + o.date.ToString() + ", " + o.source.substr(0, 48) + ")";
}

// Projections (data/projections/*.csv): forecasts by their sources, shown beside the estimate
// and never used as evidence.
Result<std::vector<Observation>> Projections() {
  std::vector<Observation> out;
  for (const auto& f : data::EmbeddedFilesUnder("projections/")) {
    if (f.path.size() < 4 || f.path.substr(f.path.size() - 4) != ".csv") continue;
    TALLY_ASSIGN_OR_RETURN(auto obs, estimate::ParseEvidenceCsv(f.content, std::string(f.path)));
    out.insert(out.end(), obs.begin(), obs.end());
  }
  return out;
}

// When verification of a state's forces ended (docs/estimate.md, "After verification").
std::string VerificationNote(const std::string& state) {
  if (state == "RU") {
    return "last verified data: New START exchange of 2022-09-01 (inspections paused since late "
           "March 2020; the treaty ended 2026-02-05); after it the interval widens by the process "
           "model";
  }
  if (state == "US") {
    return "last verified data: New START exchange of 2023-03-01 (inspections paused since late "
           "March 2020; the treaty ended 2026-02-05); after it the interval widens by the process "
           "model";
  }
  return "";
}

int RunEstimate(Context& ctx, const EstimateArgs& a) {
  if (a.json && a.csv) return Fail(ctx, InvalidArgument("--json and --csv exclude each other"));
  estimate::EstimateOptions opt;
  const auto step = estimate::ParseStep(a.step);
  if (!step)
    return Fail(ctx, FieldError("--step", "step", "day, month or year", "\"" + a.step + "\""));
  const auto method = estimate::ParseMethod(a.method);
  if (!method) {
    return Fail(
        ctx, FieldError("--method", "method", "auto, kalman or particle", "\"" + a.method + "\""));
  }
  if (!estimate::IsKnownCategory(a.category)) {
    std::string known;
    for (auto c : estimate::KnownCategories())
      known += (known.empty() ? "" : ", ") + std::string(c);
    return Fail(ctx,
                FieldError("--category", "category", "one of " + known, "\"" + a.category + "\""));
  }
  const bool new_start = a.category.rfind("new_start_", 0) == 0;
  auto from =
      ParseDateFlag("from", a.from.empty() ? (new_start ? "2011-02-01" : "2000-01-01") : a.from);
  auto to = ParseDateFlag("to", a.to.empty() ? "2030-01-01" : a.to);
  if (!from) return Fail(ctx, from.error());
  if (!to) return Fail(ctx, to.error());
  // Yearly output is computed on a monthly grid and printed every 12th month, so that evidence
  // dated mid-year is not moved half a year to the nearest 1 January.
  // The model runs on its full grid with all the evidence; the window only selects the dates
  // printed (estimator.h, "One posterior").
  opt.grid = {*from, *to, *step};
  opt.explain = a.explain;
  opt.method = *method;
  opt.seed = a.seed;
  opt.particles = a.particles;
  opt.trajectories = std::max(50, std::min(300, a.particles / 5));
  if (a.level_sd > 0) opt.level_sd = a.level_sd;
  if (a.rate_sd > 0) opt.rate_sd = a.rate_sd;
  if (a.has_known_rate) {
    opt.known_rate = a.known_rate;
    if (a.known_rate_sd > 0) opt.known_rate_sd = a.known_rate_sd;
  }
  std::optional<Date> at;
  if (!a.at.empty()) {
    auto d = ParseDateFlag("at", a.at);
    if (!d) return Fail(ctx, d.error());
    at = *d;
  }

  std::vector<Observation> evidence;
  if (!a.no_defaults) {
    auto defaults = DefaultEvidence();
    if (!defaults) return Fail(ctx, defaults.error());
    evidence = std::move(*defaults);
  }
  for (const auto& path : a.evidence_files) {
    auto text = ReadFile(path);
    if (!text) return Fail(ctx, InvalidArgument(text.error().message()));
    auto obs = estimate::ParseEvidenceCsv(*text, path);
    if (!obs) return Fail(ctx, obs.error());
    evidence.insert(evidence.end(), obs->begin(), obs->end());
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
  if (states.empty()) {
    for (const auto& s : model::AllStates()) {
      for (const auto& o : evidence) {
        if (o.state == s.code && o.category == a.category) {
          states.emplace_back(s.code);
          break;
        }
      }
    }
  }
  if (states.empty()) {
    return Fail(ctx, InvalidArgument("no evidence for category " + a.category));
  }

  std::vector<estimate::SeriesEstimate> results;
  for (const auto& s : states) {
    auto est = estimate::EstimateSeries(s, a.category, evidence, opt);
    if (!est) return Fail(ctx, est.error());
    results.push_back(std::move(*est));
  }
  // Projections of the printed states and category, each with the estimate at its date.
  struct ShownProjection {
    Observation projection;
    estimate::EstimatePoint estimate;
  };
  std::map<std::string, std::vector<ShownProjection>> projections;
  if (!a.no_defaults) {
    auto proj = Projections();
    if (!proj) return Fail(ctx, proj.error());
    for (const auto& p : *proj) {
      if (p.category != a.category) continue;
      if (std::find(states.begin(), states.end(), p.state) == states.end()) continue;
      estimate::EstimateOptions at_opt = opt;
      at_opt.grid = {p.date, p.date, estimate::Step::kMonth};
      at_opt.explain = false;
      auto est = estimate::EstimateSeries(p.state, a.category, evidence, at_opt);
      if (!est || est->points.empty()) continue;
      projections[p.state].push_back({p, est->points.front()});
    }
  }
  auto keep = [&](const estimate::EstimatePoint& p) {
    if (!at) return true;
    return std::llabs(p.date.days() - at->days()) == [&] {
      int64_t best = INT64_MAX;
      for (const auto& q : results.front().points) {
        best = std::min<int64_t>(best, std::llabs(q.date.days() - at->days()));
      }
      return best;
    }();
  };
  auto months_since = [](const std::optional<Date>& last, Date d) -> std::optional<int> {
    if (!last || d < *last) return std::nullopt;
    return static_cast<int>(std::lround(static_cast<double>(d.days() - last->days()) / 30.436875));
  };

  if (a.json) {
    nlohmann::json doc = {
        {"category", a.category}, {"step", a.step}, {"estimates", nlohmann::json::array()}};
    for (const auto& e : results) {
      nlohmann::json j = {
          {"state", e.state},
          {"category", e.category},
          {"method", estimate::MethodName(e.method)},
          {"process_noise",
           {{"level_sd_per_sqrt_year", e.level_sd},
            {"rate_sd_per_sqrt_year", e.rate_sd},
            {"fitted", e.noise_fitted}}},
          {"last_declared", e.last_declared ? e.last_declared->ToString() : ""},
          {"last_observation", e.last_observation ? e.last_observation->ToString() : ""},
          {"points", nlohmann::json::array()},
          {"sources_used", nlohmann::json::array()},
          {"sources_rejected", nlohmann::json::array()}};
      for (const auto& p : e.points) {
        if (!keep(p)) continue;
        nlohmann::json pj = {{"date", p.date.ToString()},
                             {"median", p.median},
                             {"p05", p.p05},
                             {"p25", p.p25},
                             {"p75", p.p75},
                             {"p95", p.p95},
                             {"mean", p.mean},
                             {"sd", p.sd}};
        if (auto m = months_since(e.last_declared, p.date)) pj["months_since_last_declared"] = *m;
        if (a.explain) {
          pj["moved_by"] = nlohmann::json::array();
          for (const auto& [shift, u] :
               TopMovers(e, static_cast<size_t>(&p - e.points.data()), 5)) {
            pj["moved_by"].push_back({{"shift", shift},
                                      {"category", u->observation.category},
                                      {"date", u->observation.date.ToString()},
                                      {"value", u->observation.value},
                                      {"source", u->observation.source},
                                      {"where", u->observation.where}});
          }
        }
        j["points"].push_back(pj);
      }
      j["projections"] = nlohmann::json::array();
      for (const auto& sp : projections[e.state]) {
        const Observation& o = sp.projection;
        j["projections"].push_back({{"date", o.date.ToString()},
                                    {"relation", estimate::RelationName(o.relation)},
                                    {"value", o.value},
                                    {"source", o.source},
                                    {"used_as_evidence", false},
                                    {"estimate_median", sp.estimate.median},
                                    {"estimate_p05", sp.estimate.p05},
                                    {"estimate_p95", sp.estimate.p95}});
      }
      const std::string note = VerificationNote(e.state);
      if (!note.empty()) j["verification"] = note;
      for (const auto& u : e.sources) {
        j[u.used ? "sources_used" : "sources_rejected"].push_back(SourceJson(u));
      }
      doc["estimates"].push_back(j);
    }
    *ctx.out << doc.dump(2) << "\n";
    return kExitOk;
  }
  if (a.csv) {
    *ctx.out << "state,category,date,median,p05,p25,p75,p95,method\n";
    for (const auto& e : results) {
      for (const auto& p : e.points) {
        if (!keep(p)) continue;
        *ctx.out << e.state << "," << e.category << "," << p.date.ToString() << ","
                 << std::lround(p.median) << "," << std::lround(p.p05) << "," << std::lround(p.p25)
                 << "," << std::lround(p.p75) << "," << std::lround(p.p95) << ","
                 << estimate::MethodName(e.method) << "\n";
      }
    }
    return kExitOk;
  }
  for (const auto& e : results) {
    const auto info = model::FindState(e.state);
    *ctx.out << (info ? std::string(info->name) : e.state) << " — " << e.category << " ("
             << estimate::MethodName(e.method) << "; process noise " << Round(e.level_sd) << " "
             << CountedUnit(e.category) << "/√yr on the level, " << Round(e.rate_sd)
             << "/yr/√yr on the rate" << (e.noise_fitted ? ", fitted" : "") << ")\n";
    if (e.last_declared)
      *ctx.out << "last declared or inspected value: " << e.last_declared->ToString() << "\n";
    if (const std::string note = VerificationNote(e.state); !note.empty()) *ctx.out << note << "\n";
    TextTable t({"date", "median>", "50 % interval>", "90 % interval>", "months since declared>"});
    for (const auto& p : e.points) {
      if (!keep(p)) continue;
      const auto m = months_since(e.last_declared, p.date);
      t.AddRow({p.date.ToString(), Round(p.median), Round(p.p25) + "–" + Round(p.p75),
                Round(p.p05) + "–" + Round(p.p95), m ? std::to_string(*m) : ""});
    }
    t.Print(*ctx.out);
    if (!projections[e.state].empty()) {
      *ctx.out << "projections (forecasts by their sources, shown beside the estimate; never used "
                  "as evidence):\n";
      TextTable pt({"date", "projected>", "source", "tally estimate at that date>"});
      for (const auto& sp : projections[e.state]) {
        const Observation& o = sp.projection;
        pt.AddRow({o.date.ToString(),
                   std::string(estimate::RelationName(o.relation)) + " " + Round(o.value),
                   o.source.substr(0, 60),
                   Round(sp.estimate.median) + " (90 %: " + Round(sp.estimate.p05) + "–" +
                       Round(sp.estimate.p95) + ")"});
      }
      pt.Print(*ctx.out);
    }
    if (a.explain) {
      *ctx.out << "why (--explain): per date, the evidence that moved the median most — the "
                  "median with all evidence minus the median without that piece:\n";
      for (size_t i = 0; i < e.points.size(); ++i) {
        if (!keep(e.points[i])) continue;
        *ctx.out << "  " << e.points[i].date.ToString() << "  median " << Round(e.points[i].median)
                 << "\n";
        for (const auto& [shift, u] : TopMovers(e, i, 3)) {
          *ctx.out << "      " << SignedRound(shift) << "  " << ObservationLabel(u->observation)
                   << "\n";
        }
      }
    }
    int used = 0, rejected = 0;
    for (const auto& u : e.sources) (u.used ? used : rejected)++;
    *ctx.out << "sources: " << used << " used, " << rejected << " rejected\n";
    // Rejections only for lying outside the window are counted in one line unless --sources.
    int outside = 0;
    std::string first_outside, last_outside;
    for (const auto& u : e.sources) {
      if (u.used || u.reason.rfind("outside", 0) != 0) continue;
      ++outside;
      const std::string d = u.observation.date.ToString();
      if (first_outside.empty() || d < first_outside) first_outside = d;
      if (last_outside.empty() || d > last_outside) last_outside = d;
    }
    if (outside > 0 && !a.show_sources) {
      *ctx.out << "rejected: " << outside << " observation(s) dated " << first_outside << " to "
               << last_outside << " lie outside the window (--from/--to; --sources lists them)\n";
    }
    if (a.show_sources || rejected > outside) {
      TextTable s({"date", "value>", "kind", "used", "source", "reason"});
      for (const auto& u : e.sources) {
        if (!a.show_sources && (u.used || u.reason.rfind("outside", 0) == 0)) continue;
        const auto& o = u.observation;
        s.AddRow({o.date.ToString(),
                  std::string(estimate::RelationName(o.relation)) + " " + Round(o.value),
                  std::string(estimate::SourceKindName(o.kind)), u.used ? "yes" : "no",
                  o.source.substr(0, 60), u.reason});
      }
      s.Print(*ctx.out);
    }
    *ctx.out << "\n";
  }
  return kExitOk;
}

int RunCalibrate(Context& ctx, const EstimateArgs& a) {
  auto declared = estimate::NewStartEvidence();
  if (!declared) return Fail(ctx, declared.error());
  auto report = estimate::Calibrate(*declared, a.k);
  if (!report) return Fail(ctx, report.error());
  if (a.json) {
    nlohmann::json doc = {{"series", report->series},
                          {"rows", nlohmann::json::array()},
                          {"cases", nlohmann::json::array()}};
    for (const auto& r : report->rows) {
      doc["rows"].push_back(
          {{"k", r.k}, {"withheld", r.withheld}, {"in50", r.in50}, {"in90", r.in90}});
    }
    for (const auto& c : report->cases) {
      doc["cases"].push_back({{"state", c.state},
                              {"category", c.category},
                              {"k", c.k},
                              {"date", c.date.ToString()},
                              {"value", c.value},
                              {"median", c.median},
                              {"p05", c.p05},
                              {"p25", c.p25},
                              {"p75", c.p75},
                              {"p95", c.p95},
                              {"in50", c.in50},
                              {"in90", c.in90}});
    }
    *ctx.out << doc.dump(2) << "\n";
    return kExitOk;
  }
  *ctx.out << "Calibration on the New START aggregate table: " << report->series
           << " series (US and Russia x deployed launchers, warheads, all launchers)\n";
  TextTable t({"k withheld>", "values>", "inside 50 %>", "share>", "inside 90 %>", "share>"});
  int n = 0, in50 = 0, in90 = 0;
  auto pct = [](int x, int of) {
    return of ? std::to_string(std::lround(100.0 * x / of)) + " %" : "—";
  };
  for (const auto& r : report->rows) {
    t.AddRow({std::to_string(r.k), std::to_string(r.withheld), std::to_string(r.in50),
              pct(r.in50, r.withheld), std::to_string(r.in90), pct(r.in90, r.withheld)});
    n += r.withheld;
    in50 += r.in50;
    in90 += r.in90;
  }
  t.AddRow({"all", std::to_string(n), std::to_string(in50), pct(in50, n), std::to_string(in90),
            pct(in90, n)});
  t.Print(*ctx.out);
  return kExitOk;
}

int RunBacktest(Context& ctx, const EstimateArgs& a) {
  auto evidence = DefaultEvidence();
  if (!evidence) return Fail(ctx, evidence.error());
  std::vector<std::string> states;
  for (const auto& s : a.states) {
    const auto info = model::FindState(s);
    if (!info) return Fail(ctx, FieldError("--state", "state", "a known state", "\"" + s + "\""));
    states.emplace_back(info->code);
  }
  auto report = estimate::BacktestFasYears(*evidence, states, a.since);
  if (!report) return Fail(ctx, report.error());
  int n = 0, in50 = 0, in90 = 0;
  for (const auto& r : report->states) n += r.figures, in50 += r.in50, in90 += r.in90;
  if (a.json) {
    nlohmann::json doc = {{"states", nlohmann::json::array()},
                          {"figures", n},
                          {"in50", in50},
                          {"in90", in90},
                          {"cases", nlohmann::json::array()}};
    for (const auto& r : report->states) {
      doc["states"].push_back(
          {{"state", r.state}, {"figures", r.figures}, {"in50", r.in50}, {"in90", r.in90}});
    }
    for (const auto& c : report->cases) {
      doc["cases"].push_back({{"state", c.state},
                              {"category", c.category},
                              {"date", c.date.ToString()},
                              {"value", c.value},
                              {"median", c.median},
                              {"p05", c.p05},
                              {"p95", c.p95},
                              {"in50", c.in50},
                              {"in90", c.in90}});
    }
    *ctx.out << doc.dump(2) << "\n";
    return kExitOk;
  }
  auto pct = [](int x, int of) {
    return of ? std::to_string(std::lround(100.0 * x / of)) + " %" : "—";
  };
  *ctx.out << "Back-test: every FAS figure of a year hidden in turn and predicted from the rest\n";
  TextTable t({"state", "figures>", "inside 50 %>", "share>", "inside 90 %>", "share>"});
  for (const auto& r : report->states) {
    t.AddRow({r.state, std::to_string(r.figures), std::to_string(r.in50), pct(r.in50, r.figures),
              std::to_string(r.in90), pct(r.in90, r.figures)});
  }
  t.AddRow({"all", std::to_string(n), std::to_string(in50), pct(in50, n), std::to_string(in90),
            pct(in90, n)});
  t.Print(*ctx.out);
  return kExitOk;
}

}  // namespace

void AddEstimateCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<EstimateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "estimate",
      "Estimate arsenals from all evidence: median, 50 % and 90 % intervals per month or year");
  cmd->add_option("--state", args->states,
                  "State(s) to estimate, repeat or comma-separate (default: every state with "
                  "evidence)")
      ->delimiter(',');
  cmd->add_option("--category", args->category,
                  "military_stockpile, deployed_strategic, reserve, total_inventory, "
                  "new_start_warheads, new_start_deployed_launchers, new_start_launchers, "
                  "new_start_deployed_icbms, ...")
      ->capture_default_str();
  cmd->add_option("--from", args->from,
                  "First date of the grid (default 2000-01, 2011-02 for new_start_*)");
  cmd->add_option("--to", args->to, "Last date of the grid (default 2030-01)");
  cmd->add_option("--step", args->step, "day, month or year")->capture_default_str();
  cmd->add_option("--at", args->at, "Print only the grid date nearest this one");
  cmd->add_option("--method", args->method, "auto, kalman or particle")->capture_default_str();
  cmd->add_option("--evidence", args->evidence_files,
                  "Extra evidence CSV file(s) (docs/estimate.md)");
  cmd->add_flag("--no-defaults", args->no_defaults, "Use only --evidence files");
  cmd->add_option("--seed", args->seed, "Seed of the particle method")->capture_default_str();
  cmd->add_option("--particles", args->particles, "Particles of the particle method")
      ->capture_default_str()
      ->check(CLI::Range(10, 100000));
  cmd->add_option("--level-sd", args->level_sd,
                  "Process noise on the level, warheads/sqrt(year) (default: fitted)");
  cmd->add_option("--rate-sd", args->rate_sd,
                  "Process noise on the rate, warheads/year/sqrt(year) (default: fitted)");
  cmd->add_option("--known-rate", args->known_rate,
                  "Known production (+) or dismantlement (-) rate, warheads/year")
      ->each([args](const std::string&) { args->has_known_rate = true; });
  cmd->add_option("--known-rate-sd", args->known_rate_sd, "Uncertainty of --known-rate");
  cmd->add_flag("--sources", args->show_sources, "List every source used and rejected");
  cmd->add_flag("--explain", args->explain,
                "Per date, the evidence that moved the estimate most and by how much");
  cmd->add_flag("--json", args->json, "Print one JSON document");
  cmd->add_flag("--csv", args->csv, "Print CSV rows");
  cmd->require_subcommand(0, 1);

  CLI::App* cal = cmd->add_subcommand(
      "calibrate",
      "Withhold the last k New START exchanges and count how often they fall inside the intervals");
  cal->add_option("--k", args->k, "Withhold up to k exchanges")
      ->capture_default_str()
      ->check(CLI::Range(1, 12));
  cal->add_flag("--json", args->json, "Print one JSON document");
  cal->callback([&ctx, args] { RunCalibrate(ctx, *args); });
  CLI::App* bt = cmd->add_subcommand("backtest",
                                     "Hide every FAS figure of a year in turn, predict it from the "
                                     "rest, report interval coverage");
  bt->add_option("--state", args->states, "State(s) to back-test (default: every state)");
  bt->add_option("--since", args->since, "Hide only the figures of this year and later");
  bt->add_flag("--json", args->json, "Print one JSON document");
  bt->callback([&ctx, args] { RunBacktest(ctx, *args); });
  cmd->callback([&ctx, args, cal, bt] {
    if (cal->parsed() || bt->parsed()) return;
    RunEstimate(ctx, *args);
  });
}

}  // namespace tally::cli
