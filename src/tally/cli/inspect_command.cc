// `tally inspect power|plan|simulate|game`: how likely an inspection regime catches a cheat.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tally/base/csv.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/inspect/detection.h"
#include "tally/inspect/leadership_game.h"
#include "tally/inspect/monte_carlo.h"
#include "tally/inspect/sample_size.h"

namespace tally::cli {

// Defined in inspect_random_command.cc.
void AddInspectRandomCommands(CLI::App& inspect, Context& ctx);

namespace {

using nlohmann::json;

// Full double precision: 17 significant digits round-trip every double.
std::string Full(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

std::string Fixed(double x, int digits = 6) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

struct PowerArgs {
  uint64_t items = 0, cheats = 0, sample = 0, years = 1;
  bool json = false, exact = false, curve = false;
};

int RunPower(Context& ctx, const PowerArgs& a) {
  inspect::SamplingCase c{a.items, a.cheats, a.sample};
  auto miss = inspect::MissProbability(c);
  if (!miss) return Fail(ctx, miss.error());
  auto miss_years = inspect::MissProbabilityOverYears(c, a.years);
  json doc = {{"items", a.items},
              {"cheats", a.cheats},
              {"sample", a.sample},
              {"p_detect", 1.0 - *miss},
              {"p_miss", *miss}};
  if (a.years > 1) {
    doc["years"] = a.years;
    doc["p_detect_over_years"] = 1.0 - *miss_years;
    doc["p_miss_over_years"] = *miss_years;
  }
  std::string fraction;
  if (a.exact) {
    auto f = inspect::ExactMissFraction(c);
    if (!f) return Fail(ctx, f.error());
    fraction = f->numerator + "/" + f->denominator;
    doc["p_miss_exact"] = fraction;
  }
  if (a.curve) {
    // Chart data: detection against sample size (this r) and against cheat size (this n).
    json by_sample = json::array(), by_cheats = json::array();
    const uint64_t steps = 100;
    for (uint64_t i = 0; i <= steps; ++i) {
      const uint64_t n = a.items * i / steps;
      by_sample.push_back(
          {{"sample", n}, {"p_detect", *inspect::DetectionProbability({a.items, a.cheats, n})}});
      const uint64_t r = a.items * i / steps;
      by_cheats.push_back(
          {{"cheats", r}, {"p_detect", *inspect::DetectionProbability({a.items, r, a.sample})}});
    }
    doc["curve_by_sample"] = by_sample;
    doc["curve_by_cheats"] = by_cheats;
  }
  if (a.json) {
    *ctx.out << doc.dump(2) << "\n";
    return kExitOk;
  }
  TextTable t({"quantity", "value>"});
  t.AddRow({"items N", std::to_string(a.items)});
  t.AddRow({"defective r", std::to_string(a.cheats)});
  t.AddRow({"sampled n", std::to_string(a.sample)});
  t.AddRow({"P(detect)", Full(1.0 - *miss)});
  t.AddRow({"P(miss)", Full(*miss)});
  if (a.exact) t.AddRow({"P(miss) exact", fraction});
  if (a.years > 1) {
    t.AddRow({"P(detect) over " + std::to_string(a.years) + " years", Full(1.0 - *miss_years)});
  }
  t.Print(*ctx.out);
  if (a.curve) {
    *ctx.out << "\n";
    TextTable curve({"sample n>", "P(detect)>"});
    for (const auto& p : doc["curve_by_sample"]) {
      if (p["sample"].get<uint64_t>() % std::max<uint64_t>(1, a.items / 10) == 0) {
        curve.AddRow(
            {std::to_string(p["sample"].get<uint64_t>()), Fixed(p["p_detect"].get<double>(), 4)});
      }
    }
    curve.Print(*ctx.out);
  }
  return kExitOk;
}

struct PlanArgs {
  uint64_t items = 0, cheats = 0;
  std::vector<double> targets{0.5, 0.9, 0.95};
  bool json = false;
};

int RunPlan(Context& ctx, const PlanArgs& a) {
  json rows = json::array();
  TextTable t({"target P(detect)>", "exact n>", "P(detect) at n>", "IAEA n>"});
  for (double target : a.targets) {
    auto exact = inspect::SmallestSample(a.items, a.cheats, target);
    if (!exact) return Fail(ctx, exact.error());
    auto iaea = inspect::IaeaSampleSize(a.items, a.cheats, target);
    if (!iaea) return Fail(ctx, iaea.error());
    const double pd = *inspect::DetectionProbability({a.items, a.cheats, *exact});
    rows.push_back(
        {{"target", target}, {"sample", *exact}, {"p_detect", pd}, {"iaea_sample", *iaea}});
    t.AddRow({Fixed(target, 2), std::to_string(*exact), Fixed(pd, 4), std::to_string(*iaea)});
  }
  if (a.json) {
    *ctx.out << json{{"items", a.items}, {"cheats", a.cheats}, {"plans", rows}}.dump(2) << "\n";
  } else {
    *ctx.out << "Smallest sample for a target detection probability, N=" << a.items
             << ", r=" << a.cheats << " (IAEA: ceil(N(1-beta^(1/r))))\n\n";
    t.Print(*ctx.out);
  }
  return kExitOk;
}

// "NAME:ITEMS:CHEATS[:WEIGHT]"
Result<inspect::Site> ParseSite(const std::string& spec) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= spec.size(); ++i) {
    if (i == spec.size() || spec[i] == ':') {
      parts.push_back(spec.substr(start, i - start));
      start = i + 1;
    }
  }
  auto bad = [&](const std::string& what) {
    return FieldError("--site " + spec, what, "NAME:ITEMS:CHEATS[:WEIGHT]", "\"" + spec + "\"");
  };
  if (parts.size() < 3 || parts.size() > 4 || parts[0].empty()) return bad("site");
  auto items = ParseInt64(parts[1]);
  auto cheats = ParseInt64(parts[2]);
  if (!items || *items < 1) return bad("items");
  if (!cheats || *cheats < 0) return bad("cheats");
  inspect::Site s{parts[0], static_cast<uint64_t>(*items), static_cast<uint64_t>(*cheats), 0.0};
  if (parts.size() == 4) {
    auto w = ParseDouble(parts[3]);
    if (!w || *w <= 0) return bad("weight");
    s.weight = *w;
  }
  return s;
}

struct SimulateArgs {
  uint64_t items = 0, cheats = 0, sample = 0;
  std::vector<std::string> sites;
  inspect::SiteRegime regime;
  std::string choice = "uniform";
  inspect::MonteCarloOptions options;
  bool json = false;
};

int RunSimulate(Context& ctx, SimulateArgs& a) {
  json doc;
  Result<inspect::MonteCarloEstimate> est = Internal("unset");
  std::optional<double> exact;
  if (a.sites.empty()) {
    inspect::SamplingCase c{a.items, a.cheats, a.sample};
    est = inspect::SimulateSimple(c, a.options);
    if (est) exact = *inspect::DetectionProbability(c);
    doc["regime"] = {
        {"kind", "simple"}, {"items", a.items}, {"cheats", a.cheats}, {"sample", a.sample}};
  } else {
    for (const auto& spec : a.sites) {
      auto s = ParseSite(spec);
      if (!s) return Fail(ctx, s.error());
      a.regime.sites.push_back(*s);
    }
    if (a.choice == "uniform")
      a.regime.choice = inspect::SiteChoice::kUniform;
    else if (a.choice == "by-items")
      a.regime.choice = inspect::SiteChoice::kByItems;
    else if (a.choice == "given")
      a.regime.choice = inspect::SiteChoice::kGiven;
    else
      return Fail(ctx,
                  InvalidArgument("--site-choice: expected uniform, by-items or given, got \"" +
                                  a.choice + "\""));
    est = inspect::SimulateSites(a.regime, a.options);
    if (est && a.regime.choice == inspect::SiteChoice::kUniform) {
      exact = *inspect::ExactUniformSiteDetection(a.regime);
    }
    json sites = json::array();
    for (const auto& s : a.regime.sites)
      sites.push_back({{"name", s.name}, {"items", s.items}, {"cheats", s.cheats}});
    doc["regime"] = {{"kind", "sites"},
                     {"sites", sites},
                     {"site_choice", a.choice},
                     {"visits_per_year", a.regime.visits_per_year},
                     {"items_per_visit", a.regime.items_per_visit},
                     {"years", a.regime.years},
                     {"undeclared_sites", a.regime.undeclared_sites},
                     {"candidate_locations", a.regime.candidate_locations},
                     {"challenge_inspections_per_year", a.regime.challenge_inspections_per_year}};
  }
  if (!est) return Fail(ctx, est.error());
  doc["trials"] = est->trials;
  doc["seed"] = a.options.seed;
  doc["detections"] = est->detections;
  doc["p_detect"] = est->p_detect;
  doc["ci95"] = {est->ci95_low, est->ci95_high};
  if (exact) doc["p_detect_exact"] = *exact;
  if (a.json) {
    *ctx.out << doc.dump(2) << "\n";
    return kExitOk;
  }
  TextTable t({"quantity", "value>"});
  t.AddRow({"trials", WithThousands(static_cast<long long>(est->trials))});
  t.AddRow({"seed", std::to_string(a.options.seed)});
  t.AddRow({"P(detect), simulated", Fixed(est->p_detect)});
  t.AddRow({"95% interval", "[" + Fixed(est->ci95_low) + ", " + Fixed(est->ci95_high) + "]"});
  if (exact) t.AddRow({"P(detect), exact", Fixed(*exact)});
  t.Print(*ctx.out);
  return kExitOk;
}

struct GameArgs {
  inspect::GamePayoffs payoffs;
  double effect = 0;
  uint64_t items = 0, cheats = 0;
  double cost_per_item = 0.05;
  bool json = false;
};

int RunGame(Context& ctx, const GameArgs& a) {
  json doc;
  TextTable t({"quantity", "value>"});
  if (a.items > 0) {
    auto r = inspect::SolveAttributeGame(a.payoffs, a.items, a.cheats, a.cost_per_item);
    if (!r) return Fail(ctx, r.error());
    doc = {{"model", "attribute"},
           {"required_p_detect", r->required_detection},
           {"sample", r->sample},
           {"p_detect", r->p_detect},
           {"inspection_cost", r->inspection_cost},
           {"violation_probability_simultaneous", r->violation_probability_simultaneous},
           {"inspected_party_best_response_leadership", "comply"}};
    t.AddRow({"P(detect) needed = d/(d+b)", Fixed(r->required_detection, 4)});
    t.AddRow({"announced sample n", std::to_string(r->sample)});
    t.AddRow({"P(detect) at n", Fixed(r->p_detect, 4)});
    t.AddRow({"inspection cost", Fixed(r->inspection_cost, 2)});
    t.AddRow({"best response to announcement", "comply"});
    t.AddRow({"P(violate) without announcement", Fixed(r->violation_probability_simultaneous, 4)});
  } else {
    auto r = inspect::SolveVariablesGame(a.payoffs, a.effect);
    if (!r) return Fail(ctx, r.error());
    doc = {{"model", "variables"}, {"deterrable", r->deterrable}};
    if (r->deterrable) {
      doc.update({{"alpha", r->alpha},
                  {"p_detect", r->p_detect},
                  {"inspector_payoff_leadership", r->inspector_payoff_leadership},
                  {"violation_probability_simultaneous", r->violation_probability_simultaneous},
                  {"inspector_payoff_simultaneous", r->inspector_payoff_simultaneous},
                  {"inspected_party_best_response_leadership", "comply"}});
      t.AddRow({"announced false-alarm probability", Fixed(r->alpha, 6)});
      t.AddRow({"P(detect) at alpha", Fixed(r->p_detect, 4)});
      t.AddRow({"best response to announcement", "comply"});
      t.AddRow({"inspector payoff, leadership", Fixed(r->inspector_payoff_leadership, 4)});
      t.AddRow({"P(violate), simultaneous game", Fixed(r->violation_probability_simultaneous, 4)});
      t.AddRow({"inspector payoff, simultaneous", Fixed(r->inspector_payoff_simultaneous, 4)});
    } else {
      t.AddRow({"deterrable", "no: no false-alarm rate makes compliance pay"});
    }
  }
  if (a.json) {
    *ctx.out << doc.dump(2) << "\n";
  } else {
    t.Print(*ctx.out);
  }
  return kExitOk;
}

}  // namespace

