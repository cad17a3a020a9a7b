// Workflow: one inspection replayed from the parties' logs (party_log.h) and the documents the
// parties handed each other (opening bundles, the findings document), into an InspectionRecord.
// Any party or outside reader holding the same logs and documents recomputes the same record;
// nothing here reads a clock, a key or a store.
//
// Who logs what: R, the inspecting party, logs the request, its randomness and the finding on
// its own log; I, the inspected party, logs the openings and its randomness on its own. Every
// step after the request cites the other party's log (citation.h), so each step is shown to come
// after the one it answers. The steps (docs/inspections.md, "The inspection workflow on the log"):
//  1. request    R's request, admitted by the ledger (ledger.h: namespace, first request
//                stands, quota, dates); it pins I's declaration in force: I's last statement
//                inside the prefix of I's log the request cites;
//  2. site       I's opening of phase "site", citing R's log with the request: a bundle opening
//                its items at the site, verified against the pinned statement; every opened
//                item at the site; the site eligible under the type's site rule. The designation
//                population is the opened items of the type's designate kinds and statuses;
//  3. commit     R's commitment, citing I's log with the site opening; I's commitment, after its
//                site opening, citing R's log;
//  4. reveal     I reveals first, citing R's log with R's commitment, by the deadline (24 h after
//                the request); R reveals last, citing I's log. If the prefix R cites holds I's
//                reveal, the seed is the joint seed of both secrets. If it does not and R's
//                reveal is dated after the deadline, I is recorded as refusing and the seed
//                falls back to R's secret alone (New START lets inspectors choose; I cannot
//                predict it). An R reveal before the deadline without I's reveal is refused: R
//                reveals last. A secret revealed before — earlier on the revealer's own log, or
//                on the other party's log inside what the reveal cites — is refused: a known
//                secret lets the other side steer. So no seed is ever derived without R's fresh
//                secret;
//  5. designate  inspect::SelectIdentifiers(seed, "items/<site>", population, k) with
//                k = min(items_per_inspection, population size). A type with
//                items_per_inspection 0, or a site with an empty population (a Type One at an
//                air base), is inspected whole: every item of the site opening but the warheads
//                (counted on their hosts) is in the mandate, no seed is drawn, steps 3-4 and 6 are
//                skipped;
//  6. opening    I's opening of phase "designated", citing R's log with R's reveal: a verified
//                bundle that opens exactly the designated items and the warheads the site opening
//                shows on them, leaf for leaf as in the site opening;
//  7. findings   R's finding, citing I's log with the designated opening (or the site opening,
//                for a whole site), and its findings document;
//  8. verdict    each observation against the opened record (findings_check.h), the
//                pre-inspection restriction (a `notification` of I about an item at the site with
//                an event in [request + restriction hours, designation]), refusals and disputes.
// For each step the first candidate entry that checks, in its log's index order, is the step;
// every other entry naming the inspection — malformed, out of order, a second one, by a party
// that is not the step's, on a third party's log — is rejected: not applied, and listed with the
// reason, so one party cannot stop an inspection by logging garbage, and nothing logged later
// supersedes or erases an earlier step or the verdict it led to.
// A missing step is not an error: the record stops at the last stage reached and says what it
// awaits. Errors: NotFound (no such request; a document, or a newer copy of a log, that the logs
// call for was not given), and the request's own refusal by the ledger: there is then no
// inspection.
// Thread safety: values and reentrant functions.
#ifndef TALLY_INSPECTION_WORKFLOW_H_
#define TALLY_INSPECTION_WORKFLOW_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tally/base/result.h"
#include "tally/escrow/bundle.h"
#include "tally/inspection/documents.h"
#include "tally/inspection/findings_check.h"
#include "tally/inspection/ledger.h"
#include "tally/inspection/party_log.h"
#include "tally/inspection/payloads.h"
#include "tally/treaty/treaty.h"

