// The client side of c2sp.org/tlog-witness: asks a witness (a tallyd node, or any witness that
// speaks the protocol) to cosign a log's checkpoint. Sends "old 0" first; on 409 it learns the
// size the witness holds, computes the consistency proof from that size from the log's own tiles
// and asks again. Returns the witness's cosignature line(s).
// Errors: Unavailable (the witness cannot be reached, or answers with another status: the
// message carries the status and problem detail), VerificationFailed (the witness holds a larger
// tree than the checkpoint: this log rolled back, or the witness saw a fork).
// Thread safety: one call per client at a time.
#ifndef TALLY_NODE_COSIGN_CLIENT_H_
#define TALLY_NODE_COSIGN_CLIENT_H_

#include <string>

#include "tally/server/http_client.h"

namespace tally::node {

// `log_dir` holds the log's tiles (the log itself or a mirror); `note` is its signed checkpoint.
Result<std::string> RequestCosignature(server::HttpClient& client, const std::string& witness_url,
                                       const std::string& log_dir, const std::string& note);

}  // namespace tally::node

#endif  // TALLY_NODE_COSIGN_CLIENT_H_
