#include "tally/scenario/projection.h"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <limits>
#include <thread>

#include "tally/stats/rng.h"
#include "tally/stats/summary.h"

namespace tally::scenario {
namespace {

constexpr double kDaysPerYear = 365.2425;
constexpr double kMaxValues = 5e7;
// Dates simulated for every member before they are summarised (Project).
constexpr size_t kDatesPerRound = 4;

// Everything about the grid that does not depend on the draws, computed once.
struct Plan {
  std::vector<Date> dates;
  std::vector<double> dt;  // years from t-1 to t
  // Per date and series: the growth-override phase in effect at the step's start (-1: none) and
  // the tightest ceiling in effect at the date (+inf: none).
  std::vector<int> growth_phase;
  std::vector<double> cap;
};

Plan MakePlan(const Scenario& sc) {
  Plan plan;
  plan.dates = sc.Dates();
  const size_t t_count = plan.dates.size(), s_count = sc.series.size();
  plan.dt.assign(t_count, 0.0);
  for (size_t t = 1; t < t_count; ++t) {
    plan.dt[t] =
        static_cast<double>(plan.dates[t].days() - plan.dates[t - 1].days()) / kDaysPerYear;
  }
  plan.growth_phase.assign(t_count * s_count, -1);
  plan.cap.assign(t_count * s_count, std::numeric_limits<double>::infinity());
  for (size_t p = 0; p < sc.phases.size(); ++p) {
    const Phase& ph = sc.phases[p];
    const size_t i = static_cast<size_t>(sc.SeriesIndex(ph.series));
    for (size_t t = 0; t < t_count; ++t) {
      const Date d = plan.dates[t];
      if (d < ph.from || (ph.until && d >= *ph.until)) continue;
      if (ph.growth) plan.growth_phase[t * s_count + i] = static_cast<int>(p);  // later wins
      if (ph.cap) plan.cap[t * s_count + i] = std::min(plan.cap[t * s_count + i], *ph.cap);
    }
  }
  return plan;
}

// The draws of members [first, first + count) as structure of arrays, one array per parameter
// with a member's value at [k * count + m], so that a step is a loop over members the compiler
// turns into vector instructions.
struct Draws {
  size_t count = 0;
  std::vector<double> initial, growth, fatigue;  // k: series
  std::vector<double> reaction;                  // k: reaction
  std::vector<double> phase_growth;              // k: phase (0 for a phase without growth)
};

Draws Allocate(const Scenario& sc, size_t count) {
  Draws d;
  d.count = count;
  d.initial.resize(sc.series.size() * count);
  d.growth.resize(sc.series.size() * count);
  d.fatigue.resize(sc.series.size() * count);
  d.reaction.resize(sc.reactions.size() * count);
  d.phase_growth.resize(sc.phases.size() * count);
  return d;
}

Draws Central(const Scenario& sc) {
  Draws d = Allocate(sc, 1);
  for (size_t i = 0; i < sc.series.size(); ++i) {
    d.initial[i] = sc.series[i].initial.Central();
    d.growth[i] = sc.series[i].growth.Central();
    d.fatigue[i] = sc.series[i].fatigue.Central();
  }
  for (size_t r = 0; r < sc.reactions.size(); ++r) {
    d.reaction[r] = sc.reactions[r].coefficient.Central();
  }
  for (size_t p = 0; p < sc.phases.size(); ++p) {
    d.phase_growth[p] = sc.phases[p].growth ? sc.phases[p].growth->Central() : 0.0;
  }
  return d;
}

// Members [lo, hi) of `d`, member m (of the ensemble) from Rng(seed, first + m) only. The draw
// order is fixed (series, then reactions, then phases) so a member's draws are stable.
void Draw(const Scenario& sc, uint64_t seed, uint64_t first, size_t lo, size_t hi, Draws* d) {
  const size_t n = d->count;
  for (size_t m = lo; m < hi; ++m) {
    stats::Rng rng(seed, first + m);
    for (size_t i = 0; i < sc.series.size(); ++i) {
      d->initial[i * n + m] = sc.series[i].initial.Draw(rng);
      d->growth[i * n + m] = sc.series[i].growth.Draw(rng);
      d->fatigue[i * n + m] = sc.series[i].fatigue.Draw(rng);
    }
    for (size_t r = 0; r < sc.reactions.size(); ++r) {
      d->reaction[r * n + m] = sc.reactions[r].coefficient.Draw(rng);
    }
    for (size_t p = 0; p < sc.phases.size(); ++p) {
      d->phase_growth[p * n + m] = sc.phases[p].growth ? sc.phases[p].growth->Draw(rng) : 0.0;
    }
  }
}

// std::max, std::min and std::clamp (libstdc++'s min(max(v, lo), hi)) spelt out on values, so
// that the vector loops below keep the scalar code's results to the bit (operand order decides
// which of two equal zeros, or a NaN, comes out) while the compiler maps each to one instruction.
inline double Max(double a, double b) { return a < b ? b : a; }
inline double Min(double a, double b) { return b < a ? b : a; }
inline double Clamp(double v, double lo, double hi) { return Min(Max(v, lo), hi); }

// Where members' levels are kept: a ring of `slots` dates (date t in slot t % slots, so that
// only the dates still needed take memory), in each a column per series with member m at
// [m - first] of the members the ring holds.
struct Levels {
  double* data;
  size_t series, slots, stride, first;
  double* Column(size_t t, size_t i, size_t m) const {
    return data + ((t % slots) * series + i) * stride + (m - first);
  }
};

// Steps members of a Draws through the plan, with the same operations in the same order as one
// member at a time (rate at the step's start, reactions added in file order, rate limit, Euler
// step, floor, capacity, phase ceiling, zero), so every member's path is the same to the bit
// however members are grouped. Allocates nothing: a series with more reactions than the kernels
// unroll keeps the rates of one block of members in a buffer owned by the caller.
class Stepper {
 public:
  // Members per block: their draws (about ten arrays) stay in L1 across the dates of one call,
  // where reloading every draw for every date would be bound by L2 bandwidth.
  static constexpr size_t kBlock = 256;

