// Fuzz target: New START per-type tables (CSV). Parsing must never crash or throw; a table that
// parses sums to non-negative counts, one posture per exchange, each comparable with the
// published aggregates.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "tally/treaty/by_type_file.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* treaties =
      new tally::Result<tally::treaty::TreatySet>(tally::treaty::LoadDefaultTreaties());
  static const auto* aggregates =
      new tally::Result<std::vector<tally::model::Posture>>(tally::treaty::NewStartAggregates());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto table = tally::treaty::ParseByTypeCsv(text, "fuzz.csv");
  if (!table) return 0;
  const auto* ns = (*treaties)->Find("new-start");
  if (ns == nullptr || !aggregates->ok()) std::abort();
  auto sums = tally::treaty::SumByType(*table);
  std::set<std::pair<tally::Date, std::string>> exchanges;
  size_t rows = 0;
  for (const auto& s : sums) {
    if (!exchanges.insert({s.posture.as_of, s.posture.party}).second) std::abort();
    rows += s.rows.size();
    for (const auto& c : s.posture.counts) {
      if (c.value && *c.value < 0) std::abort();
    }
    (void)tally::treaty::CompareWithAggregates(*ns, s, **aggregates);
  }
  if (rows != table->rows.size()) std::abort();
  return 0;
}
