// LoggedStatement: a declaration's public statement as a verifier takes it — from the declaring
// party's log, not from a file the party hands over. The statement is the payload of a log entry
// of kind "declaration" (statement.h); a tlog proof bundle (tlog/proof_bundle.h) carries that
// entry, its inclusion proof and the signed checkpoint, so a verifier holding the log's verifier
// key checks that this exact statement is at that index of the log the other parties cosign.
//
// Errors: those of tlog::VerifyProofBundle (VerificationFailed: signature or inclusion proof;
// InvalidArgument: malformed bundle); InvalidArgument naming the problem when the entry is not a
// typed entry of kind "declaration" or its payload is not a statement; FailedPrecondition when
// the bundle carries no entry. Thread safety: reentrant functions.
#ifndef TALLY_ESCROW_LOGGED_STATEMENT_H_
#define TALLY_ESCROW_LOGGED_STATEMENT_H_

#include <span>
#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/escrow/statement.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/entry.h"
#include "tally/tlog/note.h"
#include "tally/tlog/signed_checkpoint.h"

namespace tally::escrow {

// The statement an entry carries; `name` prefixes errors (e.g. "log entry 12").
Result<Statement> StatementFromEntry(const tlog::Entry& entry, const std::string& name);

struct LoggedStatement {
  Statement statement;
  tlog::Checkpoint checkpoint;  // the signed checkpoint the inclusion was proven under
  uint64_t index = 0;           // the entry's index in the log
  int64_t logged_at = 0;        // the entry's time (seconds since the epoch)
};

// Verifies a proof bundle's text against `keys` and returns the statement of its entry; the
// entry's party must be the statement's party.
Result<LoggedStatement> StatementFromProof(std::string_view proof_bundle,
                                           std::span<const tlog::NoteVerifier* const> keys,
                                           const std::string& name);
// The same under a network's trust for the checkpoint's origin (signed_checkpoint.h: only the
// key named after the origin, plus the cosignatures `keys` requires), and, when `owner` is not
// empty, the entry must be logged by `owner` — the party that owns the log (network.h): a
// declaration counts only on its own party's log. VerificationFailed names the owner and the
// party when they differ.
Result<LoggedStatement> StatementFromProof(std::string_view proof_bundle,
                                           const tlog::CheckpointKeys& keys, std::string_view owner,
                                           const std::string& name);
// The origin a proof bundle's checkpoint names (its note's first line), to look up its keys.
Result<std::string> ProofOrigin(std::string_view proof_bundle, const std::string& name);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_LOGGED_STATEMENT_H_
