#include "tally/estimate/particle.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tally/stats/rng.h"
#include "tally/stats/summary.h"

namespace tally::estimate::internal {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double LogLikelihood(const StepObservation& o, double level) {
  switch (o.relation) {
    case Relation::kEqual: {
      const double z = (o.value - level) / o.sd;
      return -0.5 * z * z - std::log(o.sd);
    }
    case Relation::kAtLeast:
      return std::log(std::max(stats::NormalCdf((level - o.value) / o.sd), 1e-300));
    case Relation::kAtMost:
      return std::log(std::max(stats::NormalCdf((o.value - level) / o.sd), 1e-300));
    case Relation::kBetween: {
      const double p =
          stats::NormalCdf((level - o.low) / o.sd) - stats::NormalCdf((level - o.high) / o.sd);
      return std::log(std::max(p, 1e-300));
    }
  }
  return 0;
}

// Normalises log weights in place to weights summing to 1; uniform when all are -inf.
void Normalise(std::vector<double>& w) {
  double max = kNegInf;
  for (double x : w) max = std::max(max, x);
  if (max == kNegInf) {
    std::fill(w.begin(), w.end(), 1.0 / static_cast<double>(w.size()));
    return;
  }
  double sum = 0;
  for (double& x : w) {
    x = std::exp(x - max);
    sum += x;
  }
  for (double& x : w) x /= sum;
}

size_t SampleIndex(const std::vector<double>& w, stats::Rng& rng) {
  double u = rng.Uniform();
  for (size_t i = 0; i < w.size(); ++i) {
    u -= w[i];
    if (u < 0) return i;
  }
  return w.size() - 1;
}

struct Cov2 {
  double a, b, c;  // lower Cholesky factor [[a, 0], [b, c]] of Q
  double i00, i01, i11, log_det;
};

Cov2 ProcessCov(double dt, double level_sd, double rate_sd) {
  const double r2 = rate_sd * rate_sd;
  const double q00 = level_sd * level_sd * dt + r2 * dt * dt * dt / 3;
  const double q01 = r2 * dt * dt / 2;
  const double q11 = r2 * dt;
  Cov2 c;
  c.a = std::sqrt(q00);
  c.b = q01 / c.a;
  c.c = std::sqrt(std::max(q11 - c.b * c.b, 1e-18));
  const double det = q00 * q11 - q01 * q01;
  c.i00 = q11 / det;
  c.i01 = -q01 / det;
  c.i11 = q00 / det;
  c.log_det = std::log(det);
  return c;
}

}  // namespace

