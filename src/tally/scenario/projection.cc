#include "tally/scenario/projection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "tally/stats/rng.h"
#include "tally/stats/summary.h"

namespace tally::scenario {
namespace {

constexpr double kDaysPerYear = 365.2425;
constexpr double kMaxValues = 5e7;

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

struct Draws {
  std::vector<double> initial, growth, fatigue, reaction, phase_growth;
};

Draws Central(const Scenario& sc) {
  Draws d;
  for (const auto& s : sc.series) {
    d.initial.push_back(s.initial.Central());
    d.growth.push_back(s.growth.Central());
    d.fatigue.push_back(s.fatigue.Central());
  }
  for (const auto& r : sc.reactions) d.reaction.push_back(r.coefficient.Central());
  for (const auto& p : sc.phases) d.phase_growth.push_back(p.growth ? p.growth->Central() : 0.0);
  return d;
}

// Draw order is fixed (series, then reactions, then phases) so a member's draws are stable.
Draws Draw(const Scenario& sc, stats::Rng& rng) {
  Draws d;
  for (const auto& s : sc.series) {
    d.initial.push_back(s.initial.Draw(rng));
    d.growth.push_back(s.growth.Draw(rng));
    d.fatigue.push_back(s.fatigue.Draw(rng));
  }
  for (const auto& r : sc.reactions) d.reaction.push_back(r.coefficient.Draw(rng));
  for (const auto& p : sc.phases) d.phase_growth.push_back(p.growth ? p.growth->Draw(rng) : 0.0);
  return d;
}

struct ReactionIndex {
  size_t series, to;
};

void Run(const Scenario& sc, const Plan& plan, const std::vector<ReactionIndex>& reactions,
         const Draws& d, double* out) {
  const size_t t_count = plan.dates.size(), s_count = sc.series.size();
  double x[64];
  double rate[64];
  std::vector<double> heap_x, heap_rate;
  double* xs = x;
  double* rs = rate;
  if (s_count > 64) {
    heap_x.resize(s_count);
    heap_rate.resize(s_count);
    xs = heap_x.data();
    rs = heap_rate.data();
  }
  auto clamp = [&](size_t t, size_t i, double v) {
    const Series& s = sc.series[i];
    v = std::max(v, s.min);
    if (s.max) v = std::min(v, *s.max);
    v = std::min(v, plan.cap[t * s_count + i]);
    return std::max(v, 0.0);
  };
  for (size_t i = 0; i < s_count; ++i) {
    xs[i] = clamp(0, i, d.initial[i]);
    out[i] = xs[i];
  }
  for (size_t t = 1; t < t_count; ++t) {
    for (size_t i = 0; i < s_count; ++i) {
      const int phase = plan.growth_phase[(t - 1) * s_count + i];
      rs[i] = (phase >= 0 ? d.phase_growth[static_cast<size_t>(phase)] : d.growth[i]) -
              d.fatigue[i] * xs[i];
    }
    for (size_t r = 0; r < reactions.size(); ++r) {
      rs[reactions[r].series] += d.reaction[r] * xs[reactions[r].to];
    }
    for (size_t i = 0; i < s_count; ++i) {
      const Series& s = sc.series[i];
      double v = rs[i];
      if (s.max_rate) v = std::clamp(v, -*s.max_rate, *s.max_rate);
      xs[i] = clamp(t, i, xs[i] + v * plan.dt[t]);
      out[t * s_count + i] = xs[i];
    }
  }
}

std::vector<ReactionIndex> Reactions(const Scenario& sc) {
  std::vector<ReactionIndex> out;
  for (const auto& r : sc.reactions) {
    out.push_back(
        {static_cast<size_t>(sc.SeriesIndex(r.series)), static_cast<size_t>(sc.SeriesIndex(r.to))});
  }
  return out;
}

template <typename Fn>
void ParallelFor(size_t n, int threads, Fn&& fn) {
  const size_t k =
      std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), n));
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

}  // namespace

