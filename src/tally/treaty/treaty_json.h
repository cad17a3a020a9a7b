// JSON forms of treaties and check results, as `tally treaty show --json` and `tally check --json`
// print them (field names documented in docs/treaties.md). Shared so that the report, the CLI
// and later the node API print the same documents.
//
// Dates are "YYYY-MM-DD" strings, absent dates are null, missing counts are null (never 0).
// Pure functions; thread safe.
#ifndef TALLY_TREATY_TREATY_JSON_H_
#define TALLY_TREATY_TREATY_JSON_H_

#include <nlohmann/json.hpp>

#include "tally/treaty/check.h"
#include "tally/treaty/treaty.h"
#include "tally/treaty/treaty_status.h"

namespace tally::treaty {

// Everything in the treaty: dates per treaty and party, quantities with their counting terms,
// limits, interpretations, regime, sources.
nlohmann::json TreatyToJson(const Treaty& treaty);
// The one-line summary `tally treaty list` prints, with the status at `date`.
nlohmann::json TreatySummaryToJson(const Treaty& treaty, Date date);
nlohmann::json TreatyStatusToJson(const TreatyStatus& status);
nlohmann::json CheckResultToJson(const CheckResult& result);

}  // namespace tally::treaty

#endif  // TALLY_TREATY_TREATY_JSON_H_