void AddInspectCommand(CLI::App& app, Context& ctx) {
  auto* inspect =
      app.add_subcommand("inspect", "Inspections: detection probability, planning, games");
  inspect->require_subcommand(1);
  AddInspectRandomCommands(*inspect, ctx);

  auto power_args = std::make_shared<PowerArgs>();
  auto* power = inspect->add_subcommand(
      "power", "Exact probability that sampling n of N items finds one of r defective");
  power->add_option("--items,-N", power_args->items, "Accountable items N")->required();
  power->add_option("--cheats,-r", power_args->cheats, "Defective (overloaded, undeclared) items r")
      ->required();
  power->add_option("--sample,-n", power_args->sample, "Items inspected n")->required();
  power->add_option("--years", power_args->years, "Treaty years with a fresh sample each year")
      ->check(CLI::PositiveNumber);
  power->add_flag("--exact", power_args->exact, "Also print P(miss) as an exact fraction");
  power->add_flag("--curve", power_args->curve,
                  "Add chart data: P(detect) against n and against r");
  power->add_flag("--json", power_args->json, "One JSON document on stdout");
  power->callback([&ctx, power_args] { RunPower(ctx, *power_args); });

  auto plan_args = std::make_shared<PlanArgs>();
  auto* plan =
      inspect->add_subcommand("plan", "Smallest sample for a target detection probability");
  plan->add_option("--items,-N", plan_args->items, "Accountable items N")->required();
  plan->add_option("--cheats,-r", plan_args->cheats, "Defective items r to be caught")->required();
  plan->add_option("--target", plan_args->targets,
                   "Target detection probabilities (default 0.5 0.9 0.95)");
  plan->add_flag("--json", plan_args->json, "One JSON document on stdout");
  plan->callback([&ctx, plan_args] { RunPlan(ctx, *plan_args); });

  auto sim_args = std::make_shared<SimulateArgs>();
  auto* sim =
      inspect->add_subcommand("simulate", "Monte Carlo of a regime: simple, or sites then items");
  sim->add_option("--items,-N", sim_args->items, "Simple regime: items N");
  sim->add_option("--cheats,-r", sim_args->cheats, "Simple regime: defective items r");
  sim->add_option("--sample,-n", sim_args->sample, "Simple regime: items inspected n");
  sim->add_option("--site", sim_args->sites, "Site regime: NAME:ITEMS:CHEATS[:WEIGHT], repeatable");
  sim->add_option("--site-choice", sim_args->choice, "uniform, by-items or given (weights)");
  sim->add_option("--visits", sim_args->regime.visits_per_year, "Site visits per treaty year");
  sim->add_option("--items-per-visit", sim_args->regime.items_per_visit,
                  "Items designated per visit");
  sim->add_option("--years", sim_args->regime.years, "Treaty years");
  sim->add_option("--undeclared-sites", sim_args->regime.undeclared_sites,
                  "Hidden sites holding undeclared items");
  sim->add_option("--candidate-locations", sim_args->regime.candidate_locations,
                  "Places a challenge inspection might go");
  sim->add_option("--challenge-inspections", sim_args->regime.challenge_inspections_per_year,
                  "Challenge inspections per year");
  sim->add_option("--trials", sim_args->options.trials, "Trials (default 1,000,000)");
  sim->add_option("--seed", sim_args->options.seed, "Seed; the same seed gives the same result");
  sim->add_option("--threads", sim_args->options.threads, "Worker threads (default: all cores)");
  sim->add_flag("--json", sim_args->json, "One JSON document on stdout");
  sim->callback([&ctx, sim_args] { RunSimulate(ctx, *sim_args); });

  auto game_args = std::make_shared<GameArgs>();
  auto* game = inspect->add_subcommand("game", "Inspector leadership (Avenhaus & Canty ch. 9)");
  game->add_option("--gain,-d", game_args->payoffs.gain,
                   "The inspected party's gain from an undetected violation")
      ->required();
  game->add_option("--sanction,-b", game_args->payoffs.sanction,
                   "Its loss when a violation is detected")
      ->required();
  game->add_option("--false-alarm-cost", game_args->payoffs.false_alarm_cost,
                   "Its loss from a false alarm when complying");
  game->add_option("--inspector-false-alarm-cost", game_args->payoffs.inspector_false_alarm_cost,
                   "e");
  game->add_option("--inspector-detected-loss", game_args->payoffs.inspector_detected_loss, "a");
  game->add_option("--inspector-undetected-loss", game_args->payoffs.inspector_undetected_loss,
                   "c > a");
  game->add_option("--effect", game_args->effect,
                   "Variables sampling: violation size in standard deviations");
  game->add_option("--items,-N", game_args->items, "Attribute sampling: items N");
  game->add_option("--cheats,-r", game_args->cheats, "Attribute sampling: defective items r");
  game->add_option("--cost-per-item", game_args->cost_per_item,
                   "Attribute sampling: cost of inspecting one item");
  game->add_flag("--json", game_args->json, "One JSON document on stdout");
  game->callback([&ctx, game_args] { RunGame(ctx, *game_args); });
}

}  // namespace tally::cli
