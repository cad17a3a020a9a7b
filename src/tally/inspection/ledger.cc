#include "tally/inspection/ledger.h"

#include <map>
#include <tuple>

#include "tally/escrow/statement.h"
#include "tally/inspection/citation.h"
#include "tally/treaty/treaty_status.h"

namespace tally::inspection {
namespace {

using QuotaKey = std::tuple<std::string, std::string, int>;  // party, type, year

const treaty::InspectionType* FindType(const treaty::Treaty& t, std::string_view id) {
  for (const auto& it : t.regime.inspections) {
    if (it.id == id) return &it;
  }
  return nullptr;
}

std::string YearText(const TreatyYear& y) {
  return "treaty year " + std::to_string(y.number) + " (" + y.begins.ToString() + " to " +
         y.ends.AddDays(-1).ToString() + ")";
}

// Everything but uniqueness of the id and the quota.
Status CheckStatic(const treaty::Treaty& t, const std::string& inspecting, int64_t time,
                   const Request& r, TreatyYear& year) {
  if (r.treaty != t.id) {
    return FailedPrecondition("the request is under treaty \"" + r.treaty + "\", not " + t.id);
  }
  const treaty::InspectionType* type = FindType(t, r.type);
  if (!type) {
    std::string known;
    for (const auto& it : t.regime.inspections) known += (known.empty() ? "" : ", ") + it.id;
    return FailedPrecondition("inspection type \"" + r.type + "\" is not in the regime of " + t.id +
                              " (known: " + (known.empty() ? "none" : known) + ")");
  }
  if (inspecting == r.inspected) {
    return FailedPrecondition("a party cannot inspect itself (" + inspecting + ")");
  }
  const Date day = DayOf(time);
  for (const std::string& p : {inspecting, r.inspected}) {
    if (!t.HasParty(p)) return FailedPrecondition(p + " is not a party of " + t.id);
    const treaty::TreatyStatus st = treaty::StatusAt(t, day, p);
    if (!st.in_force()) {
      return FailedPrecondition(t.id + " is not in force for " + p + " on " + day.ToString() +
                                ": " + st.reason);
    }
  }
  const Date eif = *t.dates.entry_into_force;  // in force implies a date
  const Date begins = eif.AddDays(type->begins_days_after_entry_into_force);
  if (day < begins) {
    return FailedPrecondition(r.type + " inspections begin " +
                              std::to_string(type->begins_days_after_entry_into_force) +
                              " days after entry into force, on " + begins.ToString() +
                              "; the request is dated " + day.ToString());
  }
  auto y = TreatyYearOf(t, day);
  if (!y) return Internal("no treaty year for an in-force date");
  year = *y;
  return Status::Ok();
}

Status CheckQuota(const treaty::Treaty& t, const std::map<QuotaKey, int64_t>& used,
                  const std::string& inspecting, const Request& r, const TreatyYear& year) {
  const int64_t quota = FindType(t, r.type)->QuotaFor(inspecting);
  if (quota == 0) return Status::Ok();
  auto it = used.find({inspecting, r.type, year.number});
  const int64_t n = it == used.end() ? 0 : it->second;
  if (n >= quota) {
    return FailedPrecondition("quota exhausted: " + inspecting + " has used " + std::to_string(n) +
                              " of " + std::to_string(quota) + " " + r.type + " inspections in " +
                              YearText(year));
  }
  return Status::Ok();
}

}  // namespace

Date DayOf(int64_t seconds) {
  int64_t days = seconds / 86400;
  if (seconds % 86400 < 0) --days;
  return Date::FromDays(days);
}

std::optional<TreatyYear> TreatyYearOf(const treaty::Treaty& t, Date day) {
  if (!t.dates.entry_into_force || day < *t.dates.entry_into_force) return std::nullopt;
  const Date eif = *t.dates.entry_into_force;
  int n = static_cast<int>((day.days() - eif.days()) / 366);  // a lower bound
  while (eif.AddYears(n + 1) <= day) ++n;
  return TreatyYear{n + 1, eif.AddYears(n), eif.AddYears(n + 1)};
}

const LedgerEntry* Ledger::Find(std::string_view inspection) const {
  const LedgerEntry* refused = nullptr;
  for (const LedgerEntry& e : requests) {
    if (!e.parsed || e.request.inspection != inspection) continue;
    if (e.status.ok()) return &e;
    if (!refused) refused = &e;
  }
  return refused;
}

namespace {

// The request's citation of the inspected party's log, and the declaration it pins: the
// inspected party's last statement under `t` inside the cited prefix.
Status CheckPinnedDeclaration(const treaty::Treaty& t, const Logs& logs, LedgerEntry& le) {
  const PartyLog* inspected = FindLog(logs, le.request.inspected);
  if (!inspected) {
    return NotFound("the log of the inspected party " + le.request.inspected +
                    " was not given; a request is checked against the declaration it pins");
  }
  TALLY_RETURN_IF_ERROR(CheckCitation(le.request.seen, *inspected, *le.logged));
  for (const DeclarationRef& d : inspected->declarations()) {
    if (d.logged->index >= le.request.seen.size) break;
    if (d.treaty == t.id && d.party == le.request.inspected) le.declaration = d.logged;
  }
  return Status::Ok();
}

}  // namespace

Ledger BuildLedger(const treaty::Treaty& t, const Logs& logs, const PartyLog* pending_log,
                   const LoggedEntry* pending) {
  Ledger ledger;
  std::map<QuotaKey, int64_t> used;
  for (const PartyLog& log : logs) {
    std::map<std::string, std::string> ids;  // inspection id -> where first admitted
    std::vector<RequestRef> pending_ref;
    if (pending && pending_log == &log &&
        pending->entry.kind == static_cast<uint16_t>(tlog::EntryKind::kInspectionRequest)) {
      pending_ref.push_back({pending, 0, ParseRequest(pending->entry.payload, pending->Where())});
    }
    const std::vector<RequestRef>* lists[] = {&log.requests(), &pending_ref};
    for (const std::vector<RequestRef>* list : lists) {
      for (const RequestRef& ref : *list) {
        const LoggedEntry& e = *ref.logged;
        LedgerEntry le;
        le.logged = &e;
        const Result<Request>& r = ref.request;
        if (!r.ok()) {
          le.status = r.error();
          ledger.requests.push_back(std::move(le));
          continue;
        }
        if (r->treaty != t.id) continue;  // another treaty's ledger
        le.parsed = true;
        le.request = *r;
        const std::string& inspecting = log.owner();
        if (!IdBelongsTo(r->inspection, inspecting)) {
          le.status =
              FailedPrecondition("inspection id \"" + r->inspection + "\" is not in " + inspecting +
                                 "'s namespace (ids begin "
                                 "with the inspecting party's code and '-', e.g. \"" +
                                 inspecting + "-2026-01\")");
        } else if (auto it = ids.find(r->inspection); it != ids.end()) {
          le.status = FailedPrecondition("inspection id \"" + r->inspection +
                                         "\" was already requested at " + it->second +
                                         "; the first request stands");
        } else {
          le.status = CheckStatic(t, inspecting, e.entry.time, *r, le.year);
          if (le.status.ok()) le.status = CheckPinnedDeclaration(t, logs, le);
          if (le.status.ok()) le.status = CheckQuota(t, used, inspecting, *r, le.year);
          if (le.status.ok()) {
            ++used[{inspecting, r->type, le.year.number}];
            ids.emplace(r->inspection, e.Where());
          }
        }
        if (!le.status.ok()) le.status = le.status.WithContext(e.Where());
        ledger.requests.push_back(std::move(le));
      }
    }
  }
  return ledger;
}

Result<std::vector<QuotaRow>> QuotaReport(const treaty::Treaty& t, const Ledger& ledger, Date day) {
  if (treaty::StatusAt(t, day).state != treaty::TreatyState::kInForce &&
      !treaty::StatusAt(t, day).in_force()) {
    return FailedPrecondition(t.id + " is not in force on " + day.ToString() + ": " +
                              treaty::StatusAt(t, day).reason);
  }
  if (t.regime.inspections.empty()) {
    return FailedPrecondition(t.id + " has no inspection types in its regime");
  }
  const TreatyYear year = *TreatyYearOf(t, day);
  std::vector<QuotaRow> rows;
  for (const std::string& party : t.parties) {
    for (const auto& type : t.regime.inspections) {
      QuotaRow row{party, type.id, year, 0, type.QuotaFor(party), 0};
      for (const LedgerEntry& e : ledger.requests) {
        if (e.status.ok() && e.logged->entry.party == party && e.request.type == type.id &&
            e.year.number == year.number) {
          ++row.used;
        }
      }
      row.remaining = row.quota == 0 ? 0 : std::max<int64_t>(0, row.quota - row.used);
      rows.push_back(row);
    }
  }
  return rows;
}

}  // namespace tally::inspection
