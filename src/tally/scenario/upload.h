// Upload capacity: how many warheads a state could put back on its deployed launchers, from its
// force structure (docs/upload.md), system by system, how fast, and with every assumption shown.
//
// Inputs are two CSV tables (data/structure/):
//   systems: state,case,system,leg,as_of,launchers,warheads_loaded,max_per_launcher,capacity,
//            upload_per_month,pools,confidence,source,note
//     capacity is launchers x max_per_launcher unless given; pools (';'-separated) name the
//     reserve stocks the system's extra warheads come from.
//   pools:   state,case,pool,warheads,confidence,source,note
//     a pool is a stock of non-deployed warheads (e.g. all strategic reserve warheads, or the
//     stored bomber weapons); a system's upload draws from every pool it names at once.
// A "case" is one consistent set of rows (e.g. FAS 2022 per-system figures, FAS 2025 totals).
//
// Upload of a case: baseline = sum of warheads_loaded; each system in file order takes
// min(capacity - loaded, what remains of each of its pools); the timeline uploads at most
// upload_per_month per system per month, in the same order, until all are full.
//
// Errors: kInvalidArgument "file:line: field 'x': ..." for unknown columns, negative counts,
// loaded above capacity, unknown states or pools, a system listed twice in a case; Compute fails
// for an unknown state/case. Thread safety: plain values and pure functions.
#ifndef TALLY_SCENARIO_UPLOAD_H_
#define TALLY_SCENARIO_UPLOAD_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"

namespace tally::scenario {

struct UploadSystem {
  std::string state, case_id, system, leg, as_of;
  double launchers = 0;  // -1: not given (capacity given instead)
  double loaded = 0;
  double max_per_launcher = 0;  // -1: not given
  double capacity = 0;          // derived or given
  bool capacity_given = false;
  double per_month = 0;
  std::vector<std::string> pools;
  std::string confidence, source, note, where;
};

struct UploadPool {
  std::string state, case_id, pool;
  double warheads = 0;
  std::string confidence, source, note, where;
};

struct ForceStructure {
  std::vector<UploadSystem> systems;
  std::vector<UploadPool> pools;
};

Result<ForceStructure> ParseForceStructure(std::string_view systems_csv,
                                           const std::string& systems_name,
                                           std::string_view pools_csv,
                                           const std::string& pools_name);

struct SystemUpload {
  const UploadSystem* system = nullptr;
  double headroom = 0;     // capacity - loaded
  double added = 0;        // after the pools' limits
  std::string limited_by;  // "capacity" or the pool that ran out
  int months_to_full = 0;  // months until this system has taken `added`
};

struct UploadResult {
  std::string state, case_id;
  double baseline = 0;
  double added = 0;
  double total = 0;
  std::vector<SystemUpload> systems;
  std::vector<std::pair<const UploadPool*, double>> pools_used;  // pool, warheads drawn
  std::vector<double> timeline;  // deployed at the end of month 0, 1, 2, ...
};

// A published upload estimate to compare with (data/structure/published_upload.csv):
// state,estimator,date,baseline,low,high,basis,confidence,source.
struct PublishedUpload {
  std::string state, estimator, date;
  double baseline = 0, low = 0, high = 0;
  std::string basis, confidence, source;
};
Result<std::vector<PublishedUpload>> ParsePublishedUploads(std::string_view text,
                                                           const std::string& name);

// Cases present for a state, in file order.
std::vector<std::string> UploadCases(const ForceStructure& fs, std::string_view state);
// `rate_overrides` maps a system name to warheads per month.
Result<UploadResult> ComputeUpload(const ForceStructure& fs, std::string_view state,
                                   std::string_view case_id,
                                   const std::map<std::string, double>& rate_overrides = {});

}  // namespace tally::scenario

#endif  // TALLY_SCENARIO_UPLOAD_H_