  Stepper(const Scenario& sc, const Plan& plan, const Draws& d) : sc_(sc), plan_(plan), d_(d) {
    reactions_of_.resize(sc.series.size());
    for (size_t k = 0; k < sc.reactions.size(); ++k) {
      const auto& r = sc.reactions[k];
      reactions_of_[static_cast<size_t>(sc.SeriesIndex(r.series))].push_back(
          {k, static_cast<size_t>(sc.SeriesIndex(r.to))});
    }
    for (size_t i = 0; i < sc.series.size(); ++i) {
      const Series& s = sc.series[i];
      const bool rate = s.max_rate.has_value(), capacity = s.max.has_value();
      switch (reactions_of_[i].size()) {
        case 0:
          kernels_.push_back(Pick<0>(rate, capacity));
          break;
        case 1:
          kernels_.push_back(Pick<1>(rate, capacity));
          break;
        case 2:
          kernels_.push_back(Pick<2>(rate, capacity));
          break;
        case 3:
          kernels_.push_back(Pick<3>(rate, capacity));
          break;
        default:
          kernels_.push_back(Pick<-1>(rate, capacity));
          break;
      }
    }
  }
  size_t series() const { return sc_.series.size(); }
  size_t RateBufferSize() const { return kBlock; }

  // Levels at date 0 of members [lo, hi).
  void Start(size_t lo, size_t hi, const Levels& levels) const {
    for (size_t i = 0; i < series(); ++i) {
      Limits(0, i, d_.initial.data() + i * d_.count + lo, hi - lo, levels.Column(0, i, lo));
    }
  }

  // Levels at dates [t_begin, t_end) (t_begin >= 1) of members [lo, hi), from those at
  // t_begin - 1 onwards.
  void Step(size_t t_begin, size_t t_end, size_t lo, size_t hi, const Levels& levels,
            double* rates) const {
    for (size_t b = lo; b < hi; b += kBlock) {
      const size_t width = std::min(kBlock, hi - b);
      for (size_t t = t_begin; t < t_end; ++t) {
        for (size_t i = 0; i < series(); ++i) (this->*kernels_[i])(t, i, b, width, levels, rates);
      }
    }
  }

 private:
  struct ReactionIndex {
    size_t reaction, to;
  };
  using Kernel = void (Stepper::*)(size_t t, size_t i, size_t b, size_t width, const Levels& levels,
                                   double* rates) const;

