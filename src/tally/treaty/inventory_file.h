// Inventory files: item-level declarations, CSV or JSON (docs/formats/inventory.md).
//
// CSV: one item per row; columns uid, party, kind, system, status, facility, equipment, host,
// capacity, range_km, tags (space-separated), as_of. uid, party, kind and status are required;
// unknown columns are errors. `as_of` may be empty on rows after the first, but the non-empty
// values must agree.
// JSON: {"as_of": "2020-09-01", "party": "US", "source": "...", "items": [{"uid": ..., ...}]};
// an item's own "party" overrides the document's.
//
// The result is validated (model::ValidateInventory). Errors: kInvalidArgument as
// "file:line: field 'x': expected ..., got ..." (JSON errors name the item index).
// Never throws. Thread safety: pure.
#ifndef TALLY_TREATY_INVENTORY_FILE_H_
#define TALLY_TREATY_INVENTORY_FILE_H_

#include <optional>
#include <string>
#include <string_view>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/model/inventory.h"

namespace tally::treaty {

// `date` overrides (or supplies) the inventory's as_of date.
Result<model::Inventory> ParseInventoryCsv(std::string_view text, const std::string& name,
                                           std::optional<Date> date = std::nullopt);
Result<model::Inventory> ParseInventoryJson(std::string_view text, const std::string& name,
                                            std::optional<Date> date = std::nullopt);
Result<model::Inventory> ParseInventory(std::string_view text, const std::string& name,
                                        std::optional<Date> date = std::nullopt);
Result<model::Inventory> LoadInventoryFile(const std::string& path,
                                           std::optional<Date> date = std::nullopt);

}  // namespace tally::treaty

#endif  // TALLY_TREATY_INVENTORY_FILE_H_
