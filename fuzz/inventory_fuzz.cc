// Fuzz target: item-level inventory files (CSV and JSON). Parsing must never crash or throw; a
// parsed inventory is valid and can be counted by every default treaty under every interpretation.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/treaty/counting.h"
#include "tally/treaty/inventory_file.h"
#include "tally/treaty/treaty_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* treaties =
      new tally::Result<tally::treaty::TreatySet>(tally::treaty::LoadDefaultTreaties());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto inv = tally::treaty::ParseInventory(text, "fuzz.csv");
  if (!inv) return 0;
  if (!tally::model::ValidateInventory(*inv).ok()) std::abort();  // the parser validated it
  for (const auto* t : (*treaties)->All()) {
    auto postures = tally::treaty::CountInventoryByParty(*t, *inv);
    if (!postures) std::abort();
    for (const auto& i : t->interpretations) {
      if (!tally::treaty::CountInventoryByParty(*t, *inv, i.id)) std::abort();
    }
  }
  return 0;
}