  template <int kReactions>
  static Kernel Pick(bool rate, bool capacity) {
    if (rate)
      return capacity ? &Stepper::Advance<kReactions, true, true>
                      : &Stepper::Advance<kReactions, true, false>;
    return capacity ? &Stepper::Advance<kReactions, false, true>
                    : &Stepper::Advance<kReactions, false, false>;
  }

  const double* Growth(size_t t, size_t i) const {
    const int phase = plan_.growth_phase[(t - 1) * series() + i];
    return phase >= 0 ? d_.phase_growth.data() + static_cast<size_t>(phase) * d_.count
                      : d_.growth.data() + i * d_.count;
  }

  // One Euler step of series i to date t for members [b, b + width): its rate (growth, fatigue,
  // its reactions in file order), rate limit, step and bounds in one loop with the rate in a
  // register, instantiated per number of reactions (kReactions < 0: any number, the rate in
  // `rates`) and optional limit so that no member tests them.
  template <int kReactions, bool kRateLimit, bool kCapacity>
  void Advance(size_t t, size_t i, size_t b, size_t width, const Levels& levels,
               double* rates) const {
    const Series& s = sc_.series[i];
    const size_t n = d_.count;
    const double dt = plan_.dt[t], floor = s.min, capacity = s.max.value_or(0);
    const double cap = plan_.cap[t * series() + i];
    const double hi_rate = s.max_rate.value_or(0), lo_rate = -hi_rate;
    const double* __restrict g = Growth(t, i) + b;
    const double* __restrict a = d_.fatigue.data() + i * n + b;
    const double* __restrict x = levels.Column(t - 1, i, b);
    double* __restrict y = levels.Column(t, i, b);
    const auto& reactions = reactions_of_[i];
    auto coefficient = [&](size_t k) { return d_.reaction.data() + reactions[k].reaction * n + b; };
    auto other = [&](size_t k) { return levels.Column(t - 1, reactions[k].to, b); };
    if constexpr (kReactions < 0) {
      double* __restrict r = rates;
      for (size_t m = 0; m < width; ++m) r[m] = g[m] - a[m] * x[m];
      for (size_t k = 0; k < reactions.size(); ++k) {
        const double* __restrict c = coefficient(k);
        const double* __restrict z = other(k);
        for (size_t m = 0; m < width; ++m) r[m] += c[m] * z[m];
      }
      for (size_t m = 0; m < width; ++m) {
        double v = r[m];
        if constexpr (kRateLimit) v = Clamp(v, lo_rate, hi_rate);
        y[m] = Bound<kCapacity>(x[m] + v * dt, floor, capacity, cap);
      }
    } else {
      const double* __restrict c0 = kReactions > 0 ? coefficient(0) : nullptr;
      const double* __restrict z0 = kReactions > 0 ? other(0) : nullptr;
      const double* __restrict c1 = kReactions > 1 ? coefficient(1) : nullptr;
      const double* __restrict z1 = kReactions > 1 ? other(1) : nullptr;
      const double* __restrict c2 = kReactions > 2 ? coefficient(2) : nullptr;
      const double* __restrict z2 = kReactions > 2 ? other(2) : nullptr;
      for (size_t m = 0; m < width; ++m) {
        double v = g[m] - a[m] * x[m];
        if constexpr (kReactions > 0) v += c0[m] * z0[m];
        if constexpr (kReactions > 1) v += c1[m] * z1[m];
        if constexpr (kReactions > 2) v += c2[m] * z2[m];
        if constexpr (kRateLimit) v = Clamp(v, lo_rate, hi_rate);
        y[m] = Bound<kCapacity>(x[m] + v * dt, floor, capacity, cap);
      }
    }
  }

  // The series' bounds at date t (floor, capacity when it has one, the phases' ceiling, zero).
  template <bool kCapacity>
  double Bound(double v, double floor, double capacity, double cap) const {
    v = Max(v, floor);
    if constexpr (kCapacity) v = Min(v, capacity);
    return Max(Min(v, cap), 0.0);
  }

