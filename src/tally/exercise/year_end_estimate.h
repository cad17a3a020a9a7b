// YearEndEstimate: what each party can estimate of another's treaty-counted forces at the end of
// the exercise's treaty years, with the regime and without it — the seed's point that without
// verification "there are no good estimates of the other's arsenal", shown as two intervals.
//
// For each inspected party and each limited quantity that public data counts the treaty's way
// (New START's warheads, deployed launchers and launchers: the categories new_start_warheads,
// new_start_deployed_launchers and new_start_launchers of estimate/), two estimates at the last
// day of the run, from estimate::EstimateSeries (Kalman/RTS, process noise fitted):
//   without  the shipped evidence (estimate/embedded_evidence.h) known before the run began: no
//            observation dated on or after its first day (no exchange, no inspection, no later
//            publication), so the interval widens from the last exchange before it;
//   with     the same, plus each data exchange of the run as the declared observation the partner
//            received (the party's declared count at that data date).
// Beside them, what the party physically held at the last data date (the exercise knows it), and
// whether each interval covers it: a cheat that keeps items off the declaration moves the "with"
// estimate with the declaration, which is why the inspections' findings are reported with it.
// Quantities no public series counts the treaty's way (other treaties' limits) are listed with
// `available = false` and the reason.
//
// Errors: only the estimator's on evidence that cannot be used (then the row carries the reason).
// Thread safety: pure function.
#ifndef TALLY_EXERCISE_YEAR_END_ESTIMATE_H_
#define TALLY_EXERCISE_YEAR_END_ESTIMATE_H_

#include <optional>
#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/exercise/treaty_year.h"
#include "tally/treaty/treaty.h"

namespace tally::exercise {

// The estimate at one date.
struct EstimateAt {
  Date date;
  double median = 0, p05 = 0, p95 = 0;
};

struct Interval {
  double median = 0, p05 = 0, p95 = 0;
  std::vector<EstimateAt> path;  // monthly from a year before the run to its last day
  size_t observations = 0;       // used observations of the series
  std::optional<Date> last_observation;
  bool Covers(double x) const { return p05 <= x && x <= p95; }
  double Width() const { return p95 - p05; }
};

struct YearEndEstimate {
  std::string party;     // whose forces
  std::string limit;     // the treaty limit's name
  std::string category;  // the estimate category, "" when none counts it the treaty's way
  Date at;               // the run's last day
  bool available = false;
  std::string reason;  // when not available
  std::optional<Interval> without, with;
  int64_t declared = 0;  // at the last data date of the run
  int64_t actual = 0;    // physically held then
  int64_t max = 0;       // the limit
  // Every data date of the run for this party and limit: (date, declared, actual).
  struct DataPoint {
    Date as_of;
    int64_t declared = 0, actual = 0;
  };
  std::vector<DataPoint> data;
};

std::vector<YearEndEstimate> EstimateYearEnd(const treaty::Treaty& treaty,
                                             const TreatyYearRun& run);

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_YEAR_END_ESTIMATE_H_
