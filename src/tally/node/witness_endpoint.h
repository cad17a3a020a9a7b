// POST /add-checkpoint: the c2sp.org/tlog-witness v1.0.0 endpoint over tlog::Witness.
//
// Request: the tlog-witness body (at most kMaxAddCheckpointBody bytes). Responses, exactly as the
// spec says: 200 text/plain with the cosignature/v1 line(s); 400 a malformed body or old size
// above the new one; 403 no valid signature by the origin's log key (from the network); 404 an
// origin the network does not list; 409 `text/x.tlog.size` "<size>\n" when the old size is not
// the one the witness holds (or the sizes match with another root); 422 the consistency proof
// fails. Other errors are problem+json (500 when the state cannot be made durable). A refused
// request is logged; one whose signed checkpoint contradicts the cosigned one is kept as evidence
// (tlog::Witness) and reported to `on_conflict` (the node raises an alarm).
// Thread safety: as tlog::Witness (many requests at once).
#ifndef TALLY_NODE_WITNESS_ENDPOINT_H_
#define TALLY_NODE_WITNESS_ENDPOINT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "tally/server/http_message.h"
#include "tally/server/logger.h"
#include "tally/tlog/witness.h"

namespace tally::node {

inline constexpr size_t kMaxAddCheckpointBody = 64 * 1024;

// Seconds since the Unix epoch; injected so that tests can fix the time.
using Clock = std::function<uint64_t()>;
uint64_t WallClockSeconds();

// Called with the origin, the held note and the conflicting one when a request contradicts
// what the witness cosigned.
using ConflictHandler = std::function<void(const std::string& origin, const std::string& held_note,
                                           const std::string& new_note, const std::string& why)>;

server::HttpResponse HandleAddCheckpoint(tlog::Witness& witness, const tlog::LogKeyring& logs,
                                         const server::HttpRequest& request, const Clock& clock,
                                         server::Logger& log,
                                         const ConflictHandler& on_conflict = nullptr);

}  // namespace tally::node

#endif  // TALLY_NODE_WITNESS_ENDPOINT_H_
