// EstimateSeries: the estimate of one state's count in one category over a grid of dates, from all
// the evidence given, with median, 50 % and 90 % intervals at every grid date.
//
// Model (docs/estimate.md): a local linear trend. The state is (level, rate per year); the level
// follows the rate plus a random walk, the rate follows its own random walk, so uncertainty grows
// with the time since the last good observation. A known production or dismantlement rate enters
// as the prior on the rate. Process noise is fitted by maximum likelihood on the series' point
// observations unless set explicitly.
//
// Methods:
//   kalman    Kalman filter + RTS smoother; Gaussian intervals clipped at zero. Bound statements
//             ("more than 600") cannot enter and are listed as rejected with that reason.
//   particle  bootstrap particle filter with non-negative levels and soft likelihoods for bounds
//             and ranges, smoothed by forward-filtering backward-simulation (FFBSi).
//   auto      kalman unless the series has a bound or range statement, then particle.
// Every observation of the series appears in SeriesEstimate::sources, used or rejected with the
// reason; evidence for other series is not part of this series and is not listed.
//
// Errors: kInvalidArgument for an empty or inverted grid, bad options, or a series with no usable
// observation. Thread safety: pure function; the particle method's randomness comes from
// options.seed only.
#ifndef TALLY_ESTIMATE_ESTIMATOR_H_
#define TALLY_ESTIMATE_ESTIMATOR_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/estimate/observation.h"

namespace tally::estimate {

enum class Method { kAuto, kKalman, kParticle };
enum class Step { kDay, kMonth, kYear };

std::string_view MethodName(Method m);
std::optional<Method> ParseMethod(std::string_view name);
std::string_view StepName(Step s);
std::optional<Step> ParseStep(std::string_view name);

struct Grid {
  Date start;
  Date end;
  Step step = Step::kMonth;
};
// start, start + 1 step, ... while <= end. Month and year steps keep the day of month (clamped).
std::vector<Date> GridDates(const Grid& grid);

struct EstimateOptions {
  Grid grid;
  Method method = Method::kAuto;
  // Process noise, warheads per sqrt(year) on the level and warheads/year per sqrt(year) on the
  // rate; unset means fitted by maximum likelihood.
  std::optional<double> level_sd;
  std::optional<double> rate_sd;
  // The process model's known production (+) or dismantlement (-) rate, warheads per year.
  std::optional<double> known_rate;
  std::optional<double> known_rate_sd;
  int particles = 1000;
  int trajectories = 200;
  uint64_t seed = 1;
};

struct EstimatePoint {
  Date date;
  double median = 0, p05 = 0, p25 = 0, p75 = 0, p95 = 0;
  double mean = 0, sd = 0;
};

struct SourceUse {
  Observation observation;
  bool used = false;
  std::string reason;  // why rejected; empty when used
};

struct SeriesEstimate {
  std::string state;
  std::string category;
  Method method = Method::kKalman;
  double level_sd = 0;  // the process noise actually used
  double rate_sd = 0;
  bool noise_fitted = false;
  std::vector<EstimatePoint> points;
  std::vector<SourceUse> sources;
  std::optional<Date> last_observation;  // of any used point observation
  std::optional<Date> last_declared;     // of a used declared or inspection observation
};

Result<SeriesEstimate> EstimateSeries(std::string_view state, std::string_view category,
                                      std::span<const Observation> evidence,
                                      const EstimateOptions& options);

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_ESTIMATOR_H_
