// Actions: what a party logs next in an inspection — the entry for its own log and the document
// it hands the other party (an opening bundle or a findings document) — built from the parties'
// verified logs and checked by replaying the inspection with the entry added, before anything is
// written. The CLI (`tally inspection request|open|commit|reveal|record`) and a node (tallyd)
// call these, so both apply exactly the rules of the replay (workflow.h).
//
// The acting party is `me`, the owner of one of source.logs: an entry is always the acting
// party's, on its own log, dated `time` (treaty time), and cites the other party's log as the
// source holds it (citation.h), so a party should refresh its copy of the other log first.
// Errors: the replay's reason for refusing the entry (VerificationFailed for a reveal that does
// not open its commitment or a bundle that does not verify; FailedPrecondition /
// InvalidArgument otherwise; NotFound for a document or log not at hand), prefixed with
// "refused, nothing written". Nothing is changed on error.
// Thread safety: reentrant; `source` is read only.
#ifndef TALLY_INSPECTION_ACTIONS_H_
#define TALLY_INSPECTION_ACTIONS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/escrow/declaration.h"
#include "tally/inspect/joint_randomness.h"
#include "tally/inspection/workflow.h"
#include "tally/tlog/entry.h"

namespace tally::inspection {

struct Action {
  tlog::Entry entry;         // for the acting party's own log
  std::string document;      // the bundle or findings handed to the other party ("" if none)
  Hash32 document_sha256{};  // of `document`, when there is one
  // The bundle `document` encodes, for an opening: CheckAction verifies it without parsing the
  // document back (workflow.h, Pending). Both are set by the functions below from the bytes they
  // write; a caller that changes `document` must reset `bundle` and zero `document_sha256`, or
  // CheckAction checks what the document was, not what it is (the other party's replay, which
  // has only the bytes, still refuses a mismatch).
  std::shared_ptr<const escrow::Bundle> bundle;
};

// The acting party's context: every party's verified log, the documents it holds, the treaties.
struct Actor {
  const TreatyLookup* treaties = nullptr;
  const ReplaySource* source = nullptr;
  std::string me;  // the acting party (owner of its log in source->logs)
};

// R asks to inspect `request.site` of `request.inspected`; `request.seen` is filled in (the
// inspected party's log as the source holds it, pinning its declaration in force).
Result<Action> RequestInspection(const Actor& a, int64_t time, Request request);
// I opens the site (its items in the declaration the request pinned), or the designated items.
Result<Action> OpenSite(const Actor& a, int64_t time, const std::string& id,
                        const escrow::Declaration& declaration);
Result<Action> OpenDesignated(const Actor& a, int64_t time, const std::string& id,
                              const escrow::Declaration& declaration);
// Either party: commit to, then reveal, a secret drawn fresh for this inspection's round.
Result<Action> CommitRandomness(const Actor& a, int64_t time, const std::string& id,
                                const inspect::Secret& secret);
Result<Action> RevealRandomness(const Actor& a, int64_t time, const std::string& id,
                                const inspect::Secret& secret);
// R records what its inspectors observed. An observation of an item that was not designated is
// refused unless `allow_unlisted` (it then becomes a discrepancy).
Result<Action> RecordFindings(const Actor& a, int64_t time, const std::string& id,
                              std::vector<Observation> observed, bool allow_unlisted);

// Replays as if `action.entry` were appended to the acting party's log (and the action's document
// handed over), without changing the source: OK when every replay would accept it. `held` are
// documents the acting party holds beyond the source's (its own site bundle, say).
Status CheckAction(const Actor& a, const std::string& id, const Action& action);
Status CheckAction(const Actor& a, const std::string& id, const Action& action,
                   const std::vector<std::string>& held);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_ACTIONS_H_
