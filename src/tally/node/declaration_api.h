// DeclarationApi: a party declares its inventory through its own node, as `tally declare --out
// STORE --log LOG` does, under the same rules (escrow/store.h):
//
//   POST /api/declarations   body: the item-level inventory CSV (docs/formats/inventory.md)
//
// The node commits it under escrow with a fresh secret into a store of its own,
// NODE/private/stores/<n>/ (0700; the inventory, its salts and secret never leave it), and puts
// the statement on the party's log, dated by the node's treaty clock (treaty_clock.h). The
// inspection steps open from these stores (inspection_api.h): each opening uses the store whose
// declaration the inspection pinned. The treaty is the network's (new-start when it names none).
//   201 {"store": "<n>", "index": <log index>, "items": <n>, "statement": {...}}
// 401 without the operator token; 400 for an inventory the escrow refuses (its message, naming
// the line); 409 when the log's latest entry is after the node's clock, or the clock is unset;
// 413 over 64 MiB. Nothing is logged unless the store was written whole, and a store whose
// statement could not be logged is removed.
// Thread safety: declarations are serialized.
#ifndef TALLY_NODE_DECLARATION_API_H_
#define TALLY_NODE_DECLARATION_API_H_

#include <mutex>
#include <string>
#include <vector>

#include "tally/node/node_config.h"
#include "tally/node/treaty_clock.h"
#include "tally/node/trust.h"
#include "tally/server/router.h"
#include "tally/treaty/treaty_set.h"

namespace tally::node {

// The party's declaration stores, newest first: NODE/private/stores/<n> (highest n first), then
// NODE/private/store (one made by `tally declare --out` before the node, if any).
std::vector<std::string> DeclarationStores(const NodeLayout& layout);

class DeclarationApi {
 public:
  DeclarationApi(const NodeLayout& layout, const Trust& trust, const PartyInfo& self,
                 const TreatyClock& clock, const std::string& token);
  void AddRoutes(server::Router& router);
  server::HttpResponse Declare(const server::HttpRequest& request);

 private:
  NodeLayout layout_;
  const Trust& trust_;
  const PartyInfo& self_;
  const TreatyClock& clock_;
  const std::string& token_;
  treaty::TreatySet treaties_;
  std::mutex mu_;
};

}  // namespace tally::node

#endif  // TALLY_NODE_DECLARATION_API_H_
