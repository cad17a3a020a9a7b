#include "tally/exercise/year_end_estimate.h"

#include <algorithm>
#include <map>

#include "tally/estimate/embedded_evidence.h"
#include "tally/estimate/estimator.h"

namespace tally::exercise {
namespace {

// New START's counted quantities and the estimate categories that count them its way (the
// aggregate data exchanges, data/new_start/aggregates.csv).
std::string CategoryOf(const treaty::Treaty& treaty, const std::string& quantity) {
  if (treaty.id != "new-start") return "";
  static const std::map<std::string, std::string> kCategories = {
      {"deployed_warheads", "new_start_warheads"},
      {"deployed_delivery_vehicles", "new_start_deployed_launchers"},
      {"launchers", "new_start_launchers"},
  };
  auto it = kCategories.find(quantity);
  return it == kCategories.end() ? "" : it->second;
}

const treaty::Limit* LimitNamed(const treaty::Treaty& treaty, const std::string& name) {
  for (const treaty::Limit& l : treaty.limits) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

// The estimate at `at` with its monthly path from `from` (the estimator's month grid falls on the
// first of each month, so the day itself is a second, day-grid query).
Result<Interval> EstimateOver(const std::string& party, const std::string& category, Date from,
                              Date at, const std::vector<estimate::Observation>& evidence,
                              estimate::EstimateOptions& options) {
  options.grid = {from, at, estimate::Step::kMonth};
  TALLY_ASSIGN_OR_RETURN(estimate::SeriesEstimate path,
                         estimate::EstimateSeries(party, category, evidence, options));
  // The "with" estimate keeps the process noise fitted without the run's declarations, so that
  // the two intervals differ by the evidence only; the day query reuses it too.
  options.level_sd = path.level_sd;
  options.rate_sd = path.rate_sd;
  options.grid = {at, at, estimate::Step::kDay};
  TALLY_ASSIGN_OR_RETURN(estimate::SeriesEstimate e,
                         estimate::EstimateSeries(party, category, evidence, options));
  if (e.points.empty() || e.points.back().date != at) {
    return Internal("no estimate at " + at.ToString());
  }
  Interval out;
  for (const estimate::EstimatePoint& p : path.points) {
    if (p.date < at) out.path.push_back({p.date, p.median, p.p05, p.p95});
  }
  const estimate::EstimatePoint& last = e.points.back();
  out.path.push_back({last.date, last.median, last.p05, last.p95});
  out.median = last.median;
  out.p05 = last.p05;
  out.p95 = last.p95;
  out.last_observation = e.last_observation;
  out.observations = static_cast<size_t>(
      std::count_if(e.sources.begin(), e.sources.end(), [](const auto& s) { return s.used; }));
  return out;
}

}  // namespace

std::vector<YearEndEstimate> EstimateYearEnd(const treaty::Treaty& treaty,
                                             const TreatyYearRun& run) {
  std::vector<YearEndEstimate> out;
  auto shipped = estimate::EmbeddedEvidence();
  std::vector<estimate::Observation> before;
  if (shipped.ok()) {
    for (estimate::Observation& o : *shipped) {
      if (o.date < run.begins) before.push_back(std::move(o));
    }
  }
  std::vector<std::string> parties;
  for (const ComplianceRow& row : run.compliance) {
    if (std::find(parties.begin(), parties.end(), row.party) == parties.end()) {
      parties.push_back(row.party);
    }
  }
  for (const std::string& party : parties) {
    const ComplianceRow* last = nullptr;
    for (const ComplianceRow& row : run.compliance) {
      if (row.party == party && (!last || last->as_of <= row.as_of)) last = &row;
    }
    for (const LimitCount& count : last->limits) {
      YearEndEstimate y;
      y.party = party;
      y.limit = count.limit;
      y.at = run.ends;
      y.declared = count.declared;
      y.actual = count.actual;
      const treaty::Limit* limit = LimitNamed(treaty, count.limit);
      y.category = limit ? CategoryOf(treaty, limit->quantity) : "";
      if (y.category.empty()) {
        y.reason = "no public series counts this limit's quantity the treaty's way";
        out.push_back(std::move(y));
        continue;
      }
      if (!shipped.ok()) {
        y.reason = shipped.error().message();
        out.push_back(std::move(y));
        continue;
      }
      y.max = count.max;
      for (const ComplianceRow& row : run.compliance) {
        if (row.party != party) continue;
        for (const LimitCount& c : row.limits) {
          if (c.limit == count.limit) y.data.push_back({row.as_of, c.declared, c.actual});
        }
      }
      // The path from a year before the run to its last day.
      const Date from = run.begins.AddYears(-1);
      estimate::EstimateOptions options;
      auto without = EstimateOver(party, y.category, from, run.ends, before, options);
      std::vector<estimate::Observation> with = before;
      for (const ComplianceRow& row : run.compliance) {
        if (row.party != party) continue;
        for (const LimitCount& c : row.limits) {
          if (c.limit != count.limit) continue;
          estimate::Observation o;
          o.state = party;
          o.category = y.category;
          o.date = row.as_of;
          o.kind = estimate::SourceKind::kDeclared;
          o.value = static_cast<double>(c.declared);
          o.source = "the exercise's data exchange: " + party + "'s declaration as of " +
                     row.as_of.ToString();
          o.where = "exercise";
          with.push_back(std::move(o));
        }
      }
      auto with_regime = EstimateOver(party, y.category, from, run.ends, with, options);
      if (!without.ok() || !with_regime.ok()) {
        y.reason = (!without.ok() ? without.error() : with_regime.error()).message();
        out.push_back(std::move(y));
        continue;
      }
      y.available = true;
      y.without = *without;
      y.with = *with_regime;
      out.push_back(std::move(y));
    }
  }
  return out;
}

}  // namespace tally::exercise