  // The series' bounds applied to `count` levels (initial draws at date 0).
  void Limits(size_t t, size_t i, const double* in, size_t count, double* out) const {
    const Series& s = sc_.series[i];
    const double floor = s.min, capacity = s.max.value_or(0), cap = plan_.cap[t * series() + i];
    for (size_t m = 0; m < count; ++m) {
      out[m] =
          s.max ? Bound<true>(in[m], floor, capacity, cap) : Bound<false>(in[m], floor, 0, cap);
    }
  }

  const Scenario& sc_;
  const Plan& plan_;
  const Draws& d_;
  std::vector<std::vector<ReactionIndex>> reactions_of_;  // per series, in file order
  std::vector<Kernel> kernels_;                           // per series
};

// Paths of members [lo, hi) of the stepper's draws, member-major: out[(m - lo) * per_member + t *
// series + i]. Steps a block of members through every date with their levels in a small ring,
// so that the strided writes into `out` stay within a few hundred kilobytes.
void RunMemberMajor(const Stepper& stepper, size_t t_count, size_t lo, size_t hi, double* out) {
  const size_t s_count = stepper.series(), per_member = t_count * s_count;
  constexpr size_t kWidth = Stepper::kBlock;
  std::vector<double> ring(2 * s_count * kWidth), rates(stepper.RateBufferSize());
  for (size_t b = lo; b < hi; b += kWidth) {
    const size_t width = std::min(kWidth, hi - b);
    const Levels levels{ring.data(), s_count, 2, kWidth, b};
    auto write = [&](size_t t) {
      for (size_t i = 0; i < s_count; ++i) {
        const double* column = levels.Column(t, i, b);
        for (size_t m = 0; m < width; ++m)
          out[(b - lo + m) * per_member + t * s_count + i] = column[m];
      }
    };
    stepper.Start(b, b + width, levels);
    write(0);
    for (size_t t = 1; t < t_count; ++t) {
      stepper.Step(t, t + 1, b, b + width, levels, rates.data());
      write(t);
    }
  }
}

size_t Workers(size_t n, int threads) {
  return std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), n));
}

