// Ledger: every inspection request on the parties' logs, each admitted or refused, and the quota
// accounting that follows from them (docs/inspections.md, "The inspection workflow on the log").
//
// A request counts only from the inspecting party's own log (party_log.h refuses an entry whose
// party is not the log's owner), so each party's requests are taken in its log's index order. A
// request is admitted when its payload parses; its id begins with the inspecting party's code
// and '-' (ids are namespaced by the inspector) and was not requested before on that log — the
// first admitted request for an id stands, and a later one, whatever its date, is refused; its
// citation of the inspected party's log checks (citation.h): that copy was given, holds the
// cited prefix, and the inspected party's last declaration inside it is the one that applies;
// the treaty is the one given and was in force for both parties at the request's time; the
// inspecting and inspected parties are distinct treaty parties; the type is in the treaty's
// regime; the time is on or after entry into force + the type's
// begins_days_after_entry_into_force; and the inspecting party has not used up the type's quota
// for the treaty year of the request. Treaty years run from entry into force: year 1 is
// [EIF, EIF + 1 year), and so on. Only admitted requests count against quotas.
// As logs grow (entries are only appended), a request keeps its status — it depends on the
// requests before it on its log and on the prefix of the inspected log it cites — except one
// refused NotFound (the inspected log, or enough of it, was not given); so a ledger changes only
// when a log gains a request or it holds such a refusal (workflow.h's replays rely on this).
// Thread safety: values and reentrant functions.
#ifndef TALLY_INSPECTION_LEDGER_H_
#define TALLY_INSPECTION_LEDGER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/inspection/party_log.h"
#include "tally/inspection/payloads.h"
#include "tally/treaty/treaty.h"

namespace tally::inspection {

struct TreatyYear {
  int number = 0;  // 1-based
  Date begins;
  Date ends;  // first day of the next year
};

// The treaty year containing `day`; nullopt before entry into force (or none).
std::optional<TreatyYear> TreatyYearOf(const treaty::Treaty& t, Date day);
Date DayOf(int64_t seconds);

struct LedgerEntry {
  const LoggedEntry* logged = nullptr;
  Request request;  // valid when `parsed`
  bool parsed = false;
  Status status;  // OK: admitted; otherwise why it was refused
  TreatyYear year;
  const LoggedEntry* declaration = nullptr;  // the inspected party's statement in force, if any
};

struct Ledger {
  std::vector<LedgerEntry> requests;  // per log, in index order

  // The admitted request for `inspection`, else the first refused one naming it, else nullptr.
  const LedgerEntry* Find(std::string_view inspection) const;
};

// Requests under another treaty are left out (each treaty keeps its own ledger); unparsable
// requests are listed as refused.
// `pending` (a request about to be logged on `pending_log`) is taken as the last entry of its log.
Ledger BuildLedger(const treaty::Treaty& t, const Logs& logs, const PartyLog* pending_log = nullptr,
                   const LoggedEntry* pending = nullptr);

struct QuotaRow {
  std::string party;  // the inspecting party
  std::string type;
  TreatyYear year;
  int64_t used = 0;
  int64_t quota = 0;      // 0: no yearly quota
  int64_t remaining = 0;  // quota - used (0 when no quota)
};

// Per inspecting party and type, for the treaty year containing `day`. Error: FailedPrecondition
// when the treaty is not in force on `day` or has no inspection types.
Result<std::vector<QuotaRow>> QuotaReport(const treaty::Treaty& t, const Ledger& ledger, Date day);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_LEDGER_H_
