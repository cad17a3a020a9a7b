// UidCheck: the cross-item rules of an inventory (model::ValidateInventory) — UIDs non-empty and
// unique, every item has a party, a warhead's host is a missile of the same party in the
// inventory, a warhead is deployed exactly when its missile is — checked over a million items in a
// flat open-addressing table instead of a node-based map (no allocation per item, one probe per
// lookup in the common case).
//
// It only answers yes or no: on "no", callers ask model::ValidateInventory (or the inventory
// file parser) for the canonical error message, so the messages stay those of the model module.
// `any_host` adds the inventory file parser's rule that every non-empty host, not only a
// warhead's, names an item of the inventory.
// Ownership: borrows the views, which must outlive Ok(). Thread safety: none.
#ifndef TALLY_ESCROW_UID_CHECK_H_
#define TALLY_ESCROW_UID_CHECK_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "tally/model/item.h"

namespace tally::escrow {

struct ItemKey {
  std::string_view uid;
  std::string_view party;
  std::string_view host;
  model::ItemKind kind = model::ItemKind::kIcbm;
  model::ItemStatus status = model::ItemStatus::kDeployed;
};

// True when the items satisfy the rules.
bool UidCheckOk(const std::vector<ItemKey>& items, bool any_host);
// The same for model items, without a copy of their keys (any_host = false: the model's rules).
bool UidCheckOk(const std::vector<model::Item>& items);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_UID_CHECK_H_
