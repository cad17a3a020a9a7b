#include "tally/escrow/continuity.h"

#include <algorithm>
#include <unordered_map>

namespace tally::escrow {
namespace {

using model::ItemStatus;
using NT = NotificationType;

bool IsActive(ItemStatus s) {
  return s == ItemStatus::kDeployed || s == ItemStatus::kNonDeployed || s == ItemStatus::kTest;
}

// The notification types that account for the change from `a` to `b`, and a description.
std::vector<std::pair<std::vector<NT>, std::string>> ChangesOf(const model::Item& a,
                                                               const model::Item& b) {
  std::vector<std::pair<std::vector<NT>, std::string>> out;
  const bool warhead = a.kind == model::ItemKind::kWarhead;
  if (warhead) {
    if (a.status != b.status || a.host != b.host || a.facility != b.facility) {
      out.push_back({{NT::kWarheadChange}, "warhead changed"});
    }
    return out;
  }
  if (a.facility != b.facility) {
    out.push_back(
        {{NT::kMovement, NT::kTransfer}, "moved from " + a.facility + " to " + b.facility});
  }
  if (a.status != b.status) {
    std::vector<NT> ok;
    if (b.status == ItemStatus::kConverted) {
      ok = {NT::kConversion};
    } else if (b.status == ItemStatus::kEliminated) {
      ok = {NT::kElimination};
    } else if (IsActive(a.status) && IsActive(b.status)) {
      ok = {NT::kStatusChange};
    } else {
      ok = {NT::kStatusChange, NT::kConversion};
    }
    out.push_back({ok, std::string("status ") + std::string(model::ItemStatusName(a.status)) +
                           " -> " + std::string(model::ItemStatusName(b.status))});
  }
  if (a.kind != b.kind || a.system != b.system || a.equipment != b.equipment ||
      a.capacity != b.capacity) {
    out.push_back({{NT::kConversion, NT::kStatusChange}, "type, equipment or capacity changed"});
  }
  return out;
}

}  // namespace

std::string_view FindingKindName(FindingKind k) {
  switch (k) {
    case FindingKind::kMissingNotification:
      return "missing-notification";
    case FindingKind::kLateNotification:
      return "late-notification";
    case FindingKind::kUnsentNotification:
      return "unsent-notification";
    case FindingKind::kUnverified:
      return "unverified";
  }
  return "?";
}

bool ContinuityReport::ok() const {
  for (const ContinuityFinding& f : findings) {
    if (f.kind != FindingKind::kUnverified) return false;
  }
  return true;
}

Result<ContinuityReport> CheckContinuity(const treaty::Treaty& treaty, const Round& old_round,
                                         const Round& new_round,
                                         const std::vector<Notification>& notifications) {
  ContinuityReport r;
  const std::string window =
      " between " + old_round.as_of.ToString() + " and " + new_round.as_of.ToString();
  // Notifications of events in the window, by uid.
  std::unordered_multimap<std::string, const Notification*> by_uid;
  std::vector<Notification> in_window;
  for (const Notification& n : notifications) {
    if (n.event > old_round.as_of && n.event <= new_round.as_of) by_uid.emplace(n.uid, &n);
  }
  auto has = [&](const std::string& uid, const std::vector<NT>& types) {
    auto [b, e] = by_uid.equal_range(uid);
    for (auto it = b; it != e; ++it) {
      for (NT t : types) {
        if (it->second->type == t) return true;
      }
    }
    return false;
  };
  auto type_list = [](const std::vector<NT>& types) {
    std::string s;
    for (NT t : types) s += (s.empty() ? "" : " or ") + std::string(NotificationTypeName(t));
    return s;
  };
  std::unordered_map<std::string, const model::Item*> old_items;
  std::unordered_map<std::string, const model::Item*> new_items;
  for (const model::Item& it : old_round.items) old_items.emplace(it.uid, &it);
  for (const model::Item& it : new_round.items) new_items.emplace(it.uid, &it);

  for (const model::Item& a : old_round.items) {
    auto found = new_items.find(a.uid);
    if (found == new_items.end()) {
      const std::vector<NT> ok =
          a.kind == model::ItemKind::kWarhead
              ? std::vector<NT>{NT::kWarheadChange}
              : std::vector<NT>{NT::kElimination, NT::kConversion, NT::kTransfer, NT::kLoss};
      if (has(a.uid, ok)) {
        ++r.removed;
      } else if (new_round.complete) {
        r.findings.push_back({FindingKind::kMissingNotification, a.uid,
                              a.uid + " (" + a.facility + ") left the declaration" + window +
                                  " with no " + type_list(ok) + " notification"});
      } else {
        r.findings.push_back({FindingKind::kUnverified, a.uid,
                              a.uid + " is not among the new round's opened items"});
      }
      continue;
    }
    const auto changes = ChangesOf(a, *found->second);
    if (changes.empty()) {
      ++r.unchanged;
      continue;
    }
    bool all = true;
    for (const auto& [types, what] : changes) {
      if (!has(a.uid, types)) {
        all = false;
        r.findings.push_back(
            {FindingKind::kMissingNotification, a.uid,
             a.uid + ": " + what + window + " with no " + type_list(types) + " notification"});
      }
    }
    if (all) ++r.changed;
  }
  for (const model::Item& b : new_round.items) {
    if (old_items.count(b.uid)) continue;
    const std::vector<NT> ok = b.kind == model::ItemKind::kWarhead
                                   ? std::vector<NT>{NT::kWarheadChange, NT::kNewItem}
                                   : std::vector<NT>{NT::kNewItem, NT::kTransfer};
    if (has(b.uid, ok)) {
      ++r.added;
    } else if (old_round.complete) {
      r.findings.push_back({FindingKind::kMissingNotification, b.uid,
                            b.uid + " (" + b.facility + ") is new" + window + " with no " +
                                type_list(ok) + " notification"});
    } else {
      r.findings.push_back(
          {FindingKind::kUnverified, b.uid, b.uid + " is not among the old round's opened items"});
    }
  }
  // Timeliness of every notification in the window, judged on the new data date.
  std::vector<Notification> window_list;
  for (const auto& [uid, n] : by_uid) window_list.push_back(*n);
  TALLY_ASSIGN_OR_RETURN(auto statuses, CheckDeadlines(treaty, window_list, new_round.as_of));
  for (const NotificationStatus& s : statuses) {
    const Notification& n = *s.notification;
    if (s.late) {
      r.findings.push_back({FindingKind::kLateNotification, n.uid,
                            std::string(NotificationTypeName(n.type)) + " of " + n.uid +
                                " (event " + n.event.ToString() + ") sent " +
                                n.notified->ToString() + ", " + std::to_string(s.days_late) +
                                " day(s) after its deadline " + s.deadline.due.ToString() + " (" +
                                s.deadline.rule + ")"});
    } else if (s.missing) {
      r.findings.push_back({FindingKind::kUnsentNotification, n.uid,
                            std::string(NotificationTypeName(n.type)) + " of " + n.uid +
                                " (event " + n.event.ToString() + ") not sent; due " +
                                s.deadline.due.ToString()});
    }
  }
  std::stable_sort(
      r.findings.begin(), r.findings.end(),
      [](const ContinuityFinding& x, const ContinuityFinding& y) { return x.uid < y.uid; });
  return r;
}

}  // namespace tally::escrow
