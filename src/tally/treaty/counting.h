// Counting: a treaty's counting rules applied to an item-level inventory, giving a posture
// (aggregate counts) per party. Each quantity is the sum of its terms; a term selects items
// (kind, status, equipment, system, tags, range band) and values each selected item at 1, at its
// capacity, or at a fixed number, with "the first N items of a party count M" attribution
// (START I bombers). Terms may apply only under named interpretations: the same items give 800
// launchers under the US reading of New START and 901 under "conversions-not-confirmed".
//
// Errors: kNotFound for an unknown interpretation (the message lists the known ones);
// kInvalidArgument for an invalid inventory (model/inventory.h). Thread safety: pure.
#ifndef TALLY_TREATY_COUNTING_H_
#define TALLY_TREATY_COUNTING_H_

#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/model/inventory.h"
#include "tally/model/posture.h"
#include "tally/treaty/treaty.h"

namespace tally::treaty {

// The interpretation to use: `requested` if non-empty (must exist), else the treaty's default
// (empty string when the treaty defines none).
Result<std::string> ResolveInterpretation(const Treaty& treaty, std::string_view requested);

// Counts `party`'s items of `inventory` under `interpretation` ("" = the default).
Result<model::Posture> CountInventory(const Treaty& treaty, const model::Inventory& inventory,
                                      std::string_view party, std::string_view interpretation = {});

// One posture per party present in the inventory, in order of first appearance.
Result<std::vector<model::Posture>> CountInventoryByParty(const Treaty& treaty,
                                                          const model::Inventory& inventory,
                                                          std::string_view interpretation = {});

}  // namespace tally::treaty

#endif  // TALLY_TREATY_COUNTING_H_
