// Inventory: one party's item-level declaration at one date — the items (item.h) with their
// unique identifiers, from which a treaty's counting rules compute the aggregate counts.
//
// Validate checks what holds for any treaty: UIDs are non-empty and unique, every item names a
// party, a warhead's host is a missile in the same inventory, a deployed warhead sits on a
// deployed missile, and a warhead on a deployed missile is deployed (New START counts every
// reentry vehicle emplaced on a deployed missile; tally refuses a declaration that says
// otherwise rather than re-counting it). Errors name the item's UID (the file parsers add
// file:line).
//
// Plain value, no I/O. Thread safety: values; concurrent reads are safe.
#ifndef TALLY_MODEL_INVENTORY_H_
#define TALLY_MODEL_INVENTORY_H_

#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/model/item.h"

namespace tally::model {

struct Inventory {
  Date as_of;
  std::string source;  // where the declaration came from (file name, party, release)
  std::vector<Item> items;

  // The distinct party codes of the items, in first-appearance order.
  std::vector<std::string> Parties() const;
  // The first item with `uid`, or nullptr.
  const Item* Find(std::string_view uid) const;
};

Status ValidateInventory(const Inventory& inventory);

}  // namespace tally::model

#endif  // TALLY_MODEL_INVENTORY_H_
