// InspectionApi: the inspection workflow through a party's node. What `tally inspection
// request|commit|reveal|open|record` do with a party's own log, as JSON endpoints for its
// operators, through the same library calls (inspection/actions.h) and so under exactly the rules
// of the replay:
//
//   POST /api/inspections/request   {"id","type","inspected","site"[,"treaty"]}
//   POST /api/inspections/commit    {"id"}   the node draws a fresh secret and keeps it (0600)
//   POST /api/inspections/reveal    {"id"}   reveals the secret it committed to
//   POST /api/inspections/open      {"id","phase":"site"|"designated"}   from NODE/private/store
//   POST /api/inspections/findings {"id","observed":[{"uid","status","warheads"}][,"unlisted"]}
//   POST /api/inspections/deliver   {"id"}   hands this party's documents of the inspection over
//   GET  /api/inspections/<id>      the replayed inspection (inspection/record_json.h); operator
//                                   only, as it holds the designated items' declared records
//
// Every write needs the operator's bearer token (party_api.h). The acting party is always this
// node's; the entry goes on its own log, dated by the node's treaty clock (treaty_clock.h). The
// source of every check is what this node holds: its own log, its verified mirrors of the other
// logs, the documents other nodes delivered to its inbox and its own. So a step that follows
// another party's step waits for the mirror to have it (409 naming what is missing; retry). An
// opening bundle or a findings document is kept in NODE/private/documents/<id>/ (0600) and
// delivered, signed by the node key (RFC 9421), to the other party's node at POST <url>/inbox/<this
// party>; a failed delivery is reported in the answer and can be repeated with /deliver. A party's
// secrets and its declaration store never leave the node: only the entry (public on the log) and
// the partner-only document (to the partner's node) do. Errors (application/problem+json naming the
// field): 401 without the token; 400 for a body that is not exactly the documented object; 409 when
// the replay refuses the step (its reason), when the inspection is on no log this node holds (a
// mirror may lag: retry), or the log grew while the step was checked; 503 while the own log does
// not verify. Thread safety: handlers may run concurrently; writes to the log are serialized here
// and, across processes, by the log's lock.
#ifndef TALLY_NODE_INSPECTION_API_H_
#define TALLY_NODE_INSPECTION_API_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/inspection/actions.h"
#include "tally/node/mirror.h"
#include "tally/node/node_config.h"
#include "tally/node/treaty_clock.h"
#include "tally/node/trust.h"
#include "tally/server/router.h"
#include "tally/tlog/note.h"
#include "tally/treaty/treaty_set.h"

namespace tally::node {

// Where a node keeps what only its party may read.
inline std::string NodeStorePath(const NodeLayout& layout) { return layout.Private() + "/store"; }
inline std::string NodeDocumentsPath(const NodeLayout& layout) {
  return layout.Private() + "/documents";
}
inline std::string NodeSecretsPath(const NodeLayout& layout) {
  return layout.Private() + "/secrets";
}

// The body of a write, checked: exactly the keys its step documents, each of its type; errors
// name the field ("body.observed[2].warheads: ...").
struct InspectionStepRequest {
  std::string step;  // request, commit, reveal, open, findings, deliver
  std::string id;
  std::string treaty = "new-start";
  std::string type, inspected, site;              // request
  std::string phase;                              // open
  std::vector<inspection::Observation> observed;  // findings
  bool unlisted = false;                          // findings
};
Result<InspectionStepRequest> ParseInspectionStep(std::string_view step, std::string_view body);

class InspectionApi {
 public:
  // `token` is the operator's (party_api.h); `node_key` signs deliveries. All must outlive this.
  // `inbox_generation` grows with each document the node stores in its inbox.
  InspectionApi(const NodeLayout& layout, const Trust& trust, const PartyInfo& self,
                const Mirror& mirror, const tlog::NoteSigner& node_key, const TreatyClock& clock,
                std::string token, const std::atomic<uint64_t>& inbox_generation);
  void AddRoutes(server::Router& router);

  server::HttpResponse Step(const std::string& step, const server::HttpRequest& request);
  server::HttpResponse Show(const server::HttpRequest& request) const;

 private:
  struct Source;
  Result<std::unique_ptr<Source>> LoadSource() const;
  // The last source read, or a fresh one when a log or the documents changed since.
  Result<std::shared_ptr<const Source>> CurrentSource() const;
  server::HttpResponse Write(const InspectionStepRequest& r, const Source& source,
                             const inspection::Action& action, int64_t now,
                             std::unique_lock<std::mutex>& lock);
  // Delivers every document this party holds for inspection `id` to `to`; "" when all arrived.
  std::string Deliver(const std::string& id, const std::string& to) const;
  std::string OtherParty(const Source& source, const std::string& id) const;
  bool Authorized(const server::HttpRequest& request) const;

  NodeLayout layout_;
  const Trust& trust_;
  const PartyInfo& self_;
  const Mirror& mirror_;
  const tlog::NoteSigner& node_key_;
  const TreatyClock& clock_;
  std::string token_;
  const std::atomic<uint64_t>& inbox_generation_;
  treaty::TreatySet treaties_;
  std::mutex write_mu_;
  mutable std::mutex cache_mu_;
  mutable std::shared_ptr<const Source> cached_;
  mutable std::string cached_key_;
};

}  // namespace tally::node

#endif  // TALLY_NODE_INSPECTION_API_H_
