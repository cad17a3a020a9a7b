// ExerciseStructure: the embedded item-level force structure a treaty year generates its parties'
// inventories from (escrow/inventory_generator.h), one file per source and date:
//   data/inventories/structure-2020-09-01.csv     US and RU, the New START exchange of that date;
//   data/inventories/structure-cn-2025-03-12.csv  CN, FAS Nuclear Notebook 2025 (early 2025) —
//       per-system counts NOT verified: midpoints of published ranges, flagged `estimate` in
//       the rows' tags and sources, and notional site names flagged `notional-site`.
// Each party's rows come from the first file that has them. For a treaty year after a party's
// data date the inventory is an extrapolation: the structure is held at that date's shape.
//
// Scale: `items_scale` K multiplies every count of every party's rows by K; `items_per_party` N
// (instead) gives each party its own multiplier, the nearest whole number that brings its
// generated inventory to about N items (at least 1), so parties of very different sizes can all
// be run at the same size. Either way the inventories are synthetic beyond K = 1 and the limits
// break, which the compliance rows show.
// Errors: NotFound for a party no embedded file covers (naming the parties covered);
// InvalidArgument for K outside 1..1000, N outside 0..1,000,000, or both K > 1 and N > 0;
// Internal when an embedded file is missing or does not parse (a build bug).
// Thread safety: pure.
#ifndef TALLY_EXERCISE_FORCE_STRUCTURE_H_
#define TALLY_EXERCISE_FORCE_STRUCTURE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/escrow/inventory_generator.h"

namespace tally::exercise {

struct StructureFile {
  std::string_view path;    // embedded path, under data/
  std::string_view as_of;   // the date its figures describe (YYYY-MM-DD)
  std::string_view source;  // one line: where its figures come from
};

// In the order a party is looked up.
const std::vector<StructureFile>& EmbeddedStructureFiles();

struct PartyStructure {
  std::string party;
  std::string file;    // embedded path
  Date as_of;          // the file's date
  std::string source;  // the file's one-line source
  int64_t scale = 1;   // the multiplier applied to the party's rows
  uint64_t items = 0;  // the items its inventory generates, after scaling
};

struct ExerciseStructure {
  std::vector<escrow::ForceRow> rows;   // every party's rows, scaled
  std::vector<PartyStructure> parties;  // in the order asked for
};

// The items GenerateInventory makes from `rows` for `party` (launchers, missiles, warheads).
uint64_t GeneratedItems(const std::vector<escrow::ForceRow>& rows, const std::string& party);

Result<ExerciseStructure> LoadExerciseStructure(const std::vector<std::string>& parties,
                                                int64_t items_scale, int64_t items_per_party);

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_FORCE_STRUCTURE_H_
