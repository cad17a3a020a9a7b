// RoundSecret: a party's secret contribution to one inspection's joint randomness, kept in a file
// that only its owner can read and that is bound to one round.
//
//   tally-round-secret/1\n
//   round <round id>\n             e.g. tally/inspection/RU-2020-07/items
//   secret <64 lower-case hex>\n
//
// A secret is good for one round only: once revealed it is public, and a party that reuses it
// lets the other side grind its own secret until the designation it wants comes up. So Load
// refuses a file bound to another round, Create draws a fresh secret (never from an existing
// file), and the replay refuses a reveal of a secret revealed before (workflow.h).
// Errors: NotFound (no file), AlreadyExists (Create over a file), FailedPrecondition (a file of
// another round: "this secret belongs to round X"), PermissionDenied (group or other bits set,
// with the chmod to run), InvalidArgument (malformed), file-system errors.
// Security promise: the secret is written mode 0600 in a directory created 0700, atomically, and
// never printed.
// Thread safety: none needed (one process per party).
#ifndef TALLY_INSPECTION_ROUND_SECRET_H_
#define TALLY_INSPECTION_ROUND_SECRET_H_

#include <string>

#include "tally/base/result.h"
#include "tally/crypto/random.h"
#include "tally/inspect/joint_randomness.h"

namespace tally::inspection {

Result<inspect::Secret> CreateRoundSecret(const std::string& path, const std::string& round,
                                          crypto::RandomSource& random);
// Keeps a secret drawn by the caller (who checked its commitment first); refuses an existing file.
Status SaveRoundSecret(const std::string& path, const std::string& round,
                       const inspect::Secret& secret);
Result<inspect::Secret> LoadRoundSecret(const std::string& path, const std::string& round);
// The file's text, checked and bound to `round`; `where` names it in errors.
Result<inspect::Secret> ParseRoundSecret(std::string_view text, const std::string& round,
                                         const std::string& where);
std::string FormatRoundSecret(const std::string& round, const inspect::Secret& secret);
// The default place of a round's secret for a log: <private dir>/secrets/<inspection>.secret.
std::string DefaultSecretPath(const std::string& private_dir, const std::string& inspection);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_ROUND_SECRET_H_
