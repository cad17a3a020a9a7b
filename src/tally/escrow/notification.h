// Notification: a typed treaty notification about one item — what changed, when it happened
// (event) and when it was sent (notified) — and its deadline under the treaty's regime.
//
// Types: movement, status-change (deployed <-> non-deployed), conversion, elimination, new-item,
// transfer, loss, bomber-abroad (a heavy bomber outside national territory for more than 24
// hours) and warhead-change. Warhead changes are reported only in the six-month update (New
// START Part Four): their deadline is the due date of the next data exchange. Every other type is
// a "change in data": due within the treaty's change-in-data days (New START: 5) of the event.
//
// Files (docs/escrow.md §Notifications): CSV with columns type, party, uid, event, notified,
// detail (notified may be empty: not yet sent). The log payload of kind "notification" is the
// compact JSON of one notification.
// Errors: InvalidArgument "file:line: field 'x': expected ..., got ..."; FailedPrecondition when
// the treaty has no notification regime. Thread safety: values and reentrant functions.
#ifndef TALLY_ESCROW_NOTIFICATION_H_
#define TALLY_ESCROW_NOTIFICATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/tlog/log_writer.h"
#include "tally/treaty/treaty.h"

namespace tally::escrow {

enum class NotificationType {
  kMovement,
  kStatusChange,
  kConversion,
  kElimination,
  kNewItem,
  kTransfer,
  kLoss,
  kBomberAbroad,
  kWarheadChange,
};

std::string_view NotificationTypeName(NotificationType t);
std::optional<NotificationType> ParseNotificationType(std::string_view name);

struct Notification {
  NotificationType type = NotificationType::kMovement;
  std::string party;
  std::string uid;
  Date event;
  std::optional<Date> notified;  // nullopt: not sent
  std::string detail;
  std::string where;  // "file:line", for messages
};

Result<std::vector<Notification>> ParseNotificationsCsv(std::string_view text,
                                                        const std::string& name);
std::string NotificationToJson(const Notification& n);

struct Deadline {
  Date due;
  std::string rule;  // "change-in-data: 5 days", "six-month-update: data as of 2021-03-01 + 30"
};

// The deadline of `n` under `treaty`'s regime.
Result<Deadline> DeadlineFor(const treaty::Treaty& treaty, const Notification& n);

struct NotificationStatus {
  const Notification* notification = nullptr;
  Deadline deadline;
  bool late = false;     // notified after the deadline
  bool missing = false;  // not notified and the deadline has passed on `today`
  int64_t days_late = 0;
};

Result<std::vector<NotificationStatus>> CheckDeadlines(const treaty::Treaty& treaty,
                                                       const std::vector<Notification>& list,
                                                       Date today);

struct LoggedNotification {
  uint64_t index = 0;  // the entry's index in the log
  Deadline deadline;
  bool late = false;
};

// Puts `n` on `log` as a typed notification entry of `n.party`, dated the day it is notified
// (n.notified must be set): the one way the CLI (`tally notify add`) and a node
// (`POST /api/notifications`) log a notification. The caller has checked that n.party owns the
// log. Errors: the deadline's (the treaty has no rule for the type) and the log's (an entry dated
// before the log's latest typed entry: FailedPrecondition, nothing written).
// `time` is the entry's time (seconds since the epoch; 0: the start of the notified day).
Result<LoggedNotification> AppendNotification(const treaty::Treaty& treaty, tlog::LogWriter& log,
                                              const Notification& n, int64_t time = 0);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_NOTIFICATION_H_
