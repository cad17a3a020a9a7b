#include "tally/estimate/estimator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include "tally/estimate/kalman.h"
#include "tally/estimate/particle.h"
#include "tally/stats/summary.h"

namespace tally::estimate {
namespace {

using KT = KalmanTypes<2>;

constexpr double kDaysPerYear = 365.2425;
// Process noise is fitted on the observations of the last kFitYears years.
constexpr int kFitYears = 30;

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
    // A row counted through its parts still counts as the figure it states.
    const bool counted = u.used || u.reason.rfind("implied", 0) == 0;
    if (counted && e.category == o.category && e.date == o.date && e.value == o.value &&
        e.kind == o.kind && e.relation == o.relation) {
      return &e;
    }
  }
  return nullptr;
}

// ---- the joint model ------------------------------------------------------------------------

// Components of a state's warheads in the joint model (estimator.h).
constexpr int kJointComponents = 4;  // DS, DN, V (reserve), R (retired)
// Prior shares of the components in a stockpile (DS + DN + V = 1; retired relative to it).
constexpr std::array<double, kJointComponents> kJointShares = {0.4, 0.1, 0.5, 0.3};

// The loading of a category on the joint components, or nullopt for a category of its own.
std::optional<std::array<double, kJointComponents>> JointLoading(std::string_view category) {
  using L = std::array<double, kJointComponents>;
  if (category == "deployed_strategic") return L{1, 0, 0, 0};
  if (category == "deployed_nonstrategic") return L{0, 1, 0, 0};
  if (category == "deployed") return L{1, 1, 0, 0};
  if (category == "reserve") return L{0, 0, 1, 0};
  if (category == "military_stockpile") return L{1, 1, 1, 0};
  if (category == "retired") return L{0, 0, 0, 1};
  if (category == "total_inventory") return L{1, 1, 1, 1};
  return std::nullopt;
}

// A scalar observation of the model: step, loading per component, value, variance; `source`
// indexes the SeriesEstimate::sources entry it came from.
struct ModelObs {
  size_t step;
  std::vector<double> load;
  double y, r;
  size_t source;
};

// A bound on load' x at a step, with the Gaussian site fitted to honour it.
struct Bound {
  size_t step;
  std::vector<double> load;
  double value;
  bool at_least;
  size_t source;
  double precision = 0, shift = 0;  // the site: precision and precision * mean
};

// The joint local-linear-trend model with C components and state dimension 2C.
template <int C>
struct Model {
  static constexpr int N = 2 * C;
  using KT = KalmanTypes<N>;
  std::vector<double> dt;
  // Process noise of component c at step t is lf * scale[c] * size[t] on the level and
  // rf * scale[c] * size[t] on the rate: proportional to the arsenal's size at the time (a pilot
  // curve through the observations), so the 1960s build-up and today's plateau share one model.
  std::array<double, C> scale{};
  std::vector<double> size;
  typename KT::Vec m0;
  typename KT::Mat p0;

  // Runs from `first_step` on (the prior then sits at first_step).
  Status Run(const std::vector<ModelObs>& obs, double lf, double rf, bool smooth,
             typename KT::Output* out, size_t first_step = 0) const {
    std::vector<typename KT::Observation> kobs;
    kobs.reserve(obs.size());
    for (const auto& o : obs) {
      if (o.step < first_step) continue;
      typename KT::Vec h = KT::Vec::Zero();
      for (int c = 0; c < C; ++c) h(2 * c) = o.load[c];
      kobs.push_back({o.step - first_step, h, o.y, o.r});
    }
    auto transition = [&](size_t t, typename KT::Mat& f, typename KT::Mat& q) {
      const double d = dt[t + first_step];
      const double z = size[t + first_step];
      f.setIdentity();
      q.setZero();
      for (int c = 0; c < C; ++c) {
        const double l = lf * scale[c] * z, r2 = rf * scale[c] * z * rf * scale[c] * z;
        f(2 * c, 2 * c + 1) = d;
        q(2 * c, 2 * c) = l * l * d + r2 * d * d * d / 3;
        q(2 * c, 2 * c + 1) = q(2 * c + 1, 2 * c) = r2 * d * d / 2;
        q(2 * c + 1, 2 * c + 1) = r2 * d;
      }
    };
    return KalmanSmooth<N>(m0, p0, dt.size() - first_step, transition, kobs, out, smooth);
  }
};