Status SimulateMembers(const Scenario& sc, uint64_t seed, int begin, int end,
                       std::vector<double>* out, int threads) {
  if (begin < 0 || end < begin) return InvalidArgument("project: bad member range");
  const Plan plan = MakePlan(sc);
  const size_t per_member = plan.dates.size() * sc.series.size();
  const size_t count = static_cast<size_t>(end - begin);
  if (static_cast<double>(count) * static_cast<double>(per_member) > kMaxValues) {
    return InvalidArgument("project: " + std::to_string(count) + " members x " +
                           std::to_string(per_member) +
                           " values is too large an ensemble for one process (limit 5e7 values)");
  }
  out->assign(count * per_member, 0.0);
  const auto reactions = Reactions(sc);
  ParallelFor(count, threads, [&](size_t lo, size_t hi) {
    for (size_t m = lo; m < hi; ++m) {
      stats::Rng rng(seed, static_cast<uint64_t>(begin) + m);
      const Draws d = Draw(sc, rng);
      Run(sc, plan, reactions, d, out->data() + m * per_member);
    }
  });
  return Status::Ok();
}

std::vector<double> CentralPath(const Scenario& sc) {
  const Plan plan = MakePlan(sc);
  std::vector<double> out(plan.dates.size() * sc.series.size());
  Run(sc, plan, Reactions(sc), Central(sc), out.data());
  return out;
}

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
  const std::vector<double> central = CentralPath(sc);
  proj.bands.resize(s_count);
  for (auto& b : proj.bands) {
    for (auto* v : {&b.p05, &b.p25, &b.p50, &b.p75, &b.p95, &b.central}) v->assign(t_count, 0.0);
  }
  // Limit checks to fill: every (limit, series) pair on the same quantity.
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
      proj.checks.push_back(std::move(c));
    }
  }
  static constexpr double kPs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  const size_t m_count = static_cast<size_t>(members);
  // Cells are gathered in blocks of kBlock adjacent (date, series) values per member, so that
  // each member's row is read contiguously: a column-at-a-time gather strides through memory
  // and is several times slower.
  constexpr size_t kBlock = 32;
  const size_t cells = t_count * s_count;
  const size_t blocks = (cells + kBlock - 1) / kBlock;
  ParallelFor(blocks, threads, [&](size_t lo, size_t hi) {
    std::vector<double> buffer(kBlock * m_count);
    for (size_t block = lo; block < hi; ++block) {
      const size_t first = block * kBlock;
      const size_t width = std::min(kBlock, cells - first);
      for (size_t m = 0; m < m_count; ++m) {
        const double* row = paths.data() + m * per_member + first;
        for (size_t j = 0; j < width; ++j) buffer[j * m_count + m] = row[j];
      }
      for (size_t j = 0; j < width; ++j) {
        const size_t cell = first + j;
        const size_t t = cell / s_count, i = cell % s_count;
        std::span<double> column(buffer.data() + j * m_count, m_count);
        for (auto& c : proj.checks) {
          if (c.series != i) continue;
          const LimitLine& limit = sc.limits[c.limit];
          if (!limit.Applies(sc.series[i].state, plan.dates[t])) continue;
          size_t over = 0;
          for (double v : column) over += v > limit.max + 1e-9;
          c.share_over[t] = static_cast<double>(over) / static_cast<double>(m_count);
        }
        const auto q = stats::Quantiles(column, kPs);
        Band& b = proj.bands[i];
        b.p05[t] = q[0];
        b.p25[t] = q[1];
        b.p50[t] = q[2];
        b.p75[t] = q[3];
        b.p95[t] = q[4];
        b.central[t] = central[cell];
      }
    }
  });
  for (auto& c : proj.checks) {
    const LimitLine& limit = sc.limits[c.limit];
    const Series& s = sc.series[c.series];
    for (size_t t = 0; t < t_count; ++t) {
      if (!limit.Applies(s.state, plan.dates[t])) continue;
      c.max_share_over = std::max(c.max_share_over, c.share_over[t]);
      if (!c.central_first_over && proj.bands[c.series].central[t] > limit.max + 1e-9) {
        c.central_first_over = plan.dates[t];
      }
      if (!c.median_first_over && proj.bands[c.series].p50[t] > limit.max + 1e-9) {
        c.median_first_over = plan.dates[t];
      }
    }
  }
  return proj;
}

Result<Projection> Project(const Scenario& sc, int members, uint64_t seed, int threads) {
  if (members < 1) return InvalidArgument("project: members must be at least 1");
  std::vector<double> paths;
  TALLY_RETURN_IF_ERROR(SimulateMembers(sc, seed, 0, members, &paths, threads));
  return Summarize(sc, paths, members, seed, threads);
}

}  // namespace tally::scenario