namespace tally::inspection {

inline constexpr int64_t kRevealWindowSeconds = 24 * 3600;

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

// A breach of the procedure that no observation shows: a refusal to reveal, a disputed reveal.
struct ProceduralViolation {
  std::string party;  // who is answerable
  std::string kind;   // refused-reveal | disputed-reveal
  std::string what;   // one sentence, with the entries
};

// An inspection entry that did not check and was not applied.
struct Rejection {
  std::string log;
  uint64_t index = 0;
  std::string party;                                  // who logged it
  std::string reason;                                 // names the entry and what failed
  StatusCode code = StatusCode::kVerificationFailed;  // the kind of failure
};

// A step of the inspection as the replay applied it: the entry that is the step.
struct Step {
  std::string step;  // request | site opening | commitment | reveal | designated opening | findings
  std::string log;   // the owner of the log that holds it
  uint64_t index = 0;
  int64_t time = 0;  // the entry's time, seconds since the epoch
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
  // The site opening as verified (shared with the source's cache; null before the site step).
  std::shared_ptr<const escrow::Bundle> site_bundle;
  std::vector<std::string> population;  // designation candidates, sorted
  std::string declaration_where;        // the statement's log entry
  // Randomness.
  std::vector<std::string> committed, revealed, refused;
  bool fallback = false;  // the seed is the inspecting party's secret alone
  std::optional<Hash32> seed;
  int64_t designated_at = 0;            // the last reveal's time (or the deadline on fallback)
  std::vector<std::string> designated;  // in draw order (whole site: sorted)
  bool whole_site = false;              // every item at the site but warheads, no seed drawn
  // Restriction window, seconds since the epoch; ends = 0 while items are not designated.
  int64_t restriction_begins = 0, restriction_ends = 0;
  std::vector<RestrictionViolation> violations;
  std::vector<ProceduralViolation> procedural;
  // Opening and findings.
  std::vector<DeclaredItem> declared;  // the designated items as opened
  std::vector<Observation> observed;
  std::vector<Discrepancy> discrepancies;
  std::vector<Rejection> rejected;  // in merge order
  std::vector<Step> steps;          // the request first, then in the order they were applied

  // "consistent" (recorded; no discrepancy, violation, procedural violation or rejected
  // entry), "inconsistent" or "pending".
  std::string Verdict() const;
};

using TreatyLookup = std::function<const treaty::Treaty*(const std::string& id)>;

// The logs and documents a replay reads, with the index every replay of them shares: the entries
// naming each inspection and every reveal, parsed once. Built by Index(); rebuild after changing
// `logs`.
struct ReplaySource {
  ReplaySource() = default;
  // A copy indexes its own logs (the index points into them).
  ReplaySource(const ReplaySource& other)
      : logs(other.logs), documents(other.documents), verified(other.verified) {
    Index();
  }
  ReplaySource& operator=(const ReplaySource& other) {
    logs = other.logs;
    documents = other.documents;
    verified = other.verified;
    ClearIndex();
    Index();
    return *this;
  }
  ReplaySource(ReplaySource&&) = default;  // the logs keep their addresses
  ReplaySource& operator=(ReplaySource&&) = default;

  Logs logs;
  Documents documents;

  // Indexes what was appended to the logs since the last call (all of it the first time). Logs
  // may only grow in between; after any other change call ClearIndex() first.
  void Index();
  void ClearIndex();
  struct Indexed {
    const PartyLog* log = nullptr;
    const LoggedEntry* logged = nullptr;
  };
  std::map<std::string, std::vector<Indexed>> by_inspection;  // kinds 4-8, log by log
  // Entries naming each inspection that their log refused (not the owner's, or time going
  // back): never applied, but listed in the inspection's record as evidence.
  std::map<std::string, std::vector<const RefusedEntry*>> refused_by_inspection;
  struct RevealSeen {
    const PartyLog* log = nullptr;
    uint64_t index = 0;
    std::string round;
  };
  std::map<Hash32, std::vector<RevealSeen>> reveals;  // every revealed secret on every log