// Mean and variance of load' x at step t of a smoothed output.
template <int C>
std::pair<double, double> Marginal(const typename Model<C>::KT::Output& out, size_t t,
                                   const std::vector<double>& load) {
  double m = 0, v = 0;
  for (int a = 0; a < C; ++a) {
    m += load[a] * out.smoothed_mean[t](2 * a);
    for (int b = 0; b < C; ++b) v += load[a] * load[b] * out.smoothed_cov[t](2 * a, 2 * b);
  }
  return {m, std::max(0.0, v)};
}

// The observations plus the bounds' current sites, sorted by step; without source `skip`.
std::vector<ModelObs> WithSites(const std::vector<ModelObs>& points,
                                const std::vector<Bound>& bounds, size_t skip) {
  std::vector<ModelObs> all;
  all.reserve(points.size() + bounds.size());
  for (const auto& p : points) {
    if (p.source != skip) all.push_back(p);
  }
  for (const auto& b : bounds) {
    if (b.precision > 0 && b.source != skip) {
      all.push_back({b.step, b.load, b.shift / b.precision, 1.0 / b.precision, b.source});
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const ModelObs& a, const ModelObs& b) { return a.step < b.step; });
  return all;
}

// Fits each bound's Gaussian site until the posterior leaves at most kBoundTailMass on the
// bound's wrong side: the site moves the marginal to the moments of the marginal truncated at
// the bound (one expectation-propagation step), repeated while any bound is violated.
template <int C>
Status EnforceBounds(const Model<C>& model, const std::vector<ModelObs>& points,
                     std::vector<Bound>& bounds, double lf, double rf,
                     typename Model<C>::KT::Output* out) {
  for (int iter = 0;; ++iter) {
    TALLY_RETURN_IF_ERROR(model.Run(WithSites(points, bounds, SIZE_MAX), lf, rf, true, out));
    if (iter == 200) return Status::Ok();
    bool violated = false;
    for (auto& b : bounds) {
      const auto [m, v] = Marginal<C>(*out, b.step, b.load);
      const double var = std::max(v, 1e-9);
      const double sd = std::sqrt(var);
      // z measured towards the allowed side: P(wrong side) = Phi(-z).
      const double z = b.at_least ? (m - b.value) / sd : (b.value - m) / sd;
      if (stats::NormalCdf(-z) <= kBoundTailMass * 0.999) continue;
      violated = true;
      // Moments of N(m, v) truncated to the allowed side.
      const double alpha = -z;
      const double lambda = std::exp(-0.5 * alpha * alpha) / std::sqrt(2 * std::numbers::pi) /
                            std::max(1e-300, 1 - stats::NormalCdf(alpha));
      const double mt = b.at_least ? m + sd * lambda : m - sd * lambda;
      const double vt = std::max(1e-9, var * (1 + alpha * lambda - lambda * lambda));
      b.precision += 1 / vt - 1 / var;
      b.shift += mt / vt - m / var;
    }
    if (!violated) return Status::Ok();
  }
}

}  // namespace

Date FullGridStart() { return *Date::FromCivil(1945, 1, 1); }
Date FullGridEnd() { return *Date::FromCivil(2035, 12, 1); }

