// What the Confidence page shows beside the estimate bands: upload capacity per system (what
// `tally upload` computes) and the shipped scenarios projected against their limits (what
// `tally project --ensemble` computes), as plain values computed once from the embedded data.
//
//   uploads      one case per state and structure case of data/structure/systems.csv, every system
//                with its loaded warheads, capacity and what the reserve pools let it add
//                (scenario::ComputeUpload), and the limits on deployed strategic warheads of New
//                START, SORT and START II (the defaults of `tally upload`);
//   projections  every scenario in data/scenarios/, its ensemble summarised as bands
//                (scenario::Project) with a bounded number of members (SiteOptions), each limit of
//                the scenario and of the treaties it names as a dated ceiling, and when the
//                central path and the median first exceed it.
// The treaty limits are dated as `tally project` and `tally upload` date them
// (ceilings/treaty_ceilings.h). Errors: the parsers' (kInvalidArgument naming file and line) for
// bad embedded data, kNotFound for a treaty a scenario names that is not loaded. Plain values;
// thread-compatible.
#ifndef TALLY_DASHBOARD_CONFIDENCE_DATA_H_
#define TALLY_DASHBOARD_CONFIDENCE_DATA_H_

#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/scenario/scenario.h"
#include "tally/treaty/treaty_set.h"

namespace tally::dashboard {

struct UploadSystemRow {
  std::string system, leg, as_of;
  std::optional<double> launchers;  // nullopt: capacity given directly
  double loaded = 0, capacity = 0, headroom = 0, added = 0, per_month = 0;
  bool capacity_given = false;
  std::string limited_by;  // "capacity" or the pool that ran out
  int months_to_full = 0;
  std::string confidence, source, where;
};

struct UploadLimit {
  std::string id, name;
  double max = 0;
  std::string from, until;  // ISO dates, empty when open
};

struct UploadCase {
  std::string state, case_id;
  double baseline = 0, added = 0, total = 0;
  int months_to_full = 0;
  std::vector<UploadSystemRow> systems;
  std::vector<UploadLimit> limits;
};

struct ProjectedSeries {
  std::string id, state, quantity, source;
  std::vector<double> central, p05, p25, p50, p75, p95;
};

struct ProjectedLimit {
  std::string id, name, series, source;
  double max = 0;
  std::string from, until;                            // ISO dates, empty when open
  std::string central_first_over, median_first_over;  // empty: never
  double max_share_over = 0;
};

struct ScenarioProjection {
  std::string id;    // the file's stem: `tally project <id>`
  std::string file;  // "scenarios/<id>.toml"
  std::string name, description;
  std::string sha256;  // of the scenario file, as `tally project` prints it
  std::string step;    // "month" or "year"
  int members = 0;
  uint64_t seed = 0;
  std::vector<std::string> treaties;
  std::vector<Date> dates;
  std::vector<ProjectedSeries> series;
  std::vector<ProjectedLimit> limits;
};

// Every state and case of the embedded force structure, against the deployed-warhead limits of
// `treaty_ids` (default: new-start, sort, start-ii, as `tally upload`).
Result<std::vector<UploadCase>> BuildUploads(const treaty::TreatySet& treaties,
                                             const std::vector<std::string>& treaty_ids = {
                                                 "new-start", "sort", "start-ii"});

// Every shipped scenario run with min(members, the scenario's own) members and its own seed.
Result<std::vector<ScenarioProjection>> BuildProjections(const treaty::TreatySet& treaties,
                                                         int members, int threads = 1);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_CONFIDENCE_DATA_H_