  // Bundles already verified against a statement root, so that replaying the same inspection
  // again (each step of a party, each reader's command) does not verify them again.
  struct VerifiedBundle {
    std::shared_ptr<const escrow::Bundle> bundle;  // never null
    std::vector<size_t> by_uid;  // positions in bundle.opened, in ascending uid order
  };
  struct VerifiedBundles {
    std::mutex mu;
    // (bundle SHA-256, statement SHA-256) -> the bundle as verified.
    std::map<std::pair<Hash32, Hash32>, std::shared_ptr<const VerifiedBundle>> by_key;
    // False: each replay verifies the bundles it reads and keeps none (a scale run, whose
    // report replays each inspection once: keeping them would hold every site it visited).
    bool keep = true;
  };
  std::shared_ptr<VerifiedBundles> verified = std::make_shared<VerifiedBundles>();

  // What every replay of the logs as they stand would compute again: the ledger under each
  // treaty (rebuilt once it could have changed), and each pinned statement and each step's
  // payload as parsed from its entry.
  // It points into these logs, so a copy starts its own and ClearIndex() empties it; a treaty is
  // known by its address, so the lookup's treaties must outlive the source.
  struct ParsedStatement {
    escrow::Statement statement;
    Hash32 digest{};  // SHA-256 of the entry's payload
  };
  struct Derived {
    std::mutex mu;
    // Each log and its requests when the ledgers were built.
    std::vector<std::pair<const PartyLog*, uint64_t>> requests;
    std::map<const treaty::Treaty*, std::shared_ptr<const Ledger>> ledgers;
    std::map<const LoggedEntry*, std::shared_ptr<const ParsedStatement>> statements;
    // Each inspection entry's payload as parsed (payloads.h), errors naming the entry.
    using Payload = std::variant<Result<Request>, Result<Opening>, Result<RandomnessCommit>,
                                 Result<RandomnessReveal>, Result<Finding>>;
    std::map<const LoggedEntry*, Payload> payloads;
    // Findings documents as parsed: an entry names its document by the SHA-256 of its bytes, so
    // one that parses is kept by that hash for every entry (and pending entry) naming it; one
    // that does not, by the entry, since its error names the entry.
    std::map<Hash32, Findings> findings_by_sha256;
    std::map<const LoggedEntry*, Result<Findings>> findings_documents;
  };
  std::shared_ptr<Derived> derived = std::make_shared<Derived>();

 private:
  std::vector<std::pair<size_t, size_t>> indexed_;  // per log: entries and refused indexed
};

// An entry a party is about to log, checked by a replay before anything is written, with the
// documents it hands over; `entry` unset: only the documents (a replay that needs them).
struct Pending {
  const PartyLog* log = nullptr;  // the acting party's own log in the source
  std::optional<LoggedEntry> entry;
  std::vector<std::string> documents;
  // What the acting party knows of its own documents, so that checking an action does not undo
  // work it has just done. Either empty or one per document: its SHA-256; and, for a bundle it
  // wrote with escrow::BundleToJson, that bundle (else null), which the replay verifies in place
  // of parsing the bytes back (BundleFromJson(BundleToJson(b)) == b, escrow's round-trip tests).
  // The bundle is still verified against the statement, and the bytes are still the document.
  std::vector<Hash32> document_sha256;
  std::vector<std::shared_ptr<const escrow::Bundle>> document_bundles;

  // Adds a document with what the acting party knows of it (`bundle` may be null).
  void Add(std::string bytes, const Hash32& sha256, std::shared_ptr<const escrow::Bundle> bundle);
};

// `now` (seconds) only decides what a pending record says it awaits. With `pending`, the replay
// reads the source as if its entry were appended to its log and its documents handed over.
Result<InspectionRecord> Replay(const TreatyLookup& treaties, const ReplaySource& source,
                                const std::string& inspection, int64_t now,
                                const Pending* pending = nullptr);

// The designated opening an honest inspected party makes: the designated items' leaves and
// the leaves of the warheads the site bundle shows on them, ascending.
Result<std::vector<uint64_t>> LeavesToOpen(const InspectionRecord& record,
                                           const escrow::Bundle& site_bundle);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_WORKFLOW_H_
