// Inventory generator: seeded, reproducible item-level inventories built from a force structure
// (one row per system and facility: deployed and non-deployed launchers, converted and test
// ones, warheads carried), so that the generated items count to the public aggregates under the
// treaty's rules (docs/escrow.md §Realistic inventories; data/inventories/structure-*.csv).
//
// What is random (from the seed): which missile carries how many of its row's warheads (each
// between 1 and the row's maximum), and the serial numbers, shuffled per kind so that a UID says
// nothing about where the item is. `copies` > 1 repeats the structure with distinct UIDs
// ("-c2", ...) for benchmarks; such an inventory is synthetic and matches no aggregate.
// Errors: InvalidArgument "file:line: field 'x': expected ..., got ..." for a bad structure file
// (unknown column, unknown party, unknown leg, more warheads than missiles x maximum, negative
// counts, counts above the bounds below); InvalidArgument for copies beyond kMaxGeneratedItems.
// Thread safety: pure; the same rows, seed and copies always give the same inventory, whatever
// the date: `as_of` only stamps it.
#ifndef TALLY_ESCROW_INVENTORY_GENERATOR_H_
#define TALLY_ESCROW_INVENTORY_GENERATOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/model/inventory.h"

namespace tally::escrow {

// Bounds (docs/escrow.md): every count cell of a structure file is at most kMaxStructureCell, the
// launchers and warheads of one file at most kMaxStructureItems (the US held 31,255 warheads at
// its peak), and one generation (structure x copies) at most kMaxGeneratedItems items, so that no
// file makes generation allocate without bound or run for seconds.
inline constexpr int64_t kMaxStructureCell = 50'000;
inline constexpr int64_t kMaxStructureItems = 50'000;
inline constexpr uint64_t kMaxGeneratedItems = 2'000'000;
// Names copied into every generated item (system, facility, region, tags) are at most this long.
inline constexpr size_t kMaxStructureText = 256;

struct ForceRow {
  std::string party;
  std::string system;
  std::string leg;  // icbm, slbm, bomber, icbm_storage, slbm_storage
  std::string facility;
  std::string region;
  int64_t deployed = 0;
  int64_t non_deployed = 0;
  int64_t converted = 0;
  int64_t test = 0;
  int64_t warheads = 0;  // warheads carried by the deployed missiles of the row
  int64_t max_warheads = 1;
  int64_t capacity = 0;  // bombers: armaments equipped for
  std::vector<std::string> tags;
  std::string where;
};

Result<std::vector<ForceRow>> ParseForceStructureCsv(std::string_view text,
                                                     const std::string& name);

struct GenerateOptions {
  std::string party;  // rows of this party only
  Date as_of;
  uint64_t seed = 1;
  uint64_t copies = 1;
};

Result<model::Inventory> GenerateInventory(const std::vector<ForceRow>& rows,
                                           const GenerateOptions& options);

// CSV in the inventory schema (treaty/inventory_file.h), rows in UID order.
std::string InventoryToCsv(const model::Inventory& inventory);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_INVENTORY_GENERATOR_H_
