// Fuzz target: posture files (CSV and JSON). Parsing must never crash or throw; every posture
// parsed can be checked against New START.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/treaty/check.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* treaties =
      new tally::Result<tally::treaty::TreatySet>(tally::treaty::LoadDefaultTreaties());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto postures = tally::treaty::ParsePostures(text, "fuzz.csv");
  if (!postures) return 0;
  for (const auto& p : *postures) {
    for (const auto& c : p.counts) {
      if (c.value && *c.value < 0) std::abort();  // counts are never negative
    }
  }
  const auto* ns = (*treaties)->Find("new-start");
  if (ns == nullptr) std::abort();
  (void)tally::treaty::RequireKnownQuantities(*ns, *postures);
  auto results = tally::treaty::CheckAll(*ns, *postures);
  if (results.size() != postures->size()) std::abort();
  return 0;
}
