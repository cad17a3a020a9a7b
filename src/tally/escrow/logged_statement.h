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

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_LOGGED_STATEMENT_H_
