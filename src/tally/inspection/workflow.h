// Workflow: one inspection replayed from the merged party logs (log_source.h) and the documents
// the parties handed each other (opening bundles, the findings document), into an
// InspectionRecord. Any party or outside reader holding the same logs and documents recomputes
// the same record; nothing here reads a clock, a key or a store.
//
// The steps (docs/inspections.md, "The inspection workflow on the log"):
//  1. request    the inspecting party's `inspection-request` entry, admitted by the ledger
//                (ledger.h: type, dates, parties, quota);
//  2. site       the inspected party's `opening` entry of phase "site": a bundle opening its
//                items at the site, verified against the declaration statement it logged last
//                at or before the request (escrow::VerifyBundle); every opened item is at the
//                site; the site is eligible under the type's site rule. The designation
//                population is the opened items of the type's designate kinds and statuses;
//  3. randomness `randomness-commit` then `randomness-reveal` entries of both parties, replayed
//                through inspect::Round (round id RoundId(inspection), beacon = the request
//                entry's leaf hash, reveal deadline 24 h after the request);
//  4. designate  inspect::SelectIdentifiers(seed, "items/<site>", population, k) with
//                k = min(items_per_inspection, population size). A type with
//                items_per_inspection 0, or a site with an empty population (a Type One at an
//                air base), is inspected whole: every item of the site opening but the warheads
//                (counted on their hosts) is in the mandate, no seed is drawn, step 5 is skipped;
//  5. opening    the inspected party's `opening` entry of phase "designated": a verified bundle
//                that opens exactly the designated items and the warheads the site opening shows
//                on them, leaf for leaf as in the site opening;
//  6. findings   the inspecting party's `finding` entry and its findings document;
//  7. verdict    each observation against the opened record (findings_check.h), plus the
//                pre-inspection restriction: a `notification` entry of the inspected party about
//                an item at the site whose event falls in the window [request + restriction
//                hours, designation] is a violation.
// A missing step is not an error: the record stops at the last stage reached and says what it
// awaits. An entry that is present but wrong (malformed, out of order, by the wrong party, a
// bundle, reveal, selection or hash that does not check, an ineligible site) is rejected: it is
// not applied, at all, and it is listed in `rejected` with the reason, so one party cannot stop
// an inspection by logging garbage (a reveal that does not open its commitment counts as no
// reveal: after the deadline the fallback seed applies and the party is recorded as refusing).
// Errors: NotFound (no such request, a document the logs name was not given), and the request's
// own refusal by the ledger (FailedPrecondition, InvalidArgument): there is then no inspection.
// Thread safety: values and reentrant functions.
#ifndef TALLY_INSPECTION_WORKFLOW_H_
#define TALLY_INSPECTION_WORKFLOW_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/escrow/bundle.h"
#include "tally/inspection/findings_check.h"
#include "tally/inspection/ledger.h"
#include "tally/inspection/log_source.h"
#include "tally/inspection/payloads.h"
#include "tally/treaty/treaty.h"

namespace tally::inspection {

inline constexpr int64_t kRevealWindowSeconds = 24 * 3600;

// Documents handed between the parties, found by the SHA-256 of their bytes.
class Documents {
 public:
  Hash32 Add(std::string bytes);
  const std::string* Find(const Hash32& sha256) const;

 private:
  std::map<Hash32, std::string> by_hash_;
};

enum class Stage {
  kRequested,   // admitted; awaiting the site opening
  kSiteOpened,  // awaiting randomness
  kDesignated,  // seed known, items designated; awaiting the designated opening
  kOpened,      // awaiting findings
  kRecorded,    // findings in: a verdict
};
std::string_view StageName(Stage s);

struct RestrictionViolation {
  std::string where;  // the notification entry
  std::string uid;
  std::string what;
};

// An inspection entry that did not check and was not applied.
struct Rejection {
  std::string log;
  uint64_t index = 0;
  std::string party;                                  // who logged it
  std::string reason;                                 // names the entry and what failed
  StatusCode code = StatusCode::kVerificationFailed;  // the kind of failure
};

struct InspectionRecord {
  Request request;
  std::string inspecting;
  int64_t requested_at = 0;
  TreatyYear year;
  std::string type_name;
  Stage stage = Stage::kRequested;
  std::string awaiting;  // what the next step is ("" when recorded)

  // Site.
  std::vector<std::string> site_items;  // opened uids at the site, sorted
  std::vector<std::string> population;  // designation candidates, sorted
  std::string declaration_where;        // the statement's log entry
  // Randomness.
  std::vector<std::string> committed, revealed, refused;
  bool fallback = false;
  std::optional<Hash32> seed;
  int64_t designated_at = 0;            // the last reveal's time (or the deadline on fallback)
  std::vector<std::string> designated;  // in draw order (whole site: sorted)
  bool whole_site = false;              // every item at the site but warheads, no seed drawn
  // Restriction window, seconds since the epoch; ends = 0 while items are not designated.
  int64_t restriction_begins = 0, restriction_ends = 0;
  std::vector<RestrictionViolation> violations;
  // Opening and findings.
  std::vector<DeclaredItem> declared;  // the designated items as opened
  std::vector<Observation> observed;
  std::vector<Discrepancy> discrepancies;
  std::vector<Rejection> rejected;  // in merge order

  // "consistent" (recorded; no discrepancy, violation or rejected entry), "inconsistent" or
  // "pending".
  std::string Verdict() const;
};

using TreatyLookup = std::function<const treaty::Treaty*(const std::string& id)>;

// `entries` in merge order. `now` (seconds) decides whether the reveal deadline has passed.
Result<InspectionRecord> Replay(const TreatyLookup& treaties,
                                const std::vector<LoggedEntry>& entries,
                                const std::string& inspection, const Documents& documents,
                                int64_t now);

// The designated opening an honest inspected party makes: the designated items' leaves and
// the leaves of the warheads the site bundle shows on them, ascending.
Result<std::vector<uint64_t>> LeavesToOpen(const InspectionRecord& record,
                                           const escrow::Bundle& site_bundle);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_WORKFLOW_H_
