// Evidence files: tally's CSV form of observations (docs/estimate.md, "Evidence files"), and an
// adapter for the New START aggregate-data table.
//
// Evidence CSV columns (all required, in any order; any other column is an error):
//   state,category,date,kind,relation,value,low,high,sd,source,note
// state is a name or code model::FindState knows; category one of KnownCategories() or an alias
// model::ParseCategory knows ("stockpile" is military_stockpile); date
// YYYY, YYYY-MM or YYYY-MM-DD; kind declared|inspection|independent|government; relation
// =|>=|<=|in; value a non-negative number (empty only for relation "in", which needs low and
// high); low/high/sd optional non-negative numbers; source non-empty.
// Rows of one source, state and date are checked against each other: a stockpile must equal
// deployed_strategic + deployed_nonstrategic + reserve (military_stockpile), and total_inventory
// must equal stockpile + retired, when those rows are all present.
//
// Errors: kInvalidArgument naming "file:line: field 'x': expected ..., got ..." for the first
// problem; nothing is returned half-parsed. Thread safety: pure functions.
#ifndef TALLY_ESTIMATE_EVIDENCE_H_
#define TALLY_ESTIMATE_EVIDENCE_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/estimate/observation.h"

namespace tally::estimate {

std::span<const std::string_view> KnownCategories();
bool IsKnownCategory(std::string_view category);

Result<std::vector<Observation>> ParseEvidenceCsv(std::string_view text, const std::string& name);

// The New START aggregate table (columns as_of_date, party, deployed_icbm_slbm_hb,
// warheads_on_deployed, deployed_and_nondeployed_launchers, source; others ignored) as declared
// observations in the categories new_start_deployed_launchers, new_start_warheads and
// new_start_launchers. An empty cell is a value not provided and gives no observation.
Result<std::vector<Observation>> ParseNewStartAggregates(std::string_view text,
                                                         const std::string& name);

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_EVIDENCE_H_
