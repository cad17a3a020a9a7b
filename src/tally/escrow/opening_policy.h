// Opening policy: the stages of a treaty's [escrow] section (treaty::OpeningPolicy) applied to a
// declaration — which leaves a stage requires the declaring party to open, and whether a set of
// verified openings satisfies a stage.
//
// What "satisfies" can prove depends on the scope (docs/escrow.md, "The opening policy"):
//   categories  provable: the opened leaves' subtotals must equal the root's totals in every
//               listed category, and counts are never negative, so no counted item is missing;
//   all         provable: every leaf position, padding included, is opened;
//   designated  provable: every designated UID is among the opened items (the stage also opens
//               the items they carry, e.g. the warheads on a designated missile, which the
//               inspection compares with its reentry-vehicle count);
//   site        not provable from the tree (leaves of a site are scattered by salt order): the
//               opened items must be at the site, and completeness is what the inspection checks
//               (an item seen at the site but not opened is a finding).
//
// Errors: InvalidArgument (a stage needs a site or designated items that were not given; a
// category the statement does not carry); VerificationFailed naming what is missing (exit 1).
// Thread safety: reentrant functions over values.
#ifndef TALLY_ESCROW_OPENING_POLICY_H_
#define TALLY_ESCROW_OPENING_POLICY_H_

#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/declaration.h"
#include "tally/escrow/statement.h"
#include "tally/treaty/treaty.h"

namespace tally::escrow {

// What an inspection-triggered stage is about; empty for other triggers.
struct StageContext {
  std::string site;                     // scope "site": the inspected facility
  std::vector<std::string> designated;  // scope "designated": UIDs chosen by joint randomness
};

// The leaf positions (ascending, no repeats) the stage requires `declaration` to open.
Result<std::vector<uint64_t>> StageLeaves(const Declaration& declaration,
                                          const treaty::OpeningStage& stage,
                                          const StageContext& context);

// The stage's opening as one bundle; its selection reads "stage=<id> ...".
Result<Bundle> OpenStage(const Declaration& declaration, const treaty::OpeningStage& stage,
                         const StageContext& context);

// What a satisfied stage showed, for reports.
struct StageCoverage {
  std::string stage;
  bool complete_provably = false;  // categories, all, designated: the tree proves it
  uint64_t required = 0;           // leaves (all), declared counts (categories) or UIDs
  uint64_t opened = 0;             // the matching opened quantity
  std::string detail;              // one line for humans
};

// Whether `opening` (already verified against `statement`) satisfies `stage`.
Result<StageCoverage> CheckStage(const Statement& statement, const treaty::OpeningStage& stage,
                                 const StageContext& context, const VerifiedOpening& opening);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_OPENING_POLICY_H_
