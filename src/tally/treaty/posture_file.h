// Posture files: aggregate counts per party and date, CSV or JSON (docs/formats/posture.md).
//
// CSV: one posture per row; columns `party` (a state code or any name model::FindState knows,
// e.g. "Russian Federation") and `as_of` (also `as_of_date`, `date`; YYYY-MM-DD), then one column
// per counted quantity (a treaty quantity id or alias). `confidence`, `notes`, `note` and
// `source` are carried along. An empty cell or "not provided" is a missing count, never zero; a
// row with every count missing is a party that provided no data. The published New START table
// (data/new_start/aggregates.csv) is a posture file as it stands.
//
// JSON: {"postures": [{"party": "US", "as_of": "2020-09-01", "counts": {"deployed_warheads":
// 1457, "...": null}, "provided": true, "source": "...", "note": "..."}]} or a single posture
// object; a null count is missing.
//
// Errors: kInvalidArgument as "file:line: field 'x': expected ..., got ...". Never throws.
// Thread safety: pure.
#ifndef TALLY_TREATY_POSTURE_FILE_H_
#define TALLY_TREATY_POSTURE_FILE_H_

#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/model/posture.h"
#include "tally/treaty/treaty.h"

namespace tally::treaty {

Result<std::vector<model::Posture>> ParsePostureCsv(std::string_view text, const std::string& name);
Result<std::vector<model::Posture>> ParsePostureJson(std::string_view text,
                                                     const std::string& name);
// JSON when the first non-blank byte is '{' or '[', CSV otherwise.
Result<std::vector<model::Posture>> ParsePostures(std::string_view text, const std::string& name);
Result<std::vector<model::Posture>> LoadPostureFile(const std::string& path);

// The published New START aggregate table, embedded (data/new_start/aggregates.csv).
Result<std::vector<model::Posture>> NewStartAggregates();
// The START I aggregates found in published sources (MOU of 1990-09-01 and later statements),
// embedded (data/start_i/aggregates.csv; its README lists the exchanges still missing). Columns are
// START I quantity ids; party "USSR" and, after the Lisbon Protocol, "Russian Federation" both
// read as RU, the party the treaty file lists for the Soviet successors.
Result<std::vector<model::Posture>> StartIAggregates();

// An error naming the first count whose quantity `treaty` does not define (a typo in a column).
Status RequireKnownQuantities(const Treaty& treaty, const std::vector<model::Posture>& postures);

}  // namespace tally::treaty

#endif  // TALLY_TREATY_POSTURE_FILE_H_
