// SHA-256 (FIPS 180-4) over byte strings, incremental and one-shot.
//
// Backed by OpenSSL's low-level SHA-256, which uses the SHA-NI instructions where the CPU has them
// (the EVP one-shot interface costs a digest fetch per call and is ~3x slower for short inputs).
// Security promise: collision and second-preimage resistance of SHA-256; nothing here is
// constant-time with respect to the data, so do not hash secrets whose timing matters through a
// side channel you care about (hashing salts and keys for derivation is fine: SHA-256 itself has
// no data-dependent branches in OpenSSL's implementation).
// Errors: none; every function is total.
// Thread safety: a Sha256 object is not shared between threads; the free functions are
// reentrant.
#ifndef TALLY_CRYPTO_SHA256_H_
#define TALLY_CRYPTO_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace tally::crypto {

inline constexpr size_t kSha256Size = 32;
using Sha256Digest = std::array<uint8_t, kSha256Size>;

class Sha256 {
 public:
  Sha256();
  void Update(std::span<const uint8_t> data);
  void Update(std::string_view data);
  void Update(uint8_t byte);
  // Finishes the hash; the object must be Reset() before it is used again.
  Sha256Digest Final();
  void Reset();

 private:
  // Room for OpenSSL's SHA256_CTX (112 bytes), kept opaque so that no OpenSSL header leaks out.
  alignas(8) unsigned char ctx_[128];
};

Sha256Digest Sha256Of(std::span<const uint8_t> data);
Sha256Digest Sha256Of(std::string_view data);

// SHA-256(prefix || data) for short inputs (1 + data.size() <= 119 bytes, i.e. two compression
// blocks), with the padding laid out by hand so that only the compression function runs. This is
// the hot path of Merkle trees (a node is 0x01 || 32 || 32 bytes; a 64-byte leaf is 0x00 || 64).
// Longer inputs fall back to the incremental path; the result is identical either way.
Sha256Digest Sha256Prefixed(uint8_t prefix, std::span<const uint8_t> data);
// SHA-256(prefix || a || b) for two 32-byte halves: the Merkle node hash.
Sha256Digest Sha256Prefixed(uint8_t prefix, const Sha256Digest& a, const Sha256Digest& b);

// Two independent SHA-256(prefix || a || b) over 32-byte halves at once (a_i, b_i point at 32
// bytes each; a 64-byte leaf is a = data, b = data + 32). On CPUs with the SHA extensions the two
// messages' rounds are interleaved, which nearly doubles throughput (sha256_pair.cc); otherwise it
// is two calls of Sha256Prefixed. Results are identical either way. Outputs may not alias inputs.
void Sha256Prefixed65Pair(uint8_t prefix, const uint8_t* a0, const uint8_t* b0, const uint8_t* a1,
                          const uint8_t* b1, Sha256Digest& out0, Sha256Digest& out1);

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_SHA256_H_
