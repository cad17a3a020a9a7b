// StepVerifier: the checks of one inspection's steps as Replay (workflow.h) applies them — the
// verification state the steps share (the pinned statement, the site opening, the commitments
// and secrets, the entries taken or rejected) and one method per step that checks a candidate
// entry against that state and, if it checks, applies it to the record. Replay gathers each
// step's candidates from the logs and calls FirstThatChecks on them in the workflow's order; the
// verifier holds no policy of its own on which entry a step takes.
// Errors: a step's Status says why its entry was not applied (VerificationFailed,
// FailedPrecondition), and NotFound when a document the entry calls for was not given, which
// stops the replay.
// Lifetime: it borrows the treaty, the source and the pending entry and documents; they must
// outlive it. Thread safety: one verifier per replay; the source's shared caches are locked.
// Internal to the inspection module: nothing outside workflow.cc includes it.
#ifndef TALLY_INSPECTION_STEP_VERIFIER_H_
#define TALLY_INSPECTION_STEP_VERIFIER_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/escrow/bundle.h"
#include "tally/inspection/citation.h"
#include "tally/inspection/party_log.h"
#include "tally/inspection/payloads.h"
#include "tally/inspection/workflow.h"
#include "tally/treaty/treaty.h"

namespace tally::inspection::internal {

constexpr uint16_t K(tlog::EntryKind k) { return static_cast<uint16_t>(k); }

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// A time as its day and "THH:MM:SSZ", as the record's sentences print it.
std::string TimeText(int64_t t);

// An entry's payload parsed as `parse` does, errors naming the entry (its Where()). An entry of
// the source's logs never changes, so its payload is parsed once for every replay of the source;
// the pending entry is not the source's and is parsed each time.
template <typename T>
Result<T> PayloadOf(const ReplaySource& source, const LoggedEntry* pending, const LoggedEntry& e,
                    Result<T> (*parse)(std::string_view, std::string_view)) {
  ReplaySource::Derived* derived = source.derived.get();
  if (!derived || &e == pending) return parse(e.entry.payload, e.Where());
  {
    std::lock_guard<std::mutex> lock(derived->mu);
    auto it = derived->payloads.find(&e);
    if (it != derived->payloads.end()) {
      if (const Result<T>* parsed = std::get_if<Result<T>>(&it->second)) return *parsed;
    }
  }
  Result<T> parsed = parse(e.entry.payload, e.Where());
  std::lock_guard<std::mutex> lock(derived->mu);
  derived->payloads.emplace(&e, parsed);
  return parsed;
}

// What step an applied entry is, by its kind (and an opening's phase, parsed as PayloadOf does).
std::string StepName(const ReplaySource& source, const LoggedEntry* pending, const LoggedEntry& e);

// The payload of an inspection entry parses: a malformed entry is named as such, whatever step
// it would have been.
Status PayloadParses(const ReplaySource& source, const LoggedEntry* pending, const LoggedEntry& e);

// A step's entry once it checked.
struct Taken {
  const LoggedEntry* e = nullptr;
  explicit operator bool() const { return e != nullptr; }
};

// The verification state shared by the steps.
struct StepVerifier {
  const treaty::Treaty* treaty = nullptr;
  const treaty::InspectionType* type = nullptr;
  const ReplaySource* source = nullptr;
  const LoggedEntry* pending_entry = nullptr;  // the entry a party is about to log, if any
  // Handed over with a pending entry; hashed (unless the pending says their hashes) only when the
  // source lacks a document the replay asks for, since most replays find every bundle in the
  // source or the verified cache.
  const Pending* pending = nullptr;
  std::vector<Hash32> pending_hashes;
  // The source's documents this replay read, kept while it runs (an archived one is read back).
  std::vector<std::shared_ptr<const std::string>> found_documents;
  const PartyLog* inspecting_log = nullptr;  // R
  const PartyLog* inspected_log = nullptr;   // I
  const LoggedEntry* request_entry = nullptr;
  InspectionRecord rec;
  std::optional<escrow::Statement> statement;
  Hash32 statement_digest{};  // SHA-256 of the statement's canonical text
  std::optional<escrow::Counter> counter;
  std::shared_ptr<const ReplaySource::VerifiedBundle> site_opening;
  int64_t deadline = 0;
  std::string round;

