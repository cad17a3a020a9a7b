// Projection: a scenario run forward — one central path (every parameter at its central value)
// and a Monte Carlo ensemble whose members draw the uncertain parameters — summarised as bands
// (5, 25, 50, 75, 95 %) per series and date, and compared with every limit over time.
//
// Reproducibility: member m draws from stats::Rng(seed, m) only, so a member's path does not
// depend on how members are split across threads or processes (MPI ranks): SimulateMembers on
// disjoint ranges, concatenated in member order, equals one SimulateMembers over all of them, and
// Summarize of equal inputs gives equal outputs bit for bit. Project equals Summarize of
// SimulateMembers bit for bit too (what an MPI run computes), though it never holds the whole
// ensemble: it summarises a few dates at a time as every member reaches them.
//
// Dynamics: explicit Euler steps of the scenario's equation (scenario.h) on its monthly or yearly
// grid; the rate is taken at the start of each step, then the level is clamped to [min, max] and
// to the ceilings of phases in effect at the step's date.
//
// Errors: kInvalidArgument for members < 1 or an ensemble too large for memory (more than 5e7
// values). Thread safety: pure functions; `threads` > 1 runs members on that many std::threads.
#ifndef TALLY_SCENARIO_PROJECTION_H_
#define TALLY_SCENARIO_PROJECTION_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "tally/base/result.h"
#include "tally/scenario/scenario.h"

namespace tally::scenario {

struct Band {
  std::vector<double> p05, p25, p50, p75, p95;
  std::vector<double> central;
};

struct LimitCheck {
  size_t limit = 0;   // index into Scenario::limits
  size_t series = 0;  // index into Scenario::series
  // Per date: the share of members over the ceiling; NaN where the limit does not apply.
  std::vector<double> share_over;
  double max_share_over = 0;
  std::optional<Date> central_first_over;  // first date the central path is over
  std::optional<Date> median_first_over;   // first date the ensemble median is over
};

struct Projection {
  std::vector<Date> dates;
  std::vector<Band> bands;  // one per series
  std::vector<LimitCheck> checks;
  int members = 0;
  uint64_t seed = 0;
};

// Paths of members [begin, end) into `out`, laid out member-major then date then series:
// out[((m - begin) * dates + t) * series + i].
Status SimulateMembers(const Scenario& scenario, uint64_t seed, int begin, int end,
                       std::vector<double>* out, int threads = 1);
// The path with every parameter at its central value: out[t * series + i].
std::vector<double> CentralPath(const Scenario& scenario);
// Bands and limit checks from all members' paths (layout as SimulateMembers for [0, members)).
Result<Projection> Summarize(const Scenario& scenario, std::span<const double> paths, int members,
                             uint64_t seed, int threads = 1);
// SimulateMembers + Summarize in one process.
Result<Projection> Project(const Scenario& scenario, int members, uint64_t seed, int threads = 1);

}  // namespace tally::scenario

#endif  // TALLY_SCENARIO_PROJECTION_H_
