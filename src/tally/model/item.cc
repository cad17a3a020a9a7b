#include "tally/model/item.h"

#include <algorithm>
#include <array>

namespace tally::model {
namespace {

struct KindName {
  ItemKind kind;
  std::string_view name;
};

constexpr std::array<KindName, 9> kKindNames = {{
    {ItemKind::kIcbm, "icbm"},
    {ItemKind::kSlbm, "slbm"},
    {ItemKind::kIcbmLauncher, "icbm_launcher"},
    {ItemKind::kSlbmLauncher, "slbm_launcher"},
    {ItemKind::kHeavyBomber, "heavy_bomber"},
    {ItemKind::kWarhead, "warhead"},
    {ItemKind::kGroundLaunchedBallisticMissile, "glbm"},
    {ItemKind::kGroundLaunchedCruiseMissile, "glcm"},
    {ItemKind::kGroundLauncher, "ground_launcher"},
}};

constexpr std::array<ItemKind, 9> kKinds = {
    ItemKind::kIcbm,
    ItemKind::kSlbm,
    ItemKind::kIcbmLauncher,
    ItemKind::kSlbmLauncher,
    ItemKind::kHeavyBomber,
    ItemKind::kWarhead,
    ItemKind::kGroundLaunchedBallisticMissile,
    ItemKind::kGroundLaunchedCruiseMissile,
    ItemKind::kGroundLauncher,
};

constexpr std::array<ItemStatus, 5> kStatuses = {
    ItemStatus::kDeployed,  ItemStatus::kNonDeployed, ItemStatus::kTest,
    ItemStatus::kConverted, ItemStatus::kEliminated,
};

}  // namespace

bool Item::HasTag(std::string_view tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

std::string_view ItemKindName(ItemKind kind) {
  for (const auto& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<ItemKind> ParseItemKind(std::string_view name) {
  for (const auto& k : kKindNames) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

std::span<const ItemKind> AllItemKinds() { return kKinds; }

std::string_view ItemStatusName(ItemStatus status) {
  switch (status) {
    case ItemStatus::kDeployed:
      return "deployed";
    case ItemStatus::kNonDeployed:
      return "non_deployed";
    case ItemStatus::kTest:
      return "test";
    case ItemStatus::kConverted:
      return "converted";
    case ItemStatus::kEliminated:
      return "eliminated";
  }
  return "unknown";
}

std::optional<ItemStatus> ParseItemStatus(std::string_view name) {
  if (name == "non-deployed") return ItemStatus::kNonDeployed;
  for (ItemStatus s : kStatuses) {
    if (ItemStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::span<const ItemStatus> AllItemStatuses() { return kStatuses; }

std::string_view EquipmentName(Equipment equipment) {
  return equipment == Equipment::kNuclear ? "nuclear" : "conventional";
}

std::optional<Equipment> ParseEquipment(std::string_view name) {
  if (name == "nuclear") return Equipment::kNuclear;
  if (name == "conventional" || name == "non_nuclear") return Equipment::kConventional;
  return std::nullopt;
}

bool IsMissile(ItemKind kind) {
  return kind == ItemKind::kIcbm || kind == ItemKind::kSlbm ||
         kind == ItemKind::kGroundLaunchedBallisticMissile;
}

}  // namespace tally::model
