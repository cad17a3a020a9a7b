// Item: one treaty-accountable object with a unique identifier (UID), as a party declares it in
// an item-level inventory — an ICBM, an SLBM, their launchers, a heavy bomber, a warhead
// (reentry vehicle) emplaced on a missile, or a ground-launched missile or launcher (INF).
//
// An item says what it is (kind, system type), what state it is in (status), where it is
// (facility), what it is equipped for (nuclear or conventional), and how it relates to others
// (`host`: the UID of the missile a warhead sits on, or of the launcher a missile sits in).
// Treaties count items through their counting rules (treaty/counting.h); the item itself carries
// no treaty meaning. `tags` hold facts a counting rule or an interpretation may select on
// ("training", "long_range_alcm", "conversion_confirmed", ...).
//
// Plain value, no I/O. The name functions are total: Parse* return nullopt for an unknown name.
// Thread safety: values; concurrent reads are safe.
#ifndef TALLY_MODEL_ITEM_H_
#define TALLY_MODEL_ITEM_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tally::model {

enum class ItemKind {
  kIcbm,                            // an intercontinental ballistic missile
  kSlbm,                            // a submarine-launched ballistic missile
  kIcbmLauncher,                    // a silo or mobile launcher of ICBMs
  kSlbmLauncher,                    // a launch tube on a submarine
  kHeavyBomber,                     // a heavy bomber (nuclear or converted to conventional)
  kWarhead,                         // a reentry vehicle / warhead emplaced on a missile
  kGroundLaunchedBallisticMissile,  // INF-class GLBM
  kGroundLaunchedCruiseMissile,     // INF-class GLCM
  kGroundLauncher,                  // a launcher of GLBMs or GLCMs
};

enum class ItemStatus {
  kDeployed,     // operational: a deployed missile, launcher or bomber, an emplaced warhead
  kNonDeployed,  // in storage, overhaul, at a test range or training site, awaiting elimination
  kTest,         // a test launcher or test heavy bomber
  kConverted,    // converted so that it can no longer carry nuclear arms (as its owner declares)
  kEliminated,   // eliminated under the treaty's procedures
};

enum class Equipment {
  kNuclear,       // equipped for nuclear armaments
  kConventional,  // equipped for non-nuclear armaments only
};

struct Item {
  std::string uid;    // unique within an inventory, e.g. "US-ICBM-000123"
  std::string party;  // state code (model/state.h), e.g. "US"
  ItemKind kind = ItemKind::kIcbm;
  std::string system;  // system type, e.g. "Minuteman III", "Trident II D5", "B-52H"
  ItemStatus status = ItemStatus::kDeployed;
  std::string facility;  // base or site, e.g. "Malmstrom AFB"
  Equipment equipment = Equipment::kNuclear;
  std::string host;  // UID of the carrying item (missile of a warhead, launcher of a missile)
  // Nuclear armaments the item is equipped for (a bomber's long-range ALCMs, a missile's
  // attributed warheads); 0 when not stated.
  int64_t capacity = 0;
  int64_t range_km = 0;  // for range-band rules (INF); 0 when not stated
  std::vector<std::string> tags;

  bool HasTag(std::string_view tag) const;
};

// Names as they appear in files: "icbm", "slbm", "icbm_launcher", "slbm_launcher",
// "heavy_bomber", "warhead", "glbm", "glcm", "ground_launcher".
std::string_view ItemKindName(ItemKind kind);
std::optional<ItemKind> ParseItemKind(std::string_view name);
std::span<const ItemKind> AllItemKinds();
// "deployed", "non_deployed" (also accepted: "non-deployed"), "test", "converted", "eliminated".
std::string_view ItemStatusName(ItemStatus status);
std::optional<ItemStatus> ParseItemStatus(std::string_view name);
std::span<const ItemStatus> AllItemStatuses();
// "nuclear", "conventional".
std::string_view EquipmentName(Equipment equipment);
std::optional<Equipment> ParseEquipment(std::string_view name);

// True for the kinds a warhead can be emplaced on (ICBM, SLBM, GLBM).
bool IsMissile(ItemKind kind);

}  // namespace tally::model

#endif  // TALLY_MODEL_ITEM_H_
