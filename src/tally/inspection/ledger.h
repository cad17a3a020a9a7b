// Ledger: every inspection request on the merged logs, each admitted or refused, and the quota
// accounting that follows from them (docs/inspections.md, "The inspection workflow on the log").
//
// Requests are taken in merge order (log_source.h). A request is admitted when its payload parses;
// its inspection id was not used before; the treaty is the one given and was in force for both
// parties at the request's time; the inspecting party (the entry's party) and the inspected party
// are distinct treaty parties; the type is in the treaty's regime; the time is on or after entry
// into force + the type's begins_days_after_entry_into_force; and the inspecting party has not
// used up the type's quota for the treaty year of the request. Treaty years run from entry into
// force: year 1 is [EIF, EIF + 1 year), and so on. Only admitted requests count against quotas.
// Thread safety: values and reentrant functions.
#ifndef TALLY_INSPECTION_LEDGER_H_
#define TALLY_INSPECTION_LEDGER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/inspection/log_source.h"
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
};

struct Ledger {
  std::vector<LedgerEntry> requests;  // in merge order

  const LedgerEntry* Find(std::string_view inspection) const;
};

// `entries` in merge order; requests under another treaty are left out (each treaty keeps its
// own ledger); unparsable requests are listed as refused.
Ledger BuildLedger(const treaty::Treaty& t, const std::vector<LoggedEntry>& entries);

// Checks a request that is about to be logged by `inspecting` at `time` against the ledger: the
// status it would get.
Status CheckNewRequest(const treaty::Treaty& t, const Ledger& ledger, const std::string& inspecting,
                       int64_t time, const Request& request);

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
