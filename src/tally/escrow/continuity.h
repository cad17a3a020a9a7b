// Continuity between two data exchanges of one party: every item of the old declaration appears
// in the new one or is accounted for by a notification (elimination, conversion, transfer, loss),
// every change of an item that stayed (movement, deployed/non-deployed, conversion, elimination,
// warheads) was notified, every new item came with a notification, and notifications were on
// time (notification.h).
//
// Inputs are what verification established: the items opened from each round and whether the
// round was opened completely (every leaf). For partial openings continuity is proven for the
// opened parts only: an old item not among the new round's opened items is "unverified", not
// "missing", unless the new round is complete.
// Errors: FailedPrecondition when the treaty has no notification regime. Findings are values in
// the report, not errors. Thread safety: pure.
#ifndef TALLY_ESCROW_CONTINUITY_H_
#define TALLY_ESCROW_CONTINUITY_H_

#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/escrow/notification.h"
#include "tally/model/item.h"
#include "tally/treaty/treaty.h"

namespace tally::escrow {

struct Round {
  Date as_of;
  std::vector<model::Item> items;  // the opened items
  bool complete = false;           // every leaf of the declaration was opened
};

enum class FindingKind {
  kMissingNotification,  // a change, removal or addition that no notification accounts for
  kLateNotification,     // notified after its deadline
  kUnsentNotification,   // a notification not yet sent whose deadline has passed
  kUnverified,           // cannot be decided from the opened parts
};
std::string_view FindingKindName(FindingKind k);

struct ContinuityFinding {
  FindingKind kind;
  std::string uid;
  std::string message;
};

struct ContinuityReport {
  uint64_t unchanged = 0;
  uint64_t changed = 0;  // changed and notified
  uint64_t removed = 0;  // removed and notified
  uint64_t added = 0;    // added and notified
  std::vector<ContinuityFinding> findings;
  // Violations: everything but kUnverified.
  bool ok() const;
};

Result<ContinuityReport> CheckContinuity(const treaty::Treaty& treaty, const Round& old_round,
                                         const Round& new_round,
                                         const std::vector<Notification>& notifications);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_CONTINUITY_H_