// Runs fn(lo, hi) on `threads` std::threads over [0, n) split evenly (in the calling thread when
// one suffices).
template <typename Fn>
void ParallelFor(size_t n, int threads, Fn&& fn) {
  const size_t k = Workers(n, threads);
  if (k == 1) {
    fn(size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  for (size_t w = 0; w < k; ++w) {
    pool.emplace_back([&, w] { fn(n * w / k, n * (w + 1) / k); });
  }
  for (auto& th : pool) th.join();
}

// The parts of a Projection filled one (date, series) column at a time, from any thread: each
// column writes only its own cells.
class ColumnSummary {
 public:
  ColumnSummary(const Scenario& sc, const Plan& plan, Projection* proj,
                const std::vector<double>& central)
      : sc_(sc), plan_(plan), proj_(proj), central_(central) {
    const size_t t_count = plan.dates.size(), s_count = sc.series.size();
    proj->bands.resize(s_count);
    for (auto& b : proj->bands) {
      for (auto* v : {&b.p05, &b.p25, &b.p50, &b.p75, &b.p95, &b.central}) v->assign(t_count, 0.0);
    }
    // Limit checks to fill: every (limit, series) pair on the same quantity.
    checks_of_.resize(s_count);
    for (size_t l = 0; l < sc.limits.size(); ++l) {
      for (size_t i = 0; i < s_count; ++i) {
        const LimitLine& limit = sc.limits[l];
        if (limit.quantity != sc.series[i].quantity) continue;
        if (!limit.parties.empty() && std::find(limit.parties.begin(), limit.parties.end(),
                                                sc.series[i].state) == limit.parties.end()) {
          continue;
        }
        LimitCheck c;
        c.limit = l;
        c.series = i;
        c.share_over.assign(t_count, std::numeric_limits<double>::quiet_NaN());
        checks_of_[i].push_back(proj->checks.size());
        proj->checks.push_back(std::move(c));
      }
    }
  }

  // Every member's level of series i at date t.
  void Add(size_t t, size_t i, std::span<const double> column, stats::QuantileSelector* selector) {
    static constexpr double kPs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    const size_t m_count = column.size();
    for (const size_t k : checks_of_[i]) {
      LimitCheck& c = proj_->checks[k];
      const LimitLine& limit = sc_.limits[c.limit];
      if (!limit.Applies(sc_.series[i].state, plan_.dates[t])) continue;
      const double over_at = limit.max + 1e-9;
      size_t over = 0;
      for (const double v : column) over += v > over_at;
      c.share_over[t] = static_cast<double>(over) / static_cast<double>(m_count);
    }
    double q[5];
    selector->Select(column, kPs, q);
    Band& b = proj_->bands[i];
    b.p05[t] = q[0];
    b.p25[t] = q[1];
    b.p50[t] = q[2];
    b.p75[t] = q[3];
    b.p95[t] = q[4];
    b.central[t] = central_[t * sc_.series.size() + i];
  }

  // The per-check figures over all dates, once every column is in.
  void Finish() {
    for (auto& c : proj_->checks) {
      const LimitLine& limit = sc_.limits[c.limit];
      const Series& s = sc_.series[c.series];
      for (size_t t = 0; t < plan_.dates.size(); ++t) {
        if (!limit.Applies(s.state, plan_.dates[t])) continue;
        c.max_share_over = std::max(c.max_share_over, c.share_over[t]);
        if (!c.central_first_over && proj_->bands[c.series].central[t] > limit.max + 1e-9) {
          c.central_first_over = plan_.dates[t];
        }
        if (!c.median_first_over && proj_->bands[c.series].p50[t] > limit.max + 1e-9) {
          c.median_first_over = plan_.dates[t];
        }
      }
    }
  }

 private:
  const Scenario& sc_;
  const Plan& plan_;
  Projection* proj_;
  const std::vector<double>& central_;
  std::vector<std::vector<size_t>> checks_of_;  // per series: indices into proj_->checks
};

Status CheckSize(size_t count, size_t per_member) {
  if (static_cast<double>(count) * static_cast<double>(per_member) > kMaxValues) {
    return InvalidArgument("project: " + std::to_string(count) + " members x " +
                           std::to_string(per_member) +
                           " values is too large an ensemble for one process (limit 5e7 values)");
  }
  return Status::Ok();
}

std::vector<double> CentralPathOf(const Scenario& sc, const Plan& plan) {
  const Draws d = Central(sc);
  const Stepper stepper(sc, plan, d);
  std::vector<double> out(plan.dates.size() * sc.series.size());
  RunMemberMajor(stepper, plan.dates.size(), 0, 1, out.data());
  return out;
}

}  // namespace

Status SimulateMembers(const Scenario& sc, uint64_t seed, int begin, int end,
                       std::vector<double>* out, int threads) {
  if (begin < 0 || end < begin) return InvalidArgument("project: bad member range");
  const Plan plan = MakePlan(sc);
  const size_t per_member = plan.dates.size() * sc.series.size();
  const size_t count = static_cast<size_t>(end - begin);
  TALLY_RETURN_IF_ERROR(CheckSize(count, per_member));
  out->resize(count * per_member);
  Draws d = Allocate(sc, count);
  const Stepper stepper(sc, plan, d);
  ParallelFor(count, threads, [&](size_t lo, size_t hi) {
    Draw(sc, seed, static_cast<uint64_t>(begin), lo, hi, &d);
    RunMemberMajor(stepper, plan.dates.size(), lo, hi, out->data() + lo * per_member);
  });
  return Status::Ok();
}

std::vector<double> CentralPath(const Scenario& sc) { return CentralPathOf(sc, MakePlan(sc)); }

Result<Projection> Summarize(const Scenario& sc, std::span<const double> paths, int members,
                             uint64_t seed, int threads) {
  const Plan plan = MakePlan(sc);
  const size_t t_count = plan.dates.size(), s_count = sc.series.size();
  const size_t per_member = t_count * s_count;
  if (members < 1 || paths.size() != static_cast<size_t>(members) * per_member) {
    return InvalidArgument("project: the ensemble's paths do not match its member count");
  }
  Projection proj;
  proj.dates = plan.dates;
  proj.members = members;
  proj.seed = seed;
  const std::vector<double> central = CentralPathOf(sc, plan);
  ColumnSummary summary(sc, plan, &proj, central);
  const size_t m_count = static_cast<size_t>(members);
  // Cells are gathered in blocks of kBlock adjacent (date, series) values per member, so that
  // each member's row is read contiguously: a column-at-a-time gather strides through memory
  // and is several times slower.
  constexpr size_t kBlock = 32;
  const size_t cells = t_count * s_count;
  const size_t blocks = (cells + kBlock - 1) / kBlock;
  ParallelFor(blocks, threads, [&](size_t lo, size_t hi) {
    std::vector<double> buffer(kBlock * m_count);
    stats::QuantileSelector selector;
    for (size_t block = lo; block < hi; ++block) {
      const size_t first = block * kBlock;
      const size_t width = std::min(kBlock, cells - first);
      for (size_t m = 0; m < m_count; ++m) {
        const double* row = paths.data() + m * per_member + first;
        for (size_t j = 0; j < width; ++j) buffer[j * m_count + m] = row[j];
      }
      for (size_t j = 0; j < width; ++j) {
        const size_t cell = first + j;
        summary.Add(cell / s_count, cell % s_count,
                    std::span<const double>(buffer.data() + j * m_count, m_count), &selector);
      }
    }
  });
  summary.Finish();
  return proj;
}

Result<Projection> Project(const Scenario& sc, int members, uint64_t seed, int threads) {
  if (members < 1) return InvalidArgument("project: members must be at least 1");
  const Plan plan = MakePlan(sc);
  const size_t t_count = plan.dates.size(), s_count = sc.series.size();
  const size_t m_count = static_cast<size_t>(members);
  TALLY_RETURN_IF_ERROR(CheckSize(m_count, t_count * s_count));
  Projection proj;
  proj.dates = plan.dates;
  proj.members = members;
  proj.seed = seed;
  const std::vector<double> central = CentralPathOf(sc, plan);
  ColumnSummary summary(sc, plan, &proj, central);
  Draws d = Allocate(sc, m_count);
  const Stepper stepper(sc, plan, d);
  const size_t workers = Workers(m_count, threads);
  // The ensemble is never stored whole: every member is simulated a few dates at a time (a
  // round) into a ring of levels and those dates are summarised there, so that the levels stay
  // in cache. Several dates a round let a block of members keep its draws in L1 across them.
  // Workers live for the whole projection and take blocks of members, then the round's columns,
  // from counters rather than fixed shares, so that a worker slowed by a shared core delays the
  // round by one block, not by its whole share.
  const size_t chunk = kDatesPerRound;
  std::vector<double> ring((chunk + 1) * s_count * m_count);
  const Levels levels{ring.data(), s_count, chunk + 1, m_count, 0};
  const size_t blocks = (m_count + Stepper::kBlock - 1) / Stepper::kBlock;
  const size_t rounds = (t_count + chunk - 1) / chunk;
  std::vector<std::atomic<size_t>> next_block(rounds), next_column(rounds);
  std::barrier round_done(static_cast<std::ptrdiff_t>(workers));
  auto work = [&] {
    std::vector<double> rates(stepper.RateBufferSize());
    stats::QuantileSelector selector;
    for (size_t r = 0; r < rounds; ++r) {
      const size_t first = r * chunk, last = std::min(t_count, first + chunk);
      for (size_t k; (k = next_block[r].fetch_add(1, std::memory_order_relaxed)) < blocks;) {
        const size_t lo = k * Stepper::kBlock, hi = std::min(m_count, lo + Stepper::kBlock);
        if (r == 0) {
          Draw(sc, seed, 0, lo, hi, &d);
          stepper.Start(lo, hi, levels);
        }
        if (last > 1) stepper.Step(std::max<size_t>(first, 1), last, lo, hi, levels, rates.data());
      }
      round_done.arrive_and_wait();  // the round's levels are complete
      const size_t columns = (last - first) * s_count;
      for (size_t c; (c = next_column[r].fetch_add(1, std::memory_order_relaxed)) < columns;) {
        const size_t t = first + c / s_count, i = c % s_count;
        summary.Add(t, i, std::span<const double>(levels.Column(t, i, 0), m_count), &selector);
      }
      round_done.arrive_and_wait();  // the next round may overwrite the slots summarised here
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  summary.Finish();
  return proj;
}

}  // namespace tally::scenario
