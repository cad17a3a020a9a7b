// How `tally inspection status|verdict|designate` show a replayed inspection: one JSON document
// (the shape documented in docs/inspections.md) or a short text summary.
#ifndef TALLY_CLI_INSPECTION_VIEW_H_
#define TALLY_CLI_INSPECTION_VIEW_H_

#include <nlohmann/json.hpp>
#include <ostream>

#include "tally/inspection/record_json.h"
#include "tally/inspection/workflow.h"

namespace tally::cli {

using inspection::RecordJson;
void PrintRecord(std::ostream& out, const inspection::InspectionRecord& r);

}  // namespace tally::cli

#endif  // TALLY_CLI_INSPECTION_VIEW_H_
