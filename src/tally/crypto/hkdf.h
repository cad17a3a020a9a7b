// HKDF with HMAC-SHA256 (RFC 5869): Extract turns input keying material into a pseudorandom key,
// Expand stretches it into labelled output keys.
//
// Escrow uses it to derive, from one per-declaration secret, independent keys for salts, leaf
// order and dummy leaves (escrow/salts.h), so that revealing one derived value tells nothing
// about the others.
// Security promise: RFC 5869's — outputs for distinct `info` labels are independent pseudorandom
// keys as long as the input secret has enough entropy (tally's secrets are 32 random bytes).
// Errors: InvalidArgument when more than 255 * 32 bytes are requested.
// Ownership: results are SecretBytes that wipe themselves. Thread safety: reentrant.
#ifndef TALLY_CRYPTO_HKDF_H_
#define TALLY_CRYPTO_HKDF_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "tally/base/result.h"
#include "tally/crypto/secret_bytes.h"

namespace tally::crypto {

// PRK = HMAC-SHA256(salt, ikm); an empty salt means 32 zero bytes (RFC 5869 §2.2).
SecretBytes HkdfExtract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm);
// OKM = T(1) || T(2) || ... truncated to `length` bytes.
Result<SecretBytes> HkdfExpand(std::span<const uint8_t> prk, std::span<const uint8_t> info,
                               size_t length);
// Extract then Expand.
Result<SecretBytes> Hkdf(std::span<const uint8_t> salt, std::span<const uint8_t> ikm,
                         std::span<const uint8_t> info, size_t length);

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_HKDF_H_
