// PartyApi: the JSON endpoints through which a party's own people work with its node — what the
// CLI does with the party's own data, under the same rules and through the same library calls.
//
//   GET  /api/status         this party's log (size) and every log it follows (verified size)
//   GET  /api/quotas?treaty=ID&date=YYYY-MM-DD
//                            inspections used and left per inspecting party and type, from this
//                            node's own log and its verified mirrors (inspection/ledger.h)
//   GET  /api/inspections.json
//                            every inspection on those logs, replayed from the logs alone
//                            (inspection::OverviewJson; a replay stops at the first step that
//                            needs a handed-over document, which a node never serves)
//   POST /api/notifications  operator only: puts a notification of this party on its own log
//                            (escrow::AppendNotification, as `tally notify add`), dated by the
//                            node's clock (a client cannot backdate or future-date it)
//
// Reads return what the logs already make public. A write needs the operator's bearer token
// (`Authorization: Bearer <token>`, the token in NODE/private/operator.token, 0600, made on first
// start): another party's node never writes here, it delivers to /inbox signed by its node key.
// Every error is application/problem+json naming the field: 401 without the token, 400 for a
// body that is not exactly the documented object (unknown keys, wrong types, bad dates, an event
// in the future, a notified day other than the node's), 409 when the log's latest entry is dated
// after the node's clock, 503 while another quota reading runs (readings are cached by the sizes
// of the logs they read).
// Thread safety: handlers may run concurrently; writes to the log are serialized.
#ifndef TALLY_NODE_PARTY_API_H_
#define TALLY_NODE_PARTY_API_H_

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "tally/base/result.h"
#include "tally/escrow/notification.h"
#include "tally/inspection/party_log.h"
#include "tally/node/mirror.h"
#include "tally/node/node_config.h"
#include "tally/node/treaty_clock.h"
#include "tally/node/trust.h"
#include "tally/server/router.h"
#include "tally/treaty/treaty_set.h"

namespace tally::node {

// The body of POST /api/notifications: exactly the keys treaty (default "new-start"), type, uid,
// event, notified (default: the day of `now`, seconds since the epoch), detail; all strings of at
// most 1000 bytes. The party is `party` (this node's); `notified`, when given, must be the day of
// `now`, and the event not after it. Errors name the field: "body.event: ...".
struct NotificationRequest {
  std::string treaty = "new-start";
  escrow::Notification n;
};
Result<NotificationRequest> ParseNotificationRequest(std::string_view text,
                                                     const std::string& party, int64_t now);

class PartyApi {
 public:
  // Reads (or makes) the operator token. Errors: IoError, PermissionDenied when others can read
  // the token file.
  static Result<std::unique_ptr<PartyApi>> Open(const NodeLayout& layout, const Trust& trust,
                                                const PartyInfo& self, const Mirror& mirror,
                                                const TreatyClock& clock);
  void AddRoutes(server::Router& router);

  server::HttpResponse Status() const;
  server::HttpResponse Quotas(const server::HttpRequest& request) const;
  server::HttpResponse Inspections() const;
  server::HttpResponse AddNotification(const server::HttpRequest& request);
  // The operator's bearer token, for the node's other operator endpoints (inspection_api.h).
  const std::string& token() const { return token_; }

 private:
  PartyApi(const NodeLayout& layout, const Trust& trust, const PartyInfo& self,
           const Mirror& mirror, const TreatyClock& clock, std::string token,
           treaty::TreatySet treaties);
  bool Authorized(const server::HttpRequest& request) const;
  // The sizes of the logs this node holds (its own and its mirrors'): what a cached reading
  // was made at.
  std::string HeldKey() const;
  // Reads and verifies them into `logs`, naming in `unread` each mirror that does not verify.
  // Returns the answer to give instead (503 while the own log does not verify), else nullopt.
  std::optional<server::HttpResponse> ReadHeld(inspection::Logs& logs,
                                               nlohmann::json& unread) const;

  NodeLayout layout_;
  const Trust& trust_;
  const PartyInfo& self_;
  const Mirror& mirror_;
  const TreatyClock& clock_;
  std::string token_;
  treaty::TreatySet treaties_;
  std::mutex write_mu_;
  mutable std::mutex quota_mu_;
  mutable std::string quota_key_,
      quota_body_;  // the last reading, and the log sizes it was made at
  mutable std::mutex inspections_mu_;
  mutable std::string inspections_key_, inspections_body_;
};

// Whether `request` carries `Authorization: Bearer <token>` (compared in constant time).
bool OperatorAuthorized(const server::HttpRequest& request, const std::string& token);
// The 401 of an operator route asked without the token (problem+json naming the header).
server::HttpResponse OperatorOnly();

// Where the operator token lives.
inline std::string OperatorTokenPath(const NodeLayout& layout) {
  return layout.Private() + "/operator.token";
}

}  // namespace tally::node

#endif  // TALLY_NODE_PARTY_API_H_
