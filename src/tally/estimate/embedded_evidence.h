// The evidence tally ships: every figure of the embedded datasets (registry_evidence.h), the New
// START aggregate table (data/new_start/aggregates.csv, declared observations), the deployed
// counts of its per-type table (data/new_start/by_type.csv, summed per category by
// treaty/by_type_file.h) and every data/evidence/*.csv file (evidence.h). The one list that `tally
// estimate`, the dashboard's bands, the Python module, the benchmarks and the exercise's year-end
// estimates start from.
//
// Errors: kInternal when the embedded data lacks a file it must hold; an embedded file that does
// not parse is a build defect and is returned as its parser's error.
// Thread safety: pure functions (the embedded data is immutable).
#ifndef TALLY_ESTIMATE_EMBEDDED_EVIDENCE_H_
#define TALLY_ESTIMATE_EMBEDDED_EVIDENCE_H_

#include <span>
#include <vector>

#include "tally/base/result.h"
#include "tally/estimate/observation.h"
#include "tally/model/figure.h"

namespace tally::estimate {

// The New START exchanges as declared observations.
Result<std::vector<Observation>> NewStartEvidence();

// The per-type New START table's deployed ICBMs, SLBMs and heavy bombers per exchange, as declared
// observations in new_start_deployed_icbms, new_start_deployed_slbms and
// new_start_deployed_heavy_bombers (a category's `all` row, else the sum of its types; none where
// a type's count is not published).
Result<std::vector<Observation>> NewStartByTypeEvidence();

// `figures` as observations, then the New START exchanges and their per-type counts, then
// data/evidence/*.csv.
Result<std::vector<Observation>> EmbeddedEvidence(std::span<const model::Figure> figures);

// The same over every figure of the embedded registry.
Result<std::vector<Observation>> EmbeddedEvidence();

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_EMBEDDED_EVIDENCE_H_
