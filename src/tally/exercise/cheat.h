// Cheat: what a party does against the regime in an exercise, and what became of it.
//
// A cheat is named by the party that commits it and its kind, with an optional size:
//   "RU:overloaded-missile[:N]"   N deployed ICBMs/SLBMs (default 40) carry one reentry vehicle
//                                 more than declared; seen only when an inspection designates one;
//   "RU:hidden-reserve[:N]"       N non-deployed items (default 20) at one storage site are kept
//                                 off every declaration; seen when a whole-site inspection visits
//                                 that site;
//   "RU:refuse-reveal[:N]"        in the first N inspections of the party (default 1) it does not
//                                 reveal its randomness: recorded as refusing, the designation
//                                 falls back to the inspector's secret;
//   "RU:swap-declaration"         at the party's first inspection it declares a second inventory
//                                 (one missile at the site left out) after the request and opens
//                                 the site against it;
//   "RU:late-notification[:N]"    N movements (default 3) notified 10 days after the event, past
//                                 the treaty's deadline;
//   "RU:forked-log"               at the end of the year the party's node shows its partner one
//                                 log and the witness another (same key, same prefix, other
//                                 entries): a split view. Needs the nodes and a witness
//                                 (node_run.h); in process it is not applied.
// The physical cheats (the first two) change what inspectors observe, never what is declared; the
// procedural ones change what the party logs. Each outcome says whether the regime caught it, by
// what and when, with the log entry that shows it, beside the probability the regime had of
// catching it (exercise/detection_model.h).
// Errors: ParseCheat names the part of the text it cannot read (InvalidArgument).
// Thread safety: values.
#ifndef TALLY_EXERCISE_CHEAT_H_
#define TALLY_EXERCISE_CHEAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"

namespace tally::exercise {

enum class CheatKind {
  kOverloadedMissile,
  kHiddenReserve,
  kRefuseReveal,
  kSwapDeclaration,
  kLateNotification,
  kForkedLog,
};

// "overloaded-missile", "hidden-reserve", "refuse-reveal", "swap-declaration",
// "late-notification", "forked-log".
std::string_view CheatName(CheatKind kind);
std::optional<CheatKind> ParseCheatKind(std::string_view name);
const std::vector<CheatKind>& AllCheatKinds();
// The size a cheat has when none is given.
int64_t DefaultCheatAmount(CheatKind kind);

struct Cheat {
  std::string party;
  CheatKind kind = CheatKind::kOverloadedMissile;
  int64_t amount = 0;  // missiles, items, inspections or notifications (see above)
};

// "PARTY:KIND[:N]"; PARTY is upper-cased and must be one of `parties`.
Result<Cheat> ParseCheat(std::string_view text, const std::vector<std::string>& parties);
// "RU:overloaded-missile:40".
std::string CheatToString(const Cheat& cheat);

struct CheatOutcome {
  Cheat cheat;
  int64_t applied = 0;      // how much of it the run could apply (missiles, items, ...)
  std::string not_applied;  // why nothing of it was applied ("" when applied > 0)
  bool caught = false;
  std::string by;       // what caught it: "inspection US-Y11-4 (Type One at Teykovo)", ...
  std::string finding;  // what was seen, in one sentence
  std::optional<Date> when;
  std::string evidence;    // the log entry that shows it: "tally.example/us entry 1234"
  double probability = 0;  // of being caught this year under this regime
  std::string model;       // how that probability was computed
};

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_CHEAT_H_
