// Calibrate: does the estimator's uncertainty mean what it says? Withhold the last k declared
// values of each series, estimate from the rest, and count how often the withheld values fall
// inside the forecast 50 % and 90 % intervals (forecast of the observation: the level's interval
// widened by the observation's own error).
//
// For each series (state, category) with at least k_max + 4 declared point observations and each
// k in 1..k_max, the k most recent are withheld; CalibrationRow aggregates over series for one k.
// Well-calibrated intervals hold about 50 % and 90 % of the withheld values.
//
// Errors: kInvalidArgument when k_max < 1 or no series is long enough. Thread safety: pure.
#ifndef TALLY_ESTIMATE_CALIBRATION_H_
#define TALLY_ESTIMATE_CALIBRATION_H_

#include <span>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/estimate/observation.h"

namespace tally::estimate {

struct CalibrationCase {
  std::string state, category;
  int k = 0;         // how many of the series' last values were withheld
  Date date;         // of this withheld value
  double value = 0;  // the withheld value
  double median = 0, p05 = 0, p25 = 0, p75 = 0, p95 = 0;
  bool in50 = false, in90 = false;
};

struct CalibrationRow {
  int k = 0;
  int withheld = 0;  // values withheld across series
  int in50 = 0, in90 = 0;
};

struct CalibrationReport {
  std::vector<CalibrationRow> rows;
  std::vector<CalibrationCase> cases;
  int series = 0;
};

Result<CalibrationReport> Calibrate(std::span<const Observation> declared, int k_max);

// Back-test on the independent estimates: for each state and each year, hide every figure of the
// FAS datasets (sources "fas-...") dated that year, estimate each hidden figure's own quantity at
// its date from all the rest of the evidence, and count how often the hidden value falls inside
// the 50 % and 90 % prediction intervals (the posterior widened by the figure's own error).
// Process noise is the one fitted on all the evidence (held fixed while hiding, for speed: a
// small optimism, documented in docs/estimate.md). Figures counted through their parts (a
// source's stockpile beside its deployed and reserve rows) are not predicted separately.
struct BacktestState {
  std::string state;
  int figures = 0, in50 = 0, in90 = 0;
};
struct BacktestReport {
  std::vector<BacktestState> states;
  std::vector<CalibrationCase> cases;  // k = the hidden year
};
// `states` empty means every state with FAS figures; only years >= `since` are hidden.
Result<BacktestReport> BacktestFasYears(std::span<const Observation> evidence,
                                        std::span<const std::string> states, int since = 0);

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_CALIBRATION_H_
