// EstimateSeries: the estimate of one state's count in one category over a grid of dates, from all
// the evidence given, with median, 50 % and 90 % intervals at every grid date.
//
// Quantities and their equations (docs/estimate.md, "Quantities"). A state's warheads are four
// components, each a local linear trend (level, rate per year): deployed strategic (DS),
// deployed non-strategic (DN), reserve (V) and retired awaiting dismantlement (R). Every
// observation enters as the quantity its source names, a fixed sum of components:
//   deployed_strategic = DS          deployed_nonstrategic = DN      deployed = DS + DN
//   reserve = V                      military_stockpile = DS + DN + V
//   retired = R                      total_inventory = DS + DN + V + R
// so "about 5,000 with reserves and retired" informs the stockpile only through
// total = stockpile + retired. The New START counts (new_start_warheads, ..._deployed_launchers,
// ..._launchers) are their own quantity each, a one-component model: New START counts one warhead
// per deployed heavy bomber, FAS counts the bomber weapons at the bases, and no source here gives
// the bomber split that the equation accountable = DS - bomber weapons + deployed bombers needs.
// A row of one source and date that is the sum of other rows of that source and date (FAS's
// stockpile beside its deployed and reserve parts) is listed as implied and not counted twice.
//
// Relations: a point value is Gaussian with its error (observation.h); a range ("low 600s",
// an "about" figure with low/high) is Gaussian with the range as its 90 % interval; a bound
// ("more than 600") is a constraint the posterior honours: at most kBoundTailMass (5 %) of the
// posterior at the bound's date lies on the wrong side (enforced by Gaussian sites fitted by
// moment matching, docs/estimate.md).
//
// Process model: each component's noise is proportional to the arsenal's size at the time (a pilot
// curve through the observations), with two relative factors fitted by maximum likelihood on the
// observations of the last 30 years (docs/estimate.md, "The model").
//
// One posterior: the model always runs on the full grid (1945-01 to 2035-12 monthly, widened to
// the evidence and the requested window), with all the evidence; options.grid only selects which
// dates are returned. The estimate at a date does not depend on the window asked for.
//
// Methods:
//   kalman    the joint linear-Gaussian model above: Kalman filter + RTS smoother, bound sites.
//   particle  the old one-category bootstrap particle filter + FFBSi smoother (non-negative
//             levels, soft bound likelihoods) on the requested category's evidence only.
//   auto      kalman.
// Every observation of the series' quantities appears in SeriesEstimate::sources, used or rejected
// with the reason.
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
  // Also compute, for every returned date, how far each used observation moves the median
  // (the estimate without it minus the estimate with all; process noise held fixed).
  bool explain = false;
};

// The tail mass a bound may leave on its wrong side.
inline constexpr double kBoundTailMass = 0.05;

// The default span of the estimation grid (widened to the evidence and the requested window).
Date FullGridStart();
Date FullGridEnd();

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

struct Influence {
  size_t source = 0;          // index into SeriesEstimate::sources
  std::vector<double> shift;  // per returned point: median with all minus median without it
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
  std::vector<Influence> influences;     // with options.explain
};

Result<SeriesEstimate> EstimateSeries(std::string_view state, std::string_view category,
                                      std::span<const Observation> evidence,
                                      const EstimateOptions& options);

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_ESTIMATOR_H_
