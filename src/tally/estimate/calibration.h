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

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_CALIBRATION_H_
