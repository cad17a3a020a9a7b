// Disputed items: the items whose accountability the parties read differently, as published at
// dated exchanges — and a declared aggregate re-counted under another reading with them.
//
// A party's aggregates are counted by its own reading of the treaty (the treaty's default
// interpretation). Another party may hold a different one: Russia could not confirm that the 56
// Trident II tubes and 41 B-52H the United States converted can no longer carry nuclear arms, and
// counted four "training silos" the US does not (data/new_start/disputed_items.csv). A record
// names such a group of items (kind, system, status, equipment, tags — the fields counting rules
// select on) and how many of them a source says there were at a date.
//
// Recount adds to each declared count what the disputed items on record at the posture's date
// count under `interpretation` minus what they count under the reading the aggregates were
// declared under, by the treaty's own terms (counting.h) applied to that many synthetic items: the
// same rules that give 901 launchers from the item-level US inventory give 800 + 101 here.
//
// Dates: a record is the stock of its group at its date, and stays in effect until the next
// record of the same group (tally's reading: a conversion is not undone without a notification).
// A posture dated before its party's first record of some group has that group unknown: every
// quantity the group could change is then "not provided", never re-counted as if the group were
// empty. A party with no record at all has nothing in dispute and keeps its counts.
//
// File (CSV, strict columns): as_of_date, party, kind, system, status, equipment, tags, count,
// confidence, notes, source. `kind` is any item kind but warhead (a warhead needs the missile it
// sits on); `count` is 0..50,000, the counts of a file sum to at most 500,000 and a file has at
// most 10,000 records; two rows of one group and date are an error. Errors: kInvalidArgument
// "file:line: field 'x': expected ..., got
// ...". Thread safety: pure functions over values.
#ifndef TALLY_TREATY_DISPUTED_ITEMS_H_
#define TALLY_TREATY_DISPUTED_ITEMS_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/model/item.h"
#include "tally/model/posture.h"
#include "tally/treaty/treaty.h"

namespace tally::treaty {

inline constexpr int64_t kMaxDisputedPerRecord = 50'000;
inline constexpr int64_t kMaxDisputedPerFile = 500'000;
inline constexpr size_t kMaxDisputedRecords = 10'000;

struct DisputedRecord {
  Date as_of;
  std::string party;  // state code
  model::ItemKind kind = model::ItemKind::kSlbmLauncher;
  std::string system;
  model::ItemStatus status = model::ItemStatus::kConverted;
  model::Equipment equipment = model::Equipment::kNuclear;
  std::vector<std::string> tags;
  int64_t count = 0;
  std::string confidence, notes, source;
  std::string where;  // "file:line"

  // "slbm_launcher Trident II D5 tube (converted, nuclear, tagged deactivated)": the group.
  std::string Group() const;
};

struct DisputedItems {
  std::string name;  // the file the records came from
  std::vector<DisputedRecord> records;
};

Result<DisputedItems> ParseDisputedItems(std::string_view text, const std::string& name);
Result<DisputedItems> LoadDisputedItems(const std::string& path);
// A record compiled into tally, by its path under data/ ("new_start/disputed_items.csv").
Result<DisputedItems> EmbeddedDisputedItems(std::string_view data_path);

// One declared quantity as re-counted.
struct QuantityChange {
  std::string quantity;  // the treaty's quantity id
  std::optional<int64_t> declared;
  std::optional<int64_t> added;  // nullopt: a group it depends on has no record at the date
  std::optional<int64_t> recounted;
};

struct RecountedPosture {
  model::Posture posture;                        // the counts under the interpretation
  std::vector<QuantityChange> changes;           // only quantities the records can change
  std::vector<const DisputedRecord*> in_effect;  // the records applied (point into the input)
  std::vector<std::string> unknown_groups;       // groups with no record on or before the date
};

// Each posture re-counted under `interpretation` (which must exist); the postures were declared
// under the treaty's default interpretation. A result whose re-count would go below zero is an
// error naming the posture and the quantity (the record claims more than was declared).
Result<std::vector<RecountedPosture>> Recount(const Treaty& treaty,
                                              std::span<const model::Posture> declared,
                                              const DisputedItems& disputed,
                                              std::string_view interpretation);

// {"quantity", "declared", "added", "recounted"} per change, "in_effect" (date, group, count,
// confidence, source, where) and "unknown_groups".
nlohmann::json RecountedPostureToJson(const RecountedPosture& r);

}  // namespace tally::treaty

#endif  // TALLY_TREATY_DISPUTED_ITEMS_H_
