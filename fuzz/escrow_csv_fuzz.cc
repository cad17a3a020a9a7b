// Fuzz target: the escrow CSV parsers — notifications and force structures — and the inventory
// generator on whatever structure parses (capped so one input stays fast).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/escrow/inventory_generator.h"
#include "tally/escrow/notification.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)tally::escrow::ParseNotificationsCsv(text, "fuzz.csv");
  auto rows = tally::escrow::ParseForceStructureCsv(text, "fuzz.csv");
  if (!rows) return 0;
  int64_t items = 0;
  for (const auto& r : *rows) {
    items += r.deployed * (2 + r.max_warheads) + r.non_deployed + r.converted + r.test;
  }
  if (items > 20000) return 0;
  tally::escrow::GenerateOptions opt;
  auto inv = tally::escrow::GenerateInventory(*rows, opt);
  if (inv) {
    auto again = tally::escrow::GenerateInventory(*rows, opt);
    if (!again || tally::escrow::InventoryToCsv(*again) != tally::escrow::InventoryToCsv(*inv)) {
      std::abort();
    }
  }
  return 0;
}
