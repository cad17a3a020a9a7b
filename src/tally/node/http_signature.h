// RFC 9421 HTTP Message Signatures with Ed25519, as nodes sign their writes to each other
// (docs/formats/node-api.md, "Signed requests"). A signed request carries
//   Content-Digest: sha-256=:<base64 SHA-256(body)>:                       (RFC 9530)
//   Signature-Input: tally=("@method" "@path" "content-digest");created=<unix
//   s>;nonce="<n>";keyid="<party>";alg="ed25519" Signature: tally=:<base64 Ed25519 signature>:
// over the signature base of RFC 9421 §2.5 (one `"<component>": <value>` line per component,
// then `"@signature-params": <the Signature-Input value after "tally=">`), by the node key the
// network pins for party <keyid>.
// Verification is strict: exactly those components, in that order; `created` within `window`
// seconds of the clock and not before `not_before` (the node's start: a request signed before a
// restart is never accepted, so the in-memory nonce cache suffices); a nonce of 16-64
// [A-Za-z0-9_-] not seen within the window; the digest of the body; the signature.
// Errors: Unauthenticated requests (no or malformed signature headers, a bad signature, a stale or
// replayed request) are PermissionDenied with `unauthenticated` set (HTTP 401); a signature by a
// party the route does not accept is the caller's check (403).
// Thread safety: a NonceCache is internally locked; the functions are reentrant.
#ifndef TALLY_NODE_HTTP_SIGNATURE_H_
#define TALLY_NODE_HTTP_SIGNATURE_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/crypto/random.h"
#include "tally/node/trust.h"
#include "tally/server/http_message.h"
#include "tally/tlog/note.h"

namespace tally::node {

inline constexpr int64_t kSignatureWindowSeconds = 300;

struct SignatureParams {
  std::vector<std::string> components;
  int64_t created = 0;
  std::string nonce;
  std::string keyid;
  std::string alg;
};

// Parses a Signature-Input header value "tally=(...);created=...;..." (the subset of RFC 8941
// structured fields that RFC 9421 uses). Errors: InvalidArgument naming the part.
Result<SignatureParams> ParseSignatureInput(std::string_view header);
std::string ContentDigest(std::string_view body);

// Adds Content-Digest, Signature-Input and Signature for (method, path, body) to `headers`.
void SignRequest(const tlog::NoteSigner& node_key, const std::string& party, int64_t now,
                 std::string_view method, std::string_view path, std::string_view body,
                 std::vector<server::HttpHeader>& headers,
                 crypto::RandomSource& random = crypto::SystemRandom());

class NonceCache {
 public:
  // False when the nonce was seen within the window (a replay); records it otherwise.
  bool Admit(const std::string& keyid, const std::string& nonce, int64_t now);

 private:
  std::mutex mu_;
  std::map<std::string, int64_t> seen_;  // keyid + nonce -> expiry
};

struct VerifiedSigner {
  std::string party;
};

// The party whose node key signed `request`. On failure the Status says what was wrong and
// every failure is answered 401.
Result<VerifiedSigner> VerifyRequest(const server::HttpRequest& request, const Trust& trust,
                                     int64_t now, int64_t not_before, NonceCache& nonces);

}  // namespace tally::node

#endif  // TALLY_NODE_HTTP_SIGNATURE_H_
