// EntryApi: the operator puts entries its party made elsewhere on the party's own log, in order,
// checked as every replay checks them — the way a party's own tooling (an exercise driver, a
// records system) feeds its node. The entries are the party's, as bytes (tlog/entry.h):
//
//   POST /api/entries  {"from": <size>, "entries": ["<base64 entry>", ...],
//                       "deliver": [{"to": "<party>", "document": "<base64>"}]}
//
// `from` is the log size the caller believes it extends: any other size is 409 with the real one
// in `size`, so that a caller that lost an answer (a killed node, a dropped connection) resumes
// exactly where the log is and never appends twice. Every entry must be a typed entry of this
// party, not dated before the log's latest entry nor before the previous one, and accepted by the
// owner and order rules of inspection/party_log.h; otherwise 400 naming `body.entries[i]` and
// nothing is appended. Dates: on a wall-clock node within 300 s of its clock; on a treaty-time
// node (treaty_clock.h) not before its clock, which then moves to the last entry's time. The
// entries are appended at once (one fsync'd append, one checkpoint). Then each `deliver` document
// (partner-only: a bundle, findings) is kept in NODE/private/documents/entries/ (0600) and
// delivered, signed, to the named party's node (delivery.h); the answer says which arrived, and a
// repeat (with `from` at the new size and no entries) delivers again.
//   201 {"size": <new size>, "appended": n, "delivered": [{"to","sha256","delivered","error"}]}
// 401 without the operator token; 413 over 8 MiB.
// Thread safety: handlers may run concurrently; appends are serialized here and, across
// processes, by the log's lock.
#ifndef TALLY_NODE_ENTRY_API_H_
#define TALLY_NODE_ENTRY_API_H_

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/inspection/party_log.h"
#include "tally/node/node_config.h"
#include "tally/node/treaty_clock.h"
#include "tally/node/trust.h"
#include "tally/server/router.h"
#include "tally/tlog/note.h"

namespace tally::node {

struct EntryBatch {
  uint64_t from = 0;
  std::vector<std::string> entries;  // decoded from base64: entry bytes
  struct Delivery {
    std::string to, document;
  };
  std::vector<Delivery> deliver;
};
// The body, checked for shape only (keys, types, base64, limits); errors name the field.
Result<EntryBatch> ParseEntryBatch(std::string_view body);

class EntryApi {
 public:
  // All references must outlive this.
  EntryApi(const NodeLayout& layout, const Trust& trust, const PartyInfo& self,
           const tlog::NoteSigner& node_key, TreatyClock& clock, const std::string& token);
  void AddRoutes(server::Router& router);
  server::HttpResponse Append(const server::HttpRequest& request);

 private:
  NodeLayout layout_;
  const Trust& trust_;
  const PartyInfo& self_;
  const tlog::NoteSigner& node_key_;
  TreatyClock& clock_;
  const std::string& token_;
  std::mutex mu_;
  // The own log as last verified, kept so that each batch is checked against it without reading
  // the whole log again; dropped when the log changed under it (the CLI appended) or a check
  // left it behind.
  std::optional<inspection::PartyLog> own_;
};

}  // namespace tally::node

#endif  // TALLY_NODE_ENTRY_API_H_