Result<ParticleOutput> ParticleSmooth(const ParticleSetup& s,
                                      const std::vector<StepObservation>& observations) {
  const size_t steps = s.dt_years.size();
  const size_t n = static_cast<size_t>(s.particles);
  const size_t m = static_cast<size_t>(s.trajectories);
  if (steps == 0 || n < 10 || m < 10) {
    return InvalidArgument("particle: need at least one step, 10 particles and 10 trajectories");
  }
  if (!(s.level_sd > 0) || !(s.rate_sd > 0)) {
    return InvalidArgument("particle: process noise must be positive");
  }
  stats::Rng rng(s.seed, 0x9a27);
  std::vector<std::vector<double>> level(steps, std::vector<double>(n));
  std::vector<std::vector<double>> rate(steps, std::vector<double>(n));
  std::vector<std::vector<double>> weight(steps, std::vector<double>(n));
  std::vector<Cov2> cov(steps);
  for (size_t t = 1; t < steps; ++t) cov[t] = ProcessCov(s.dt_years[t], s.level_sd, s.rate_sd);

  size_t next = 0;
  std::vector<double> logw(n);
  std::vector<size_t> ancestor(n);
  for (size_t t = 0; t < steps; ++t) {
    if (t == 0) {
      for (size_t i = 0; i < n; ++i) {
        level[0][i] = rng.Normal(s.level0, s.level0_sd);
        rate[0][i] = rng.Normal(s.rate0, s.rate0_sd);
      }
    } else {
      // Systematic resampling when the effective sample size falls below half.
      const auto& w = weight[t - 1];
      double sum2 = 0;
      for (double x : w) sum2 += x * x;
      const bool resampled = 1.0 / sum2 < 0.5 * static_cast<double>(n);
      if (resampled) {
        const double u0 = rng.Uniform() / static_cast<double>(n);
        double cumulative = w[0];
        size_t j = 0;
        for (size_t i = 0; i < n; ++i) {
          const double u = u0 + static_cast<double>(i) / static_cast<double>(n);
          while (u > cumulative && j + 1 < n) cumulative += w[++j];
          ancestor[i] = j;
        }
        std::fill(logw.begin(), logw.end(), 0.0);
      } else {
        for (size_t i = 0; i < n; ++i) {
          ancestor[i] = i;
          logw[i] = std::log(std::max(w[i], 1e-300));
        }
      }
      const double dt = s.dt_years[t];
      const Cov2& c = cov[t];
      // Roughening (Gordon, Salmond & Smith 1993): after a resampling, jitter each component by
      // K * spread * N^(-1/d), K = 0.2, d = 2, so that duplicated particles separate again even
      // when the process noise is small. Only after resampling; documented in docs/estimate.md.
      double jitter_level = 0, jitter_rate = 0;
      if (resampled) {
        auto spread = [&](const std::vector<double>& v) {
          const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
          return *hi - *lo;
        };
        const double k = 0.2 / std::sqrt(static_cast<double>(n));
        jitter_level = k * spread(level[t - 1]);
        jitter_rate = k * spread(rate[t - 1]);
      }
      for (size_t i = 0; i < n; ++i) {
        const size_t a = ancestor[i];
        const double z1 = rng.Normal(), z2 = rng.Normal();
        level[t][i] = level[t - 1][a] + dt * rate[t - 1][a] + c.a * z1;
        rate[t][i] = rate[t - 1][a] + c.b * z1 + c.c * z2;
        if (jitter_level > 0 || jitter_rate > 0) {
          level[t][i] += jitter_level * rng.Normal();
          rate[t][i] += jitter_rate * rng.Normal();
        }
      }
    }
    if (t == 0) std::fill(logw.begin(), logw.end(), 0.0);
    // Counts are never negative: an indicator likelihood at every step (a truncated model).
    for (size_t i = 0; i < n; ++i) {
      if (level[t][i] < 0) logw[i] = kNegInf;
    }
    for (; next < observations.size() && observations[next].step == t; ++next) {
      for (size_t i = 0; i < n; ++i) {
        if (logw[i] != kNegInf) logw[i] += LogLikelihood(observations[next], level[t][i]);
      }
    }
    weight[t] = logw;
    Normalise(weight[t]);
  }

  // Forward-filtering backward-simulation: m trajectories drawn from the smoothing distribution.
  std::vector<std::vector<double>> paths(steps, std::vector<double>(m));
  std::vector<double> bw(n);
  for (size_t j = 0; j < m; ++j) {
    size_t k = SampleIndex(weight[steps - 1], rng);
    paths[steps - 1][j] = level[steps - 1][k];
    for (size_t t = steps - 1; t-- > 0;) {
      const double dt = s.dt_years[t + 1];
      const Cov2& c = cov[t + 1];
      const double xl = level[t + 1][k], xr = rate[t + 1][k];
      for (size_t i = 0; i < n; ++i) {
        if (weight[t][i] <= 0) {
          bw[i] = kNegInf;
          continue;
        }
        const double dl = xl - level[t][i] - dt * rate[t][i];
        const double dr = xr - rate[t][i];
        const double q = dl * dl * c.i00 + 2 * dl * dr * c.i01 + dr * dr * c.i11;
        bw[i] = std::log(weight[t][i]) - 0.5 * q;
      }
      Normalise(bw);
      k = SampleIndex(bw, rng);
      paths[t][j] = level[t][k];
    }
  }
  ParticleOutput out;
  out.quantiles.resize(steps);
  out.mean.resize(steps);
  out.sd.resize(steps);
  static constexpr double kPs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  for (size_t t = 0; t < steps; ++t) {
    double sum = 0, sum2 = 0;
    for (double x : paths[t]) {
      sum += x;
      sum2 += x * x;
    }
    out.mean[t] = sum / static_cast<double>(m);
    out.sd[t] = std::sqrt(std::max(0.0, sum2 / static_cast<double>(m) - out.mean[t] * out.mean[t]));
    const auto q = stats::Quantiles(paths[t], kPs);
    std::copy(q.begin(), q.end(), out.quantiles[t].begin());
  }
  return out;
}

}  // namespace tally::estimate::internal
