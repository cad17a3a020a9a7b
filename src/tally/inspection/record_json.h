// The inspections on the logs as JSON documents, for `tally inspection status|verdict|list|quota
// --json`, a node's GET /api/inspections/<id> and the dashboard's Inspections page alike
// (docs/inspections.md, "JSON").
//
// What a record shows comes from the logs and from the documents the parties handed each other:
// opened items (uids, kinds, statuses, warheads of the items a bundle opened), the revealed
// secrets' seed, the designation, the findings. It never shows a salt, a secret that was not
// revealed, a commitment's opening or an item no bundle opened: those are not in the record.
// Thread safety: pure functions.
#ifndef TALLY_INSPECTION_RECORD_JSON_H_
#define TALLY_INSPECTION_RECORD_JSON_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tally/inspection/workflow.h"

namespace tally::inspection {

nlohmann::ordered_json RecordJson(const InspectionRecord& r);

// One inspection-request entry on the logs and its replay; a second request for the same id is
// part of the first's record and not listed again.
struct ListedInspection {
  std::string id;          // "?" when the request does not parse
  std::string entry;       // "RU log entry 3 (inspection-request)"
  std::string log;         // the log holding the request
  uint64_t index = 0;      // its index there
  std::string inspecting;  // the entry's party
  Result<Request> request = Status::Ok();
  Result<InspectionRecord> record = Status::Ok();
};
std::vector<ListedInspection> ListInspections(const TreatyLookup& treaties,
                                              const ReplaySource& source, int64_t now);

// The latest time of any entry on the logs (treaty time), nullopt when they are empty.
std::optional<int64_t> LatestEntryTime(const Logs& logs);

// {"treaty", "quotas": [{party, type, treaty_year, begins, used, quota, remaining}],
//  "refused_requests": [message]} for the treaty year of `day`.
Result<nlohmann::ordered_json> QuotaJson(const treaty::Treaty& t, const Ledger& ledger, Date day);

// The Inspections page's document: {"treaty", "at" (ISO time), "quotas" (every treaty year with
// an admitted request, and the year of `now`), "refused_requests", "inspections": [{inspection,
// entry, log, index, inspecting, inspected, type, site, stage, verdict, record} or {..., error}]}.
Result<nlohmann::ordered_json> OverviewJson(const TreatyLookup& treaties,
                                            const ReplaySource& source, const treaty::Treaty& t,
                                            int64_t now);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_RECORD_JSON_H_
