// Ed25519 signatures (RFC 8032, pure Ed25519) via libsodium, which is ~1.7x faster than OpenSSL's
// EVP interface on the target machine (baselines.md).
//
// Security promise: EUF-CMA unforgeability of Ed25519; signing is deterministic (no nonce to get
// wrong); the private key lives only in SecretBytes and is wiped when the key object dies.
// Verification is libsodium's, which rejects non-canonical S and small-order public keys.
// Errors: FromSeed rejects a seed that is not 32 bytes (InvalidArgument).
// Ownership: Ed25519PrivateKey owns its secret. Thread safety: const methods are safe to call from
// several threads at once.
#ifndef TALLY_CRYPTO_ED25519_H_
#define TALLY_CRYPTO_ED25519_H_

#include <array>
#include <cstdint>
#include <span>

#include "tally/base/result.h"
#include "tally/crypto/random.h"
#include "tally/crypto/secret_bytes.h"

namespace tally::crypto {

inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

using Ed25519PublicKey = std::array<uint8_t, kEd25519PublicKeySize>;
using Ed25519Signature = std::array<uint8_t, kEd25519SignatureSize>;

class Ed25519PrivateKey {
 public:
  static Ed25519PrivateKey Generate(RandomSource& random = SystemRandom());
  static Result<Ed25519PrivateKey> FromSeed(std::span<const uint8_t> seed);

  Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept = default;

  const Ed25519PublicKey& public_key() const { return public_key_; }
  // The 32-byte RFC 8032 seed: the whole secret. Handle it as a secret.
  const SecretBytes& seed() const { return seed_; }
  Ed25519Signature Sign(std::span<const uint8_t> message) const;

 private:
  Ed25519PrivateKey() = default;
  SecretBytes seed_;
  SecretBytes expanded_;  // libsodium's 64-byte secret key (seed || public key)
  Ed25519PublicKey public_key_{};
};

bool Ed25519Verify(const Ed25519PublicKey& key, std::span<const uint8_t> message,
                   std::span<const uint8_t> signature);

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_ED25519_H_
