// The particle filter and FFBSi smoother behind Method::kParticle (internal to the estimate
// module). Same local-linear-trend dynamics as the Kalman path, but levels stay non-negative and
// observations may be bounds: a statement "at least b" with error sd s has likelihood
// Phi((level - b) / s), "at most b" Phi((b - level) / s), a range [lo, hi] the difference of two
// such terms, and a point value the normal density.
//
// Thread safety: pure function; all randomness from `seed`.
#ifndef TALLY_ESTIMATE_PARTICLE_H_
#define TALLY_ESTIMATE_PARTICLE_H_

#include <array>
#include <cstdint>
#include <vector>

#include "tally/base/result.h"
#include "tally/estimate/observation.h"

namespace tally::estimate::internal {

struct StepObservation {
  size_t step;
  Relation relation;
  double value, low, high, sd;
};

struct ParticleSetup {
  std::vector<double> dt_years;  // dt_years[t] = years from step t-1 to t (dt_years[0] unused)
  double level0, level0_sd, rate0, rate0_sd;
  double level_sd, rate_sd;  // process noise per sqrt(year)
  int particles = 1000;
  int trajectories = 200;
  uint64_t seed = 1;
};

struct ParticleOutput {
  // Per step: quantiles 5, 25, 50, 75, 95 % of the smoothed level, its mean and sd.
  std::vector<std::array<double, 5>> quantiles;
  std::vector<double> mean, sd;
};

Result<ParticleOutput> ParticleSmooth(const ParticleSetup& setup,
                                      const std::vector<StepObservation>& observations);

}  // namespace tally::estimate::internal

#endif  // TALLY_ESTIMATE_PARTICLE_H_
