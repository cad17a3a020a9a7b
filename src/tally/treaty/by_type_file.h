// New START per-type tables: the figures a party's data exchange gives per category and system
// (data/new_start/by_type.csv: Minuteman III, Trident II, B-2A, B-52H...), read strictly and summed
// into the treaty's aggregates so that `tally check --by-type` can replay them beside the
// published aggregates.
//
// Columns: as_of_date, party, category (icbm, slbm, heavy_bomber), system (a type, or `all` for a
// category total as published), deployed, non_deployed, launchers, deployed_launchers,
// non_deployed_launchers, test, non_nuclear, confidence, notes, source. An empty count is not
// published, never zero. Refused, naming file:line and field: unknown columns, dates that do not
// exist, unknown parties or categories, negative counts or counts over 1,000,000, a row with no
// count, a repeated (date, party, category, system), a row that contradicts itself (deployed +
// non-deployed launchers != launchers; deployed missiles != deployed launchers; more test
// bombers than non-deployed ones: test bombers are among the non-deployed), and an `all` row that
// differs from the sum of its types in a column every one of them gives.
//
// Summing, per exchange (date and party), as data/new_start/README.md states it: a category is
// its `all` row if it has one, else the sum of its types (the types published are taken to be all
// of them: the sources list every type the party declared). deployed_delivery_vehicles is the sum
// of the three categories' deployed counts; launchers is the ICBM and SLBM launchers plus the
// deployed and non-deployed heavy bombers (for bombers `launchers`, or deployed + non_deployed
// where only the split is published). A category or a count not published leaves the sum "not
// provided", with the reason. Per-type tables give no warheads: deployed_warheads is never
// provided.
//
// Thread safety: pure functions over values.
#ifndef TALLY_TREATY_BY_TYPE_FILE_H_
#define TALLY_TREATY_BY_TYPE_FILE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/model/posture.h"
#include "tally/treaty/treaty.h"

namespace tally::treaty {

enum class ByTypeCategory { kIcbm, kSlbm, kHeavyBomber };
std::string_view ByTypeCategoryName(ByTypeCategory c);  // "icbm", "slbm", "heavy_bomber"

struct ByTypeRow {
  Date as_of;
  std::string party;  // state code
  ByTypeCategory category = ByTypeCategory::kIcbm;
  std::string system;  // a type, or "all"
  std::optional<int64_t> deployed, non_deployed, launchers, deployed_launchers,
      non_deployed_launchers, test, non_nuclear;
  std::string confidence, notes, source;
  std::string where;  // "file:line"
};

struct ByTypeTable {
  std::string name;
  std::vector<ByTypeRow> rows;
};

Result<ByTypeTable> ParseByTypeCsv(std::string_view text, const std::string& name);
Result<ByTypeTable> LoadByTypeFile(const std::string& path);
// data/new_start/by_type.csv, compiled into tally.
Result<ByTypeTable> NewStartByType();

// One exchange summed. posture counts use the treaty's quantity ids (deployed_delivery_vehicles,
// deployed_warheads, launchers); gaps says, per count not provided, why.
struct ByTypeSums {
  model::Posture posture;
  std::vector<std::string> gaps;
  std::vector<const ByTypeRow*> rows;  // the rows of the exchange (point into the table)
  // Each category's deployed count (indexed by ByTypeCategory), where published: its `all` row's,
  // else its types' sum when every type gives one; the first row it comes from (source, where).
  struct Deployed {
    std::optional<int64_t> count;
    const ByTypeRow* from = nullptr;
  };
  std::array<Deployed, 3> deployed;
};
// In date order, then party order of first appearance.
std::vector<ByTypeSums> SumByType(const ByTypeTable& table);

// A summed count beside the aggregate declared at the same date by the same party.
struct AggregateComparison {
  std::string quantity;
  int64_t by_type = 0;
  std::optional<int64_t> declared;  // nullopt: no aggregate row, or the count is not provided
  bool agrees() const { return declared && *declared == by_type; }
};
// For every provided count of `sums`, the aggregate `aggregates` declare for the same party and
// date (columns matched to quantities by the treaty's ids and aliases).
std::vector<AggregateComparison> CompareWithAggregates(const Treaty& treaty, const ByTypeSums& sums,
                                                       std::span<const model::Posture> aggregates);

}  // namespace tally::treaty

#endif  // TALLY_TREATY_BY_TYPE_FILE_H_