namespace {

Date FloorMonth(Date d) { return *Date::FromCivil(d.year(), d.month(), 1); }

// Implied by other rows of the same source and date: the reason, or empty.
std::string ImpliedBy(const Observation& o, std::span<const Observation> group) {
  auto has = [&](std::string_view c) {
    for (const auto& g : group) {
      if (&g != &o && g.category == c && g.relation == Relation::kEqual) return true;
    }
    return false;
  };
  if (o.relation != Relation::kEqual) return "";
  const bool parts = has("deployed_strategic") && has("deployed_nonstrategic") && has("reserve");
  if (o.category == "military_stockpile" && (parts || (has("deployed") && has("reserve")))) {
    return "the sum of this source's deployed and reserve figures of the same date (counted "
           "through its parts)";
  }
  if (o.category == "deployed" && has("deployed_strategic") && has("deployed_nonstrategic")) {
    return "the sum of this source's deployed strategic and non-strategic figures (counted "
           "through its parts)";
  }
  if (o.category == "total_inventory" && has("retired") && (has("military_stockpile") || parts)) {
    return "the sum of this source's stockpile and retired figures of the same date (counted "
           "through its parts)";
  }
  return "";
}

template <int C>
Status SolveKalman(const std::vector<Date>& dates, const std::vector<double>& load_req,
                   std::vector<ModelObs>& points, std::vector<Bound>& bounds,
                   const std::array<double, C>& shares, const EstimateOptions& options,
                   SeriesEstimate& est, std::vector<size_t>& keep) {
  Model<C> model;
  model.dt.assign(dates.size(), 0.0);
  for (size_t t = 1; t < dates.size(); ++t) {
    model.dt[t] = static_cast<double>(dates[t].days() - dates[t - 1].days()) / kDaysPerYear;
  }
  auto share_of = [&](const std::vector<double>& load) {
    double s = 0;
    for (int c = 0; c < C; ++c) s += load[c] * shares[c];
    return std::max(s, 1e-9);
  };
  // The series' typical stockpile-equivalent size (the pilot curve's fallback).
  std::vector<double> stock;
  for (const auto& p : points) stock.push_back(p.y / share_of(p.load));
  for (const auto& b : bounds) stock.push_back(b.value / share_of(b.load));
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double s_st = std::max(10.0, median(stock));
  for (int c = 0; c < C; ++c) model.scale[c] = shares[c];
  // The pilot size curve: the stockpile-equivalent observations, interpolated linearly in time,
  // held constant beyond the first and last, never below 10 warheads.
  {
    std::vector<std::pair<size_t, double>> knots;
    for (const auto& p : points) knots.emplace_back(p.step, p.y / share_of(p.load));
    for (const auto& b : bounds) knots.emplace_back(b.step, b.value / share_of(b.load));
    std::stable_sort(knots.begin(), knots.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    model.size.assign(dates.size(), s_st);
    size_t k = 0;
    for (size_t t = 0; t < dates.size(); ++t) {
      while (k + 1 < knots.size() && knots[k + 1].first <= t) ++k;
      double v = knots[k].second;
      if (t > knots[k].first && k + 1 < knots.size()) {
        const double w = static_cast<double>(t - knots[k].first) /
                         static_cast<double>(knots[k + 1].first - knots[k].first);
        v = (1 - w) * knots[k].second + w * knots[k + 1].second;
      }
      model.size[t] = std::max(10.0, v);
    }
  }
  // Prior at the grid's first step: the first observation shared out over the components.
  const bool from_points = !points.empty();
  const double first = from_points ? points.front().y / share_of(points.front().load)
                                   : bounds.front().value / share_of(bounds.front().load);
  const double req_share = share_of(load_req);
  model.m0.setZero();
  model.p0.setZero();
  for (int c = 0; c < C; ++c) {
    const double level = first * shares[c];
    const double rate =
        load_req[c] != 0 ? options.known_rate.value_or(0.0) * shares[c] / req_share : 0.0;
    const double level_sd = std::max(20.0 * shares[c], 0.5 * level);
    const double rate_sd =
        (options.known_rate && load_req[c] != 0)
            ? options.known_rate_sd.value_or(std::max(20.0, 0.1 * first)) * shares[c] / req_share
            : std::max(20.0 * shares[c], 0.1 * level);
    model.m0(2 * c) = level;
    model.m0(2 * c + 1) = rate;
    model.p0(2 * c, 2 * c) = level_sd * level_sd;
    model.p0(2 * c + 1, 2 * c + 1) = rate_sd * rate_sd;
  }
  // Relative process noise: explicit (given for the requested quantity), or maximum likelihood.
  double norm = 0;
  for (int c = 0; c < C; ++c) norm += load_req[c] * load_req[c] * model.scale[c] * model.scale[c];
  norm = std::sqrt(std::max(norm, 1e-9));
  // Explicit noise is in warheads at the size of the last observation.
  const size_t last_step = from_points ? points.back().step : bounds.back().step;
  const double size_now = model.size[std::max(last_step, points.empty() ? 0 : points.back().step)];
  double lf = options.level_sd ? *options.level_sd / (norm * size_now) : 0.05 / norm;
  double rf = options.rate_sd ? *options.rate_sd / (norm * size_now) : 0.02 / norm;
  if ((!options.level_sd || !options.rate_sd) && points.size() >= 5) {
    typename Model<C>::KT::Output scratch;
    double best = -std::numeric_limits<double>::infinity();
    // The fit uses the last kFitYears of observations: the regime a forecast extends (the
    // Cold War's build-up and reductions would set today's noise otherwise). It starts at the
    // first of them, with the prior there: the prior before it says nothing about noise.
    const Date fit_from = dates[points.back().step].AddYears(-kFitYears);
    size_t fit_first = 0;
    while (fit_first + 5 < points.size() && dates[points[fit_first].step] < fit_from) ++fit_first;
    Model<C> fit = model;
    const ModelObs& f0 = points[fit_first];
    for (int c = 0; c < C; ++c) {
      const double level = f0.y * shares[c] / share_of(f0.load);
      fit.m0(2 * c) = level;
      fit.m0(2 * c + 1) = model.m0(2 * c + 1);
      fit.p0(2 * c, 2 * c) = std::pow(std::max(20.0 * shares[c], 0.5 * level), 2);
      fit.p0(2 * c + 1, 2 * c + 1) = std::pow(std::max(20.0 * shares[c], 0.1 * level), 2);
    }
    for (double l : {0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3}) {
      for (double r : {0.002, 0.01, 0.03, 0.1}) {
        const double tl = options.level_sd ? lf : l / norm;
        const double tr = options.rate_sd ? rf : r / norm;
        if (!fit.Run(points, tl, tr, false, &scratch, f0.step).ok()) continue;
        if (scratch.log_likelihood > best) {
          best = scratch.log_likelihood;
          lf = tl, rf = tr;
          est.noise_fitted = true;
        }
      }
    }
  }
  est.level_sd = lf * norm * size_now;
  est.rate_sd = rf * norm * size_now;

  typename Model<C>::KT::Output out;
  TALLY_RETURN_IF_ERROR(EnforceBounds<C>(model, points, bounds, lf, rf, &out));
  const double z50 = stats::NormalQuantile(0.75), z90 = stats::NormalQuantile(0.95);
  auto clip = [](double x) { return std::max(0.0, x); };
  est.points.clear();
  for (size_t t : keep) {
    const auto [m, v] = Marginal<C>(out, t, load_req);
    const double sd = std::sqrt(v);
    est.points.push_back({dates[t], clip(m), clip(m - z90 * sd), clip(m - z50 * sd),
                          clip(m + z50 * sd), clip(m + z90 * sd), m, sd});
  }
  if (!options.explain) return Status::Ok();
  // Leave-one-out shifts, process noise and the other bounds' sites held fixed.
  std::vector<size_t> used;
  for (const auto& p : points) used.push_back(p.source);
  for (const auto& b : bounds) {
    if (b.precision > 0) used.push_back(b.source);
  }
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  typename Model<C>::KT::Output loo;
  for (size_t src : used) {
    TALLY_RETURN_IF_ERROR(model.Run(WithSites(points, bounds, src), lf, rf, true, &loo));
    Influence inf{src, {}};
    inf.shift.reserve(keep.size());
    for (size_t i = 0; i < keep.size(); ++i) {
      const double without = std::max(0.0, Marginal<C>(loo, keep[i], load_req).first);
      inf.shift.push_back(est.points[i].median - without);
    }
    est.influences.push_back(std::move(inf));
  }
  return Status::Ok();
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
  if ((options.level_sd && !(*options.level_sd > 0)) ||
      (options.rate_sd && !(*options.rate_sd > 0))) {
    return InvalidArgument("estimate: process noise must be positive");
  }
  SeriesEstimate est;
  est.state = std::string(state);
  est.category = std::string(category);
  est.method = options.method == Method::kParticle ? Method::kParticle : Method::kKalman;
  const auto joint = JointLoading(category);
  const bool use_joint = joint.has_value() && est.method == Method::kKalman;
  auto relevant = [&](const Observation& o) {
    if (o.state != state) return false;
    if (use_joint) return JointLoading(o.category).has_value();
    return o.category == category;
  };

  // The full grid: one posterior whatever window is asked for.
  Date lo = std::min(FullGridStart(), options.grid.start);
  Date hi = std::max(FullGridEnd(), options.grid.end);
  for (const auto& o : evidence) {
    if (!relevant(o)) continue;
    lo = std::min(lo, o.date);
    hi = std::max(hi, o.date);
  }
  const Step step = options.grid.step == Step::kDay ? Step::kDay : Step::kMonth;
  const Date full_start = step == Step::kDay ? lo : FloorMonth(lo);
  const std::vector<Date> dates =
      GridDates({full_start, hi.AddDays(step == Step::kDay ? 0 : 31), step});
  if (dates.size() > 200000) return InvalidArgument("estimate: grid longer than 200,000 steps");
  // The returned dates: grid dates in the requested window (yearly: every twelfth month).
  std::vector<size_t> keep;
  const Date first_shown = step == Step::kDay ? options.grid.start : FloorMonth(options.grid.start);
  for (size_t t = 0; t < dates.size(); ++t) {
    if (dates[t] < first_shown || dates[t] > options.grid.end) continue;
    if (options.grid.step == Step::kYear && dates[t].month() != first_shown.month()) continue;
    keep.push_back(t);
  }
  if (keep.empty()) return InvalidArgument("estimate: the window holds no grid date");

  // Group by source and date to find rows implied by others of the same source.
  std::vector<const Observation*> mine;
  for (const auto& o : evidence) {
    if (relevant(o)) mine.push_back(&o);
  }
  std::vector<ModelObs> points;
  std::vector<Bound> bounds;
  std::vector<Placed> placed_points, placed_bounds;  // for the particle method
  for (const Observation* op : mine) {
    const Observation& o = *op;
    SourceUse use{o, false, ""};
    std::vector<Observation> group;
    for (const Observation* q : mine) {
      if (q->source == o.source && q->date == o.date) group.push_back(*q);
    }
    std::string implied;
    if (use_joint) {
      // Compare against the group by value identity (group holds copies).
      std::vector<Observation> others;
      for (const auto& g : group) {
        if (!(g.category == o.category && g.value == o.value)) others.push_back(g);
      }
      Observation self = o;
      others.push_back(self);
      implied = ImpliedBy(others.back(), others);
    }
    if (!implied.empty()) {
      use.reason = "implied: " + implied;
    } else if (const Observation* twin = Repeats(est.sources, o)) {
      use.reason = "repeats " + twin->source + " (same value, date and kind; counted once)";
    } else if (o.relation == Relation::kBetween && !(o.low && o.high && *o.high >= *o.low)) {
      use.reason = "a range without low and high";
    } else {
      use.used = true;
      const size_t t = NearestStep(dates, o.date);
      const size_t index = est.sources.size();
      std::vector<double> load(kJointComponents, 0.0);
      if (use_joint) {
        const auto l = *JointLoading(o.category);
        load.assign(l.begin(), l.end());
      } else {
        load.assign(1, 1.0);
      }
      if (o.relation == Relation::kEqual || o.relation == Relation::kBetween) {
        const double y = o.relation == Relation::kBetween ? 0.5 * (*o.low + *o.high) : o.value;
        const double sd = ErrorSd(o);
        points.push_back({t, load, y, sd * sd, index});
      } else {
        bounds.push_back({t, load, o.value, o.relation == Relation::kAtLeast, index});
      }
      (o.relation == Relation::kEqual ? placed_points : placed_bounds).push_back({t, &o});
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
  // Sources of the requested quantity first, then the related ones, each by date.
  if (points.empty() && bounds.empty()) {
    return InvalidArgument("estimate: no usable observation of " + std::string(state) + " " +
                           std::string(category));
  }
  auto by_step = [](const auto& a, const auto& b) { return a.step < b.step; };
  std::stable_sort(points.begin(), points.end(), by_step);
  std::stable_sort(bounds.begin(), bounds.end(), by_step);

  if (est.method == Method::kKalman) {
    if (use_joint) {
      const auto l = *joint;
      std::vector<double> load_req(l.begin(), l.end());
      TALLY_RETURN_IF_ERROR(SolveKalman<kJointComponents>(dates, load_req, points, bounds,
                                                          kJointShares, options, est, keep));
    } else {
      TALLY_RETURN_IF_ERROR(
          SolveKalman<1>(dates, {1.0}, points, bounds, {1.0}, options, est, keep));
    }
    return est;
  }

  // The particle method: the requested category's own evidence, on the full grid.
  std::vector<double> dt(dates.size(), 0.0);
  for (size_t t = 1; t < dates.size(); ++t) {
    dt[t] = static_cast<double>(dates[t].days() - dates[t - 1].days()) / kDaysPerYear;
  }
  std::stable_sort(placed_points.begin(), placed_points.end(), by_step);
  std::stable_sort(placed_bounds.begin(), placed_bounds.end(), by_step);
  const std::vector<Placed>& anchor = placed_points.empty() ? placed_bounds : placed_points;
  const Prior prior = MakePrior(anchor, options);
  std::vector<double> values;
  for (const auto& p : anchor) values.push_back(p.obs->value);
  std::sort(values.begin(), values.end());
  const double scale = std::max(10.0, values[values.size() / 2]);
  est.level_sd = options.level_sd.value_or(0.05 * scale);
  est.rate_sd = options.rate_sd.value_or(0.02 * scale);
  if ((!options.level_sd || !options.rate_sd) && placed_points.size() >= 5) {
    KT::Output scratch;
    double best = -std::numeric_limits<double>::infinity();
    for (double lf : {0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3}) {
      for (double rf : {0.002, 0.01, 0.03, 0.1}) {
        const double l = options.level_sd.value_or(lf * scale);
        const double r = options.rate_sd.value_or(rf * scale);
        auto ll = Run(dt, placed_points, prior, l, r, false, &scratch);
        if (ll && *ll > best) {
          best = *ll;
          est.level_sd = l;
          est.rate_sd = r;
          est.noise_fitted = true;
        }
      }
    }
  }
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
  std::vector<Placed> all = placed_points;
  all.insert(all.end(), placed_bounds.begin(), placed_bounds.end());
  std::stable_sort(all.begin(), all.end(), by_step);
  std::vector<internal::StepObservation> obs;
  for (const auto& p : all) {
    const Observation& o = *p.obs;
    obs.push_back({p.step, o.relation, o.value, o.low.value_or(o.value), o.high.value_or(o.value),
                   ErrorSd(o)});
  }
  TALLY_ASSIGN_OR_RETURN(auto out, internal::ParticleSmooth(setup, obs));
  for (size_t t : keep) {
    const auto& q = out.quantiles[t];
    est.points.push_back({dates[t], q[2], q[0], q[1], q[3], q[4], out.mean[t], out.sd[t]});
  }
  return est;
}

}  // namespace tally::estimate
