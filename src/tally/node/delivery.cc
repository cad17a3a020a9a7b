#include "tally/node/delivery.h"

#include <vector>

#include "tally/node/http_signature.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/http_client.h"

namespace tally::node {

std::string DeliverDocument(const Trust& trust, const PartyInfo& self,
                            const tlog::NoteSigner& node_key, const std::string& to,
                            const std::string& document) {
  const PartyInfo* party = trust.FindParty(to);
  if (!party || party->url.empty()) return to + " has no node URL in the network";
  std::string base = party->url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string path = "/inbox/" + self.id;
  std::vector<server::HttpHeader> headers;
  SignRequest(node_key, self.id, static_cast<int64_t>(WallClockSeconds()), "POST", path, document,
              headers);
  headers.push_back({"content-type", "application/octet-stream"});
  server::HttpClient client;
  auto sent = client.Send("POST", base + path, headers, document);
  if (!sent.ok()) return to + "'s node: " + sent.error().message();  // our client's own words
  if (sent->status != 201) {
    // The other node's words, as printable ASCII: they end up in this node's JSON answers.
    std::string said = sent->body.substr(0, 200);
    for (char& c : said) {
      if (c < 0x20 || c > 0x7e) c = '?';
    }
    return to + "'s node answered " + std::to_string(sent->status) + ": " + said;
  }
  return "";
}

}  // namespace tally::node
