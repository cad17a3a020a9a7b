#include "tally/escrow/notification.h"

#include <nlohmann/json.hpp>

#include "tally/base/csv.h"
#include "tally/model/state.h"

namespace tally::escrow {
namespace {

struct TypeName {
  NotificationType type;
  std::string_view name;
};
constexpr TypeName kTypes[] = {
    {NotificationType::kMovement, "movement"},
    {NotificationType::kStatusChange, "status-change"},
    {NotificationType::kConversion, "conversion"},
    {NotificationType::kElimination, "elimination"},
    {NotificationType::kNewItem, "new-item"},
    {NotificationType::kTransfer, "transfer"},
    {NotificationType::kLoss, "loss"},
    {NotificationType::kBomberAbroad, "bomber-abroad"},
    {NotificationType::kWarheadChange, "warhead-change"},
};

const treaty::Notification* FindRule(const treaty::Treaty& t, std::string_view id) {
  for (const treaty::Notification& n : t.regime.notifications) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

}  // namespace

std::string_view NotificationTypeName(NotificationType t) {
  for (const TypeName& n : kTypes) {
    if (n.type == t) return n.name;
  }
  return "?";
}

std::optional<NotificationType> ParseNotificationType(std::string_view name) {
  for (const TypeName& n : kTypes) {
    if (n.name == name) return n.type;
  }
  return std::nullopt;
}

Result<std::vector<Notification>> ParseNotificationsCsv(std::string_view text,
                                                        const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(text, name));
  TALLY_RETURN_IF_ERROR(table.RequireColumns({"type", "party", "uid", "event", "notified"}));
  for (const std::string& h : table.header()) {
    if (h != "type" && h != "party" && h != "uid" && h != "event" && h != "notified" &&
        h != "detail") {
      return FieldError(name + ":1", h,
                        "a known column (type, party, uid, event, notified, detail)",
                        "\"" + h + "\"");
    }
  }
  std::vector<Notification> out;
  for (size_t i = 0; i < table.size(); ++i) {
    CsvRow row = table.row(i);
    Notification n;
    n.where = row.Where();
    auto type = ParseNotificationType(row.Get("type"));
    if (!type) {
      return row.Error("type",
                       "movement, status-change, conversion, elimination, new-item, "
                       "transfer, loss, bomber-abroad or warhead-change");
    }
    n.type = *type;
    n.party = std::string(row.Get("party"));
    n.uid = std::string(row.Get("uid"));
    if (n.party.empty()) return row.Error("party", "a state code");
    if (std::string e = model::StateCodeExpectation(n.party); !e.empty()) {
      return row.Error("party", e);
    }
    if (n.uid.empty()) return row.Error("uid", "an item uid");
    auto event = Date::Parse(row.Get("event"));
    if (!event) return row.Error("event", "a date YYYY-MM-DD");
    n.event = *event;
    if (!row.Get("notified").empty()) {
      auto notified = Date::Parse(row.Get("notified"));
      if (!notified) return row.Error("notified", "a date YYYY-MM-DD or empty");
      if (*notified < n.event) return row.Error("notified", "a date on or after the event");
      n.notified = *notified;
    }
    n.detail = std::string(row.Get("detail"));
    out.push_back(std::move(n));
  }
  return out;
}

std::string NotificationToJson(const Notification& n) {
  nlohmann::ordered_json j;
  j["type"] = NotificationTypeName(n.type);
  j["party"] = n.party;
  j["uid"] = n.uid;
  j["event"] = n.event.ToString();
  j["notified"] = n.notified ? nlohmann::ordered_json(n.notified->ToString()) : nullptr;
  j["detail"] = n.detail;
  return j.dump();
}

Result<Deadline> DeadlineFor(const treaty::Treaty& t, const Notification& n) {
  if (n.type == NotificationType::kWarheadChange) {
    const treaty::Notification* update = FindRule(t, "six-month-update");
    if (!t.regime.data_exchange || t.regime.data_exchange->as_of.empty()) {
      return FailedPrecondition("treaty " + t.id + " has no periodic data exchange for " +
                                "warhead changes");
    }
    const treaty::DataExchange& x = *t.regime.data_exchange;
    // The first data date strictly after the event; the update is due `due` days after it.
    std::optional<Date> next;
    for (int year = n.event.year(); year <= n.event.year() + 1 && !next; ++year) {
      for (const std::string& md : x.as_of) {
        auto d = Date::Parse(std::to_string(year) + "-" + md);
        if (d && *d > n.event && (!next || *d < *next)) next = *d;
      }
    }
    if (!next) return FailedPrecondition("treaty " + t.id + ": no data date after the event");
    const int64_t days = update ? update->due_within_days : x.due_within_days;
    return Deadline{next->AddDays(days), "six-month update: data as of " + next->ToString() +
                                             " + " + std::to_string(days) + " days"};
  }
  const treaty::Notification* change = FindRule(t, "change-in-data");
  if (change == nullptr) {
    return FailedPrecondition("treaty " + t.id + " has no change-in-data notification rule");
  }
  return Deadline{
      n.event.AddDays(change->due_within_days),
      "change in data: " + std::to_string(change->due_within_days) + " days after the event"};
}

Result<std::vector<NotificationStatus>> CheckDeadlines(const treaty::Treaty& t,
                                                       const std::vector<Notification>& list,
                                                       Date today) {
  std::vector<NotificationStatus> out;
  for (const Notification& n : list) {
    NotificationStatus s;
    s.notification = &n;
    TALLY_ASSIGN_OR_RETURN(s.deadline, DeadlineFor(t, n));
    if (n.notified) {
      s.late = *n.notified > s.deadline.due;
      s.days_late = s.late ? n.notified->days() - s.deadline.due.days() : 0;
    } else {
      s.missing = today > s.deadline.due;
      s.days_late = s.missing ? today.days() - s.deadline.due.days() : 0;
    }
    out.push_back(s);
  }
  return out;
}

Result<LoggedNotification> AppendNotification(const treaty::Treaty& treaty, tlog::LogWriter& log,
                                              const Notification& n, int64_t time) {
  if (!n.notified) return InvalidArgument("notified: a logged notification needs its date");
  TALLY_ASSIGN_OR_RETURN(Deadline deadline, DeadlineFor(treaty, n));
  const tlog::Entry e{static_cast<uint16_t>(tlog::EntryKind::kNotification), n.party,
                      time != 0 ? time : n.notified->days() * 86400, NotificationToJson(n)};
  TALLY_ASSIGN_OR_RETURN(uint64_t index, log.AppendTyped(std::span<const tlog::Entry>(&e, 1)));
  return LoggedNotification{index, deadline, *n.notified > deadline.due};
}

}  // namespace tally::escrow
