// RecordJson: a replayed inspection as one JSON document (the shape documented in
// docs/inspections.md, "tally inspection status --json"), shared by the CLI and a node's
// GET /api/inspections/<id>. It holds what the logs and the documents handed over make public
// to the parties: counts of the site's items, never their uids, salts or leaf positions.
// Thread safety: pure.
#ifndef TALLY_INSPECTION_RECORD_JSON_H_
#define TALLY_INSPECTION_RECORD_JSON_H_

#include <nlohmann/json.hpp>

#include "tally/inspection/workflow.h"

namespace tally::inspection {

nlohmann::ordered_json RecordJson(const InspectionRecord& r);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_RECORD_JSON_H_
