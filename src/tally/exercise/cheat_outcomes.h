// CheatOutcomes: what became of each cheat of a treaty year (treaty_year.h) — caught or not, by
// what, when, with the log entry that shows it, beside the probability the regime had of catching
// it (detection_model.h) — read from the year's state and its replayed inspections. Also the
// state itself: what the year keeps of each party and each inspection.
// Internal to the exercise module. Errors: a replay's (an inspection the logs cannot replay).
// Thread safety: pure functions of their arguments.
#ifndef TALLY_EXERCISE_CHEAT_OUTCOMES_H_
#define TALLY_EXERCISE_CHEAT_OUTCOMES_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/escrow/declaration.h"
#include "tally/exercise/cheat.h"
#include "tally/exercise/treaty_year.h"
#include "tally/model/inventory.h"

namespace tally::exercise {

// One party's own side: its declarations (newest last) and the inventory they commit to.
struct Side {
  std::string id;
  model::Inventory inventory;             // as last declared
  model::Inventory physical;              // what the party holds at the last data date
  std::map<std::string, int64_t> hosted;  // physical warheads per host uid
  // Newest last; one no inspection can still open against is released (nullopt), so a long scale
  // run does not hold every declaration's records and tree.
  std::vector<std::optional<escrow::Declaration>> declarations;
  // Cheats, fixed at the first data date: the overloaded missiles, the hidden items and their site.
  std::set<std::string> overloaded;
  std::set<std::string> hidden;
  std::string hidden_site;
  std::set<std::string> dropped;  // left out of a swapped declaration, still there
  bool chose_cheats = false;
};

// What the run keeps of each inspection for the outcomes.
struct InspectionInfo {
  std::string inspecting, inspected, type_id, type_name, site;
  Date day;
  int treaty_year = 0;
  std::string findings_where;
  Date findings_day;  // the inspecting party's findings entry
};

struct YearState {
  const TreatyYearOptions* options = nullptr;
  const treaty::Treaty* treaty = nullptr;
  const inspection::TreatyLookup* treaties = nullptr;
  std::vector<Side> sides;
  std::map<std::string, InspectionInfo> infos;
  std::map<std::string, int64_t> refusals;                // reveals refused, per inspected party
  std::string swap_inspection, swap_where, swap_refusal;  // the swap's inspection, entry, refusal

  Side& SideOf(const std::string& id);
  const Side& SideOf(const std::string& id) const;
};

bool IsMissile(const model::Item& it);
// The sites of `side`'s declared inventory that a type's site rule admits.
std::vector<std::string> SitesFor(const Side& side, const treaty::InspectionType& type);
// As the workflow reads a type: an empty list admits every kind (status).
bool Designable(const treaty::InspectionType& type, const model::Item& it);

// One outcome per state.options->cheats, in that order.
Result<std::vector<CheatOutcome>> CheatOutcomes(const YearState& state, const TreatyYearRun& run);

// How a split view (the forked-log cheat) is caught, in one sentence.
std::string ForkModel();

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_CHEAT_OUTCOMES_H_
