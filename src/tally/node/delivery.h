// Delivery: hands a partner-only document (an opening bundle, findings) to another party's node:
// POST <its url>/inbox/<this party>, RFC 9421-signed by this node's key (http_signature.h). The
// receiving node keeps it by its SHA-256, so delivering the same document twice is harmless.
// Errors: a message naming the recipient and what went wrong ("" when the document arrived): no
// URL in the network, the connection, or the answer other than 201.
// Thread safety: reentrant.
#ifndef TALLY_NODE_DELIVERY_H_
#define TALLY_NODE_DELIVERY_H_

#include <string>

#include "tally/node/trust.h"
#include "tally/tlog/note.h"

namespace tally::node {

std::string DeliverDocument(const Trust& trust, const PartyInfo& self,
                            const tlog::NoteSigner& node_key, const std::string& to,
                            const std::string& document);

}  // namespace tally::node

#endif  // TALLY_NODE_DELIVERY_H_