  Taken site, r_commit, i_commit, i_reveal, r_reveal, designated_opening, finding;
  Hash32 r_commitment{}, i_commitment{};
  Hash32 r_secret{}, i_secret{};
  bool whole_site_mode = false;
  std::set<const LoggedEntry*> used;  // entries applied or already rejected

  const std::string& R() const { return rec.inspecting; }
  const std::string& I() const { return rec.request.inspected; }

  template <typename T>
  Result<T> Payload(const LoggedEntry& e, Result<T> (*parse)(std::string_view, std::string_view)) {
    return PayloadOf(*source, pending_entry, e, parse);
  }

  // Lists `e` in the record as rejected, with the reason and kind of `why`.
  void Reject(const LoggedEntry& e, const Status& why);

  // The entry's time and citation against the entry it answers on the other log.
  Status Answers(const LoggedEntry& e, const Citation& seen, const PartyLog& other,
                 const LoggedEntry& answered, std::string_view what);

  // A document of the source, or one handed over with the pending entry; nullptr if neither.
  // `prepared`, if given, is set to the bundle the pending says the document encodes (or null).
  const std::string* FindDocument(const Hash32& sha256,
                                  std::shared_ptr<const escrow::Bundle>* prepared = nullptr);

  // Shared with the source's cache: a replay only reads the bundle, and copying a site opening
  // of a few hundred leaves for every replay of every step cost more than the rest of the step.
  Result<std::shared_ptr<const ReplaySource::VerifiedBundle>> LoadBundle(const LoggedEntry& e,
                                                                         const Opening& o);

  // The steps, each checking its entry against the state the steps before it left and, when it
  // checks, applying it to `rec` (workflow.h lists what each step checks). A step that fails
  // leaves the state as it was.
  Status Site(const LoggedEntry& e, const Opening& o);

  Status Commit(const LoggedEntry& e);

  // A secret revealed before: earlier on the revealer's own log, or on the other party's log
  // inside the prefix this reveal cites (any round: a known secret lets the other side steer).
  Status NotReused(const LoggedEntry& e, const Hash32& secret, const Citation& seen,
                   const PartyLog& own, const PartyLog& other) const;

  Status Reveal(const LoggedEntry& e);

  Status DesignatedOpening(const LoggedEntry& e, const Opening& o);

  Status Findings(const LoggedEntry& e);
  // The findings document `bytes` (SHA-256 `sha256`) that entry `e` names, parsed once: a
  // document that parses, once for all entries naming it (the pending one included); one that
  // does not, once per entry of the source (the error names the entry).
  Result<inspection::Findings> FindingsDocument(const LoggedEntry& e, const Hash32& sha256,
                                                std::string_view bytes);

  // Runs `apply` over the candidates in order until one checks; the others before it are
  // rejected with their reasons, and those after it as `second` ("a second site opening"). A
  // NotFound (a document or newer log copy not given) stops the replay. Returns whether a
  // candidate was taken.
  template <typename Fn>
  Result<bool> FirstThatChecks(const std::vector<const LoggedEntry*>& candidates,
                               std::string_view second, Fn apply) {
    bool taken = false;
    for (const LoggedEntry* e : candidates) {
      if (used.count(e)) continue;
      if (taken) {
        used.insert(e);
        Status parsed = PayloadParses(*source, pending_entry, *e);
        Reject(*e, !parsed.ok() ? parsed
                                : FailedPrecondition(e->Where() + ": " + std::string(second) +
                                                     "; the first one stands"));
        continue;
      }
      Status s = apply(*e);
      if (s.code() == StatusCode::kNotFound) return s;
      used.insert(e);
      if (s.ok()) {
        taken = true;
        rec.steps.push_back(
            {StepName(*source, pending_entry, *e), e->log, e->index, e->entry.time});
      } else {
        Reject(*e, s);
      }
    }
    return taken;
  }

  // Notifications by the inspected party about site items inside the restriction window.
  void Restrictions(int64_t now);
};

}  // namespace tally::inspection::internal

#endif  // TALLY_INSPECTION_STEP_VERIFIER_H_
