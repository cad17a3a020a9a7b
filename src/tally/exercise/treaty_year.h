// TreatyYear: a treaty year of verification between parties, run in process and reproducible
// from a seed — item-level inventories generated from the public force structure, data
// exchanges as declarations under escrow, notifications of simulated force movements, and every
// inspection the regime's quotas allow, each party acting on its own log through the same
// library calls the CLI and tallyd make (inspection/actions.h).
//
// What happens, in treaty time (the year starts on an anniversary of entry into force):
//  - day 0: each party declares its inventory as of the last data date before the year (the
//    baseline), then at each of the regime's data dates (New START: 1 March, 1 September);
//  - notifications_per_party movements of random items, each notified 1-4 days after the event,
//    on even days of the year;
//  - for each inspecting party and inspection type, its yearly quota of inspections on odd days
//    from the first data exchange on, at sites the type's site rule allows, chosen by the seed:
//    request 08:00, site opening 09:00, commitments 09:10/09:11, reveals 09:20 (inspected) and
//    09:21 (inspector), designated opening 10:00, findings 12:00. Inspections never share a day
//    with a notification, so an honest year has no restriction violation.
// Inspections of one inspecting party and type visit distinct sites (uniformly among those the
// inspected party declared and the type admits) until every such site has been visited, so the
// detection probability of a physical cheat has the closed form of exercise/detection_model.h.
// Inspectors observe what is physically there: with no cheat, exactly what was declared; cheats
// (cheat.h) change what is there or what the cheating party logs, and the run says for each
// whether the regime caught it, by what and when, and the probability it had of doing so.
// Any number of parties of two or more: each inspects each other party with its quota of each
// inspection type shared evenly among the parties it may inspect (the treaty's quota is per
// inspecting party and year).
// Errors: fewer than two parties, a party twice, an unknown state code, a party the treaty does
// not name, treaty years outside the treaty's life (InvalidArgument); the treaty has no regime or
// no data dates (FailedPrecondition); a party the embedded structure does not cover (NotFound,
// force_structure.h); any refusal of an action (a bug in the schedule: Internal, naming the
// action).
// Thread safety: reentrant; the result is a value.
#ifndef TALLY_EXERCISE_TREATY_YEAR_H_
#define TALLY_EXERCISE_TREATY_YEAR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/exercise/cheat.h"
#include "tally/exercise/force_structure.h"
#include "tally/inspection/workflow.h"
#include "tally/treaty/treaty.h"

namespace tally::exercise {

struct TreatyYearOptions {
  std::string treaty = "new-start";
  std::vector<std::string> parties = {"US", "RU"};
  int year = 11;                // the first treaty year (1 = from entry into force)
  int years = 1;                // consecutive treaty years, each with its quotas
  int64_t items_scale = 1;      // every force-structure count times this (scale runs)
  int64_t items_per_party = 0;  // instead: each party scaled to about this many items
  uint64_t seed = 1;
  int notifications_per_party = 900;
  std::vector<Cheat> cheats;
  // A scale run (items_scale > 1 or items_per_party) keeps the documents handed over out of
  // memory, in this directory (inspection/documents.h: an archive); empty: a temporary one,
  // removed with the run.
  std::string documents_archive;
};

// One limit at one data date: the count as declared and as physically held.
struct LimitCount {
  std::string limit;  // the limit's name
  int64_t max = 0;
  int64_t declared = 0;
  int64_t actual = 0;
};

struct ComplianceRow {
  std::string party;
  Date as_of;
  std::string declared_verdict;  // treaty::VerdictName of the declared inventory's counts
  std::string actual_verdict;    // of what the party physically holds
  std::vector<LimitCount> limits;
};

struct TreatyYearRun {
  inspection::ReplaySource source;         // every party's log and every document handed over
  std::vector<std::string> inspections;    // ids, in the order they were requested
  Date begins, ends;                       // the treaty year
  size_t entries = 0;                      // typed entries logged, all parties
  std::vector<ComplianceRow> compliance;   // per party and data date, in date order
  std::vector<CheatOutcome> outcomes;      // one per options.cheats, in that order
  std::vector<PartyStructure> structures;  // per party: the data its inventory comes from
};

// The treaty year an exercise of `treaty` runs when none is asked for: the year whose baseline
// data date is the US/RU structure's (2020-09-01) when the treaty was in force then (New START:
// 11); otherwise the first year in which its limits bind (trilateral-example: 8, from 2035-02-05),
// or 1.
int DefaultTreatyYear(const treaty::Treaty& treaty);

// `treaties` finds the treaty by id (the replay's lookup).
Result<TreatyYearRun> RunTreatyYear(const TreatyYearOptions& options,
                                    const inspection::TreatyLookup& treaties);

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_TREATY_YEAR_H_
