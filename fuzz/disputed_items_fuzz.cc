// Fuzz target: records of disputed items (CSV). Parsing must never crash or throw; every record
// parsed re-counts the New START aggregate table under Russia's reading without crashing, and a
// re-count that succeeds keeps every posture and never gives a negative count.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/treaty/disputed_items.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* treaties =
      new tally::Result<tally::treaty::TreatySet>(tally::treaty::LoadDefaultTreaties());
  static const auto* aggregates =
      new tally::Result<std::vector<tally::model::Posture>>(tally::treaty::NewStartAggregates());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto record = tally::treaty::ParseDisputedItems(text, "fuzz.csv");
  if (!record) return 0;
  int64_t total = 0;
  for (const auto& r : record->records) {
    if (r.count < 0 || r.count > tally::treaty::kMaxDisputedPerRecord) std::abort();
    total += r.count;
  }
  if (total > tally::treaty::kMaxDisputedPerFile) std::abort();
  const auto* ns = (*treaties)->Find("new-start");
  if (ns == nullptr || !aggregates->ok()) std::abort();
  auto recounted = tally::treaty::Recount(*ns, **aggregates, *record, "conversions-not-confirmed");
  if (!recounted) return 0;
  if (recounted->size() != (*aggregates)->size()) std::abort();
  for (const auto& r : *recounted) {
    for (const auto& c : r.posture.counts) {
      if (c.value && *c.value < 0) std::abort();
    }
  }
  return 0;
}
