#include "tally/crypto/ed25519.h"

#include <sodium.h>

namespace tally::crypto {

static_assert(crypto_sign_SEEDBYTES == kEd25519SeedSize);
static_assert(crypto_sign_PUBLICKEYBYTES == kEd25519PublicKeySize);
static_assert(crypto_sign_BYTES == kEd25519SignatureSize);

Ed25519PrivateKey Ed25519PrivateKey::Generate(RandomSource& random) {
  SecretBytes seed(kEd25519SeedSize);
  random.Fill(seed.mutable_bytes());
  return std::move(FromSeed(seed.bytes()).value());
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromSeed(std::span<const uint8_t> seed) {
  if (seed.size() != kEd25519SeedSize) {
    return InvalidArgument("Ed25519 seed: expected 32 bytes, got " + std::to_string(seed.size()));
  }
  EnsureSodium();
  Ed25519PrivateKey key;
  key.seed_ = SecretBytes(seed);
  key.expanded_ = SecretBytes(crypto_sign_SECRETKEYBYTES);
  crypto_sign_seed_keypair(key.public_key_.data(), key.expanded_.mutable_bytes().data(),
                           seed.data());
  return key;
}

Ed25519Signature Ed25519PrivateKey::Sign(std::span<const uint8_t> message) const {
  Ed25519Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(),
                       expanded_.bytes().data());
  return sig;
}

bool Ed25519Verify(const Ed25519PublicKey& key, std::span<const uint8_t> message,
                   std::span<const uint8_t> signature) {
  if (signature.size() != kEd25519SignatureSize) return false;
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

}  // namespace tally::crypto
