#include "tally/estimate/estimator.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tally/estimate/kalman.h"
#include "tally/estimate/particle.h"
#include "tally/stats/summary.h"

namespace tally::estimate {
namespace {

using KT = KalmanTypes<2>;

constexpr double kDaysPerYear = 365.2425;

struct Placed {
  size_t step;
  const Observation* obs;
};

// The local-linear-trend transition for a step of dt years.
void Transition(double dt, double level_sd, double rate_sd, KT::Mat& f, KT::Mat& q) {
  f << 1, dt, 0, 1;
  const double r2 = rate_sd * rate_sd;
  q << level_sd * level_sd * dt + r2 * dt * dt * dt / 3, r2 * dt * dt / 2, r2 * dt * dt / 2,
      r2 * dt;
}

struct Prior {
  KT::Vec m;
  KT::Mat p;
};

Prior MakePrior(const std::vector<Placed>& placed, const EstimateOptions& o) {
  // Diffuse on the level around the first observation; the rate prior is the known rate.
  const double first = placed.front().obs->value;
  Prior prior;
  prior.m << first, o.known_rate.value_or(0.0);
  const double level_sd = std::max(50.0, 0.5 * first);
  const double rate_sd = o.known_rate_sd.value_or(std::max(20.0, 0.1 * first));
  prior.p << level_sd * level_sd, 0, 0, rate_sd * rate_sd;
  return prior;
}

Result<double> Run(const std::vector<double>& dt, const std::vector<Placed>& points,
                   const Prior& prior, double level_sd, double rate_sd, bool smooth,
                   KT::Output* out) {
  std::vector<KT::Observation> obs;
  obs.reserve(points.size());
  for (const auto& p : points) {
    KT::Vec h;
    h << 1, 0;
    const double sd = ErrorSd(*p.obs);
    obs.push_back({p.step, h, p.obs->value, sd * sd});
  }
  auto transition = [&](size_t t, KT::Mat& f, KT::Mat& q) {
    Transition(dt[t], level_sd, rate_sd, f, q);
  };
  TALLY_RETURN_IF_ERROR(KalmanSmooth<2>(prior.m, prior.p, dt.size(), transition, obs, out, smooth));
  return out->log_likelihood;
}

size_t NearestStep(const std::vector<Date>& dates, Date d) {
  auto it = std::lower_bound(dates.begin(), dates.end(), d);
  if (it == dates.begin()) return 0;
  if (it == dates.end()) return dates.size() - 1;
  const size_t hi = static_cast<size_t>(it - dates.begin());
  return (d.days() - dates[hi - 1].days() <= dates[hi].days() - d.days()) ? hi - 1 : hi;
}

const Observation* Repeats(const std::vector<SourceUse>& earlier, const Observation& o) {
  for (const auto& u : earlier) {
    const Observation& e = u.observation;
    if (u.used && e.date == o.date && e.value == o.value && e.kind == o.kind &&
        e.relation == o.relation) {
      return &e;
    }
  }
  return nullptr;
}

}  // namespace

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kAuto:
      return "auto";
    case Method::kKalman:
      return "kalman";
    case Method::kParticle:
      return "particle";
  }
  return "auto";
}

std::optional<Method> ParseMethod(std::string_view name) {
  for (Method m : {Method::kAuto, Method::kKalman, Method::kParticle}) {
    if (MethodName(m) == name) return m;
  }
  return std::nullopt;
}

std::string_view StepName(Step s) {
  switch (s) {
    case Step::kDay:
      return "day";
    case Step::kMonth:
      return "month";
    case Step::kYear:
      return "year";
  }
  return "month";
}

std::optional<Step> ParseStep(std::string_view name) {
  for (Step s : {Step::kDay, Step::kMonth, Step::kYear}) {
    if (StepName(s) == name) return s;
  }
  return std::nullopt;
}

std::vector<Date> GridDates(const Grid& grid) {
  std::vector<Date> out;
  for (int i = 0;; ++i) {
    Date d = grid.step == Step::kDay     ? grid.start.AddDays(i)
             : grid.step == Step::kMonth ? grid.start.AddMonths(i)
                                         : grid.start.AddYears(i);
    if (d > grid.end) break;
    out.push_back(d);
  }
  return out;
}

