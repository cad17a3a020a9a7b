// HMAC-SHA256 (RFC 2104, FIPS 198-1) with the key schedule computed once.
//
// HmacSha256Key holds the SHA-256 states after absorbing (key ^ ipad) and (key ^ opad), so each
// Mac() costs only the message blocks plus one outer block: this is what makes deriving a salt
// per item of a million-item declaration cheap (escrow/salts.h).
// Security promise: HMAC-SHA256 is a PRF under the usual assumption on SHA-256's compression
// function; outputs for distinct messages are independent-looking 32-byte strings to anyone
// without the key. The key states are key material: they are wiped when the object dies.
// Errors: none; every function is total (keys longer than 64 bytes are hashed first, per RFC).
// Thread safety: a const HmacSha256Key may be used from several threads at once (Mac copies the
// precomputed state).
#ifndef TALLY_CRYPTO_HMAC_H_
#define TALLY_CRYPTO_HMAC_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "tally/crypto/sha256.h"

namespace tally::crypto {

class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::span<const uint8_t> key);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;

  Sha256Digest Mac(std::span<const uint8_t> message) const;
  // MAC of the concatenation a || b, without building it.
  Sha256Digest Mac(std::span<const uint8_t> a, std::span<const uint8_t> b) const;

 private:
  Sha256 inner_;
  Sha256 outer_;
};

Sha256Digest HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> message);

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_HMAC_H_
