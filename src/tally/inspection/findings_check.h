// FindingsCheck: the inspectors' observations against the record the inspected party opened —
// the verdict of one inspection, each discrepancy named.
//
// For every designated item the declared record gives a status and the warheads counted on it:
// on a deployed missile, the opened deployed warhead records whose host is the item (as New START
// counts the reentry vehicles emplaced on deployed missiles); on any other item, every opened
// warhead record it hosts. Discrepancies, in this order:
//   - "unknown": an observed uid the site opening did not list (an undeclared or unopened item);
//   - "not-designated": an observed uid opened at the site but not designated (outside the
//     inspection's mandate);
//   - "status": the observed status differs from the declared one;
//   - "counting": a deployed missile hosts warheads declared non-deployed (which model::
//     ValidateInventory refuses, so only a tree built outside tally carries them);
//   - "warheads": the observed reentry-vehicle count differs from the warheads counted on it;
//   - "not-observed": a designated item without an observation.
// The verdict (workflow.h) is "consistent" when there is no discrepancy, no restriction violation
// and no rejected entry.
// Thread safety: values and reentrant functions.
#ifndef TALLY_INSPECTION_FINDINGS_CHECK_H_
#define TALLY_INSPECTION_FINDINGS_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tally/escrow/bundle.h"
#include "tally/inspection/payloads.h"

namespace tally::inspection {

struct DeclaredItem {
  std::string uid;
  std::string kind;
  std::string system;
  std::string status;
  int64_t warheads = 0;  // opened warhead records hosted on the item that count (see above)
  uint64_t leaf = 0;
  std::vector<std::string> uncounted;  // non-deployed warheads hosted on a deployed missile
};

struct Discrepancy {
  std::string uid;
  std::string kind;  // unknown | not-designated | status | counting | warheads | not-observed
  std::string what;  // one sentence
};

// The designated items as declared, from the designated opening's leaves (in `designated` order).
// Error: VerificationFailed when a designated uid is not among the opened leaves.
Result<std::vector<DeclaredItem>> DeclaredItems(const std::vector<escrow::OpenedLeaf>& opened,
                                                const std::vector<std::string>& designated);

std::vector<Discrepancy> CheckFindings(const std::vector<DeclaredItem>& declared,
                                       const std::vector<std::string>& site_items,
                                       const std::vector<Observation>& observed);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_FINDINGS_CHECK_H_
