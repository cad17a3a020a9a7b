#include "tally/estimate/calibration.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "tally/estimate/estimator.h"
#include "tally/stats/summary.h"

namespace tally::estimate {

Result<CalibrationReport> Calibrate(std::span<const Observation> declared, int k_max) {
  if (k_max < 1) return InvalidArgument("calibrate: k must be at least 1");
  std::map<std::pair<std::string, std::string>, std::vector<Observation>> series;
  for (const auto& o : declared) {
    if (o.kind == SourceKind::kDeclared && o.relation == Relation::kEqual) {
      series[{o.state, o.category}].push_back(o);
    }
  }
  CalibrationReport report;
  report.rows.resize(static_cast<size_t>(k_max));
  for (int k = 1; k <= k_max; ++k) report.rows[static_cast<size_t>(k - 1)].k = k;
  const double z50 = stats::NormalQuantile(0.75), z90 = stats::NormalQuantile(0.95);
  for (auto& [key, obs] : series) {
    if (static_cast<int>(obs.size()) < k_max + 4) continue;
    ++report.series;
    std::stable_sort(obs.begin(), obs.end(),
                     [](const Observation& a, const Observation& b) { return a.date < b.date; });
    for (int k = 1; k <= k_max; ++k) {
      const size_t keep = obs.size() - static_cast<size_t>(k);
      EstimateOptions options;
      options.method = Method::kKalman;
      options.grid = {obs.front().date, obs.back().date, Step::kMonth};
      TALLY_ASSIGN_OR_RETURN(
          SeriesEstimate est,
          EstimateSeries(key.first, key.second, std::span<const Observation>(obs.data(), keep),
                         options));
      for (size_t j = keep; j < obs.size(); ++j) {
        const Observation& w = obs[j];
        auto it = std::min_element(est.points.begin(), est.points.end(),
                                   [&](const EstimatePoint& a, const EstimatePoint& b) {
                                     return std::llabs(a.date.days() - w.date.days()) <
                                            std::llabs(b.date.days() - w.date.days());
                                   });
        const double err = ErrorSd(w);
        const double sd = std::sqrt(it->sd * it->sd + err * err);
        CalibrationCase c;
        c.state = key.first;
        c.category = key.second;
        c.k = k;
        c.date = w.date;
        c.value = w.value;
        c.median = it->mean;
        c.p05 = it->mean - z90 * sd;
        c.p25 = it->mean - z50 * sd;
        c.p75 = it->mean + z50 * sd;
        c.p95 = it->mean + z90 * sd;
        c.in50 = w.value >= c.p25 && w.value <= c.p75;
        c.in90 = w.value >= c.p05 && w.value <= c.p95;
        auto& row = report.rows[static_cast<size_t>(k - 1)];
        ++row.withheld;
        row.in50 += c.in50;
        row.in90 += c.in90;
        report.cases.push_back(std::move(c));
      }
    }
  }
  if (report.series == 0) {
    return InvalidArgument("calibrate: no declared series has " + std::to_string(k_max + 4) +
                           " or more values");
  }
  return report;
}

Result<BacktestReport> BacktestFasYears(std::span<const Observation> evidence,
                                        std::span<const std::string> states, int since) {
  auto is_fas = [](const Observation& o) { return o.source.rfind("fas-", 0) == 0; };
  std::vector<std::string> todo(states.begin(), states.end());
  if (todo.empty()) {
    for (const auto& o : evidence) {
      if (is_fas(o) && std::find(todo.begin(), todo.end(), o.state) == todo.end()) {
        todo.push_back(o.state);
      }
    }
  }
  const double z50 = stats::NormalQuantile(0.75), z90 = stats::NormalQuantile(0.95);
  BacktestReport report;
  for (const auto& state : todo) {
    BacktestState row{state};
    // The noise fitted on everything, per category, held fixed while hiding.
    std::map<std::string, std::pair<double, double>> noise;
    std::map<int, std::vector<const Observation*>> by_year;
    for (const auto& o : evidence) {
      if (o.state == state && is_fas(o) && o.relation == Relation::kEqual &&
          o.date.year() >= since) {
        by_year[o.date.year()].push_back(&o);
      }
    }
    for (const auto& [year, hidden] : by_year) {
      std::vector<Observation> rest;
      for (const auto& o : evidence) {
        if (!(o.state == state && is_fas(o) && o.date.year() == year)) rest.push_back(o);
      }
      for (const Observation* h : hidden) {
        // Skip a figure its own source states through its parts.
        bool implied = false;
        auto has = [&](std::string_view c) {
          for (const Observation* g : hidden) {
            if (g->source == h->source && g->date == h->date && g->category == c) return true;
          }
          return false;
        };
        if ((h->category == "military_stockpile" && has("reserve") && has("deployed_strategic")) ||
            (h->category == "total_inventory" && has("retired"))) {
          implied = true;
        }
        if (implied) continue;
        EstimateOptions options;
        options.method = Method::kKalman;
        if (!noise.count(h->category)) {
          EstimateOptions all = options;
          all.grid = {h->date, h->date, Step::kMonth};
          auto fitted = EstimateSeries(state, h->category, evidence, all);
          if (!fitted) continue;
          noise[h->category] = {fitted->level_sd, fitted->rate_sd};
        }
        options.level_sd = noise[h->category].first;
        options.rate_sd = noise[h->category].second;
        options.grid = {h->date, h->date, Step::kMonth};
        auto est = EstimateSeries(state, h->category, rest, options);
        if (!est || est->points.empty()) continue;
        const EstimatePoint& p = est->points.front();
        const double err = ErrorSd(*h);
        const double sd = std::sqrt(p.sd * p.sd + err * err);
        CalibrationCase c;
        c.state = state;
        c.category = h->category;
        c.k = year;
        c.date = h->date;
        c.value = h->value;
        c.median = p.mean;
        c.p05 = p.mean - z90 * sd;
        c.p25 = p.mean - z50 * sd;
        c.p75 = p.mean + z50 * sd;
        c.p95 = p.mean + z90 * sd;
        c.in50 = h->value >= c.p25 && h->value <= c.p75;
        c.in90 = h->value >= c.p05 && h->value <= c.p95;
        ++row.figures;
        row.in50 += c.in50;
        row.in90 += c.in90;
        report.cases.push_back(std::move(c));
      }
    }
    if (row.figures > 0) report.states.push_back(row);
  }
  if (report.states.empty()) return InvalidArgument("backtest: no FAS figures to hide");
  return report;
}

}  // namespace tally::estimate