Result<SeriesEstimate> EstimateSeries(std::string_view state, std::string_view category,
                                      std::span<const Observation> evidence,
                                      const EstimateOptions& options) {
  if (options.grid.end < options.grid.start) {
    return InvalidArgument("estimate: the grid ends (" + options.grid.end.ToString() +
                           ") before it starts (" + options.grid.start.ToString() + ")");
  }
  const std::vector<Date> dates = GridDates(options.grid);
  if (dates.size() > 200000) return InvalidArgument("estimate: grid longer than 200,000 steps");
  if ((options.level_sd && !(*options.level_sd > 0)) ||
      (options.rate_sd && !(*options.rate_sd > 0))) {
    return InvalidArgument("estimate: process noise must be positive");
  }
  SeriesEstimate est;
  est.state = std::string(state);
  est.category = std::string(category);

  bool has_bound = false;
  for (const auto& o : evidence) {
    if (o.state == state && o.category == category && o.relation != Relation::kEqual) {
      has_bound = true;
    }
  }
  est.method = options.method == Method::kAuto ? (has_bound ? Method::kParticle : Method::kKalman)
                                               : options.method;

  // Half a step beyond either end still snaps to the grid's first or last date.
  const int64_t half_step = options.grid.step == Step::kDay     ? 0
                            : options.grid.step == Step::kMonth ? 15
                                                                : 182;
  std::vector<Placed> points, bounds;
  for (const auto& o : evidence) {
    if (o.state != state || o.category != category) continue;
    SourceUse use{o, false, ""};
    if (o.date.days() < dates.front().days() - half_step ||
        o.date.days() > dates.back().days() + half_step) {
      use.reason = "outside the estimate window " + dates.front().ToString() + " to " +
                   dates.back().ToString();
    } else if (o.relation != Relation::kEqual && est.method == Method::kKalman) {
      use.reason =
          "a bound or range statement cannot enter the Kalman filter; use --method particle";
    } else if (const Observation* twin = Repeats(est.sources, o)) {
      // The same figure reprinted by a second dataset (SIPRI quoting FAS, a series repeating a
      // yearbook) is one piece of evidence, not two.
      use.reason = "repeats " + twin->source + " (same value, date and kind; counted once)";
    } else {
      use.used = true;
      const size_t step = NearestStep(dates, o.date);
      (o.relation == Relation::kEqual ? points : bounds).push_back({step, &o});
      if (o.relation == Relation::kEqual) {
        if (!est.last_observation || o.date > *est.last_observation) est.last_observation = o.date;
        if ((o.kind == SourceKind::kDeclared || o.kind == SourceKind::kInspection) &&
            (!est.last_declared || o.date > *est.last_declared)) {
          est.last_declared = o.date;
        }
      }
    }
    est.sources.push_back(std::move(use));
  }
  if (points.empty() && bounds.empty()) {
    return InvalidArgument("estimate: no usable observation of " + std::string(state) + " " +
                           std::string(category) + " in the window");
  }
  auto by_step = [](const Placed& a, const Placed& b) { return a.step < b.step; };
  std::stable_sort(points.begin(), points.end(), by_step);
  std::stable_sort(bounds.begin(), bounds.end(), by_step);

  std::vector<double> dt(dates.size(), 0.0);
  for (size_t t = 1; t < dates.size(); ++t) {
    dt[t] = static_cast<double>(dates[t].days() - dates[t - 1].days()) / kDaysPerYear;
  }
  const std::vector<Placed>& anchor = points.empty() ? bounds : points;
  const Prior prior = MakePrior(anchor, options);

  // Process noise: explicit, or the maximum-likelihood point on a log grid (relative to the
  // series' scale) when there are enough point observations to say anything about it.
  std::vector<double> values;
  for (const auto& p : anchor) values.push_back(p.obs->value);
  std::sort(values.begin(), values.end());
  const double scale = std::max(10.0, values[values.size() / 2]);
  est.level_sd = options.level_sd.value_or(0.05 * scale);
  est.rate_sd = options.rate_sd.value_or(0.02 * scale);
  if ((!options.level_sd || !options.rate_sd) && points.size() >= 5) {
    KT::Output scratch;
    double best = -std::numeric_limits<double>::infinity();
    for (double lf : {0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3}) {
      for (double rf : {0.002, 0.01, 0.03, 0.1}) {
        const double l = options.level_sd.value_or(lf * scale);
        const double r = options.rate_sd.value_or(rf * scale);
        auto ll = Run(dt, points, prior, l, r, false, &scratch);
        if (ll && *ll > best) {
          best = *ll;
          est.level_sd = l;
          est.rate_sd = r;
          est.noise_fitted = true;
        }
      }
    }
  }

  est.points.resize(dates.size());
  if (est.method == Method::kKalman) {
    KT::Output out;
    TALLY_ASSIGN_OR_RETURN(double ll,
                           Run(dt, points, prior, est.level_sd, est.rate_sd, true, &out));
    (void)ll;
    const double z50 = stats::NormalQuantile(0.75), z90 = stats::NormalQuantile(0.95);
    for (size_t t = 0; t < dates.size(); ++t) {
      const double m = out.smoothed_mean[t](0);
      const double sd = std::sqrt(std::max(0.0, out.smoothed_cov[t](0, 0)));
      auto clip = [](double x) { return std::max(0.0, x); };
      est.points[t] = {dates[t],
                       clip(m),
                       clip(m - z90 * sd),
                       clip(m - z50 * sd),
                       clip(m + z50 * sd),
                       clip(m + z90 * sd),
                       m,
                       sd};
    }
  } else {
    internal::ParticleSetup setup;
    setup.dt_years = dt;
    setup.level0 = prior.m(0);
    setup.level0_sd = std::sqrt(prior.p(0, 0));
    setup.rate0 = prior.m(1);
    setup.rate0_sd = std::sqrt(prior.p(1, 1));
    setup.level_sd = est.level_sd;
    setup.rate_sd = est.rate_sd;
    setup.particles = options.particles;
    setup.trajectories = options.trajectories;
    setup.seed = options.seed;
    std::vector<Placed> all = points;
    all.insert(all.end(), bounds.begin(), bounds.end());
    std::stable_sort(all.begin(), all.end(), by_step);
    std::vector<internal::StepObservation> obs;
    for (const auto& p : all) {
      const Observation& o = *p.obs;
      obs.push_back({p.step, o.relation, o.value, o.low.value_or(o.value), o.high.value_or(o.value),
                     ErrorSd(o)});
    }
    TALLY_ASSIGN_OR_RETURN(auto out, internal::ParticleSmooth(setup, obs));
    for (size_t t = 0; t < dates.size(); ++t) {
      const auto& q = out.quantiles[t];
      est.points[t] = {dates[t], q[2], q[0], q[1], q[3], q[4], out.mean[t], out.sd[t]};
    }
  }
  return est;
}

}  // namespace tally::estimate
