// CommitInventoryCsv: commits a CSV inventory (docs/formats/inventory.md) row by row into a
// DeclarationBuilder, without the intermediate CsvTable and model::Inventory that
// treaty::ParseInventoryCsv builds. For a million items that table and those items take about a
// gigabyte; the declaration's own records take about a tenth of it, which is what keeps
// `tally declare` under the 500 MB.
//
// This is a fast path, not a second parser: it accepts only what treaty::ParseInventoryCsv
// accepts and gives the same items — one party (the declaring one), no quoted fields, no
// carriage returns, the known columns — and checks the same cross-item rules (uid_check.h). For
// anything else, including every invalid input, it returns nullopt and the caller takes the
// full path (treaty::ParseInventory + Declaration::Commit), whose messages name the file, line
// and field. So error messages and edge cases stay the treaty module's.
// Ownership: takes the text and frees it once the rows are read (before the tree is built).
// Thread safety: pure.
#ifndef TALLY_ESCROW_INVENTORY_STREAM_H_
#define TALLY_ESCROW_INVENTORY_STREAM_H_

#include <optional>
#include <string>

#include "tally/base/date.h"
#include "tally/escrow/declaration.h"
#include "tally/treaty/treaty.h"

namespace tally::escrow {

// nullopt: use the full path. A value may still hold an error of the commit itself (Finish).
std::optional<Result<Declaration>> CommitInventoryCsv(std::string text, const std::string& name,
                                                      std::optional<Date> as_of,
                                                      const treaty::Treaty& treaty,
                                                      const DeclarationSecret& secret,
                                                      const DeclareOptions& options);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_INVENTORY_STREAM_H_
