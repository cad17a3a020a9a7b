// Two SHA-256 computations of 65-byte messages interleaved on the x86 SHA extensions (SHA-NI).
//
// The hot loop of building Merkle trees: leaf and node hashes are both 65-byte messages, and the
// SHA-NI round instruction is latency-bound, so two independent messages' rounds run back to
// back (sha256_lanes.h, which also falls back to a portable compression without SHA-NI).
#include <cstring>

#include "tally/crypto/sha256.h"
#include "tally/crypto/sha256_lanes.h"

namespace tally::crypto {

void Sha256Prefixed65Pair(uint8_t prefix, const uint8_t* a0, const uint8_t* b0, const uint8_t* a1,
                          const uint8_t* b1, Sha256Digest& out0, Sha256Digest& out1) {
  // prefix || a || b, then the padding of a 520-bit message: two blocks each.
  alignas(16) uint8_t m0[128] = {}, m1[128] = {};
  for (uint8_t* m : {m0, m1}) {
    m[0] = prefix;
    m[65] = 0x80;
    m[126] = 0x02;
    m[127] = 0x08;
  }
  std::memcpy(m0 + 1, a0, 32);
  std::memcpy(m0 + 33, b0, 32);
  std::memcpy(m1 + 1, a1, 32);
  std::memcpy(m1 + 33, b1, 32);
  ShaState s0 = ShaInitial(), s1 = ShaInitial();
  ShaCompress2(s0, m0, 2, s1, m1, 2);
  out0 = ShaDigest(s0);
  out1 = ShaDigest(s1);
}

}  // namespace tally::crypto
