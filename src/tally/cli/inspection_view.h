// How `tally inspection status|verdict|designate` show a replayed inspection as a short text
// summary (the JSON document is the library's: inspection/record_json.h).
#ifndef TALLY_CLI_INSPECTION_VIEW_H_
#define TALLY_CLI_INSPECTION_VIEW_H_

#include <ostream>

#include "tally/inspection/record_json.h"
#include "tally/inspection/workflow.h"

namespace tally::cli {

using inspection::RecordJson;
void PrintRecord(std::ostream& out, const inspection::InspectionRecord& r);

}  // namespace tally::cli

#endif  // TALLY_CLI_INSPECTION_VIEW_H_
