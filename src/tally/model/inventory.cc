#include "tally/model/inventory.h"

#include <algorithm>
#include <unordered_map>

namespace tally::model {

std::vector<std::string> Inventory::Parties() const {
  std::vector<std::string> parties;
  for (const Item& item : items) {
    if (std::find(parties.begin(), parties.end(), item.party) == parties.end()) {
      parties.push_back(item.party);
    }
  }
  return parties;
}

const Item* Inventory::Find(std::string_view uid) const {
  for (const Item& item : items) {
    if (item.uid == uid) return &item;
  }
  return nullptr;
}

Status ValidateInventory(const Inventory& inventory) {
  std::unordered_map<std::string_view, const Item*> by_uid;
  by_uid.reserve(inventory.items.size());
  for (const Item& item : inventory.items) {
    if (item.uid.empty()) return InvalidArgument("an item has an empty uid");
    if (item.party.empty()) return InvalidArgument("item " + item.uid + ": no party");
    if (!by_uid.emplace(item.uid, &item).second) {
      return InvalidArgument("item " + item.uid + ": duplicate uid");
    }
  }
  for (const Item& item : inventory.items) {
    if (item.kind != ItemKind::kWarhead) continue;
    if (item.host.empty()) continue;  // a warhead in storage sits on no missile
    auto it = by_uid.find(item.host);
    if (it == by_uid.end()) {
      return InvalidArgument("item " + item.uid + ": host '" + item.host +
                             "' is not an item of this inventory");
    }
    const Item& host = *it->second;
    if (!IsMissile(host.kind)) {
      return InvalidArgument("item " + item.uid + ": host '" + item.host + "' is a " +
                             std::string(ItemKindName(host.kind)) + ", not a missile");
    }
    if (host.party != item.party) {
      return InvalidArgument("item " + item.uid + ": host '" + item.host +
                             "' belongs to another party");
    }
    if (item.status == ItemStatus::kDeployed && host.status != ItemStatus::kDeployed) {
      return InvalidArgument("item " + item.uid + ": deployed warhead on host '" + item.host +
                             "', which is " + std::string(ItemStatusName(host.status)));
    }
    // New START counts the reentry vehicles on a deployed missile as deployed warheads: a warhead
    // declared anything else while it sits on a deployed missile would escape that count.
    if (item.status != ItemStatus::kDeployed && host.status == ItemStatus::kDeployed) {
      return InvalidArgument("item " + item.uid + ": " + std::string(ItemStatusName(item.status)) +
                             " warhead on deployed missile '" + item.host +
                             "': a warhead emplaced on a deployed missile counts as deployed; "
                             "declare it deployed or take it off the missile (empty host)");
    }
  }
  return Status::Ok();
}

}  // namespace tally::model
