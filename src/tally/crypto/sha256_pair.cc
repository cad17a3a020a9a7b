// Two SHA-256 computations of 65-byte messages interleaved on the x86 SHA extensions (SHA-NI).
//
// The SHA-NI round instruction is latency-bound: one message stream leaves most of the unit idle,
// so running two independent messages' rounds back to back gets nearly twice the throughput. This
// is the hot loop of building Merkle trees (leaf and node hashes are both 65-byte messages).
// Without SHA-NI (checked once with CPUID) both messages go through the OpenSSL path.
#include <cpuid.h>
#include <immintrin.h>

#include <cstring>

#include "tally/crypto/sha256.h"

namespace tally::crypto {
namespace {

alignas(16) constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

alignas(16) constexpr uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

bool HasShaNi() {
  static const bool has = [] {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return ssse3 && sse41 && ((b >> 29) & 1);
  }();
  return has;
}

#define TALLY_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// Compresses one 64-byte block of each stream into its state (ABEF/CDGH layout).
TALLY_SHA_TARGET inline void CompressPair(__m128i& s0a, __m128i& s1a, __m128i& s0b, __m128i& s1b,
                                          const unsigned char* pa, const unsigned char* pb) {
  const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  const __m128i save0a = s0a, save1a = s1a, save0b = s0b, save1b = s1b;
  __m128i wa[4], wb[4];
  for (int g = 0; g < 16; ++g) {
    const int i = g & 3;
    if (g < 4) {
      wa[i] =
          _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(pa + 16 * g)), mask);
      wb[i] =
          _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(pb + 16 * g)), mask);
    } else {
      // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four words at a time.
      wa[i] =
          _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(wa[i], wa[(g + 1) & 3]),
                                             _mm_alignr_epi8(wa[(g + 3) & 3], wa[(g + 2) & 3], 4)),
                               wa[(g + 3) & 3]);
      wb[i] =
          _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(wb[i], wb[(g + 1) & 3]),
                                             _mm_alignr_epi8(wb[(g + 3) & 3], wb[(g + 2) & 3], 4)),
                               wb[(g + 3) & 3]);
    }
    const __m128i k = _mm_load_si128(reinterpret_cast<const __m128i*>(kK + 4 * g));
    __m128i ma = _mm_add_epi32(wa[i], k);
    __m128i mb = _mm_add_epi32(wb[i], k);
    s1a = _mm_sha256rnds2_epu32(s1a, s0a, ma);
    s1b = _mm_sha256rnds2_epu32(s1b, s0b, mb);
    ma = _mm_shuffle_epi32(ma, 0x0E);
    mb = _mm_shuffle_epi32(mb, 0x0E);
    s0a = _mm_sha256rnds2_epu32(s0a, s1a, ma);
    s0b = _mm_sha256rnds2_epu32(s0b, s1b, mb);
  }
  s0a = _mm_add_epi32(s0a, save0a);
  s1a = _mm_add_epi32(s1a, save1a);
  s0b = _mm_add_epi32(s0b, save0b);
  s1b = _mm_add_epi32(s1b, save1b);
}

TALLY_SHA_TARGET inline void InitialState(__m128i& s0, __m128i& s1) {
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInitial));
  s1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInitial + 4));
  tmp = _mm_shuffle_epi32(tmp, 0xB1);   // CDAB
  s1 = _mm_shuffle_epi32(s1, 0x1B);     // EFGH
  s0 = _mm_alignr_epi8(tmp, s1, 8);     // ABEF
  s1 = _mm_blend_epi16(s1, tmp, 0xF0);  // CDGH
}

TALLY_SHA_TARGET inline void StoreDigest(__m128i s0, __m128i s1, Sha256Digest& out) {
  const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  const __m128i tmp = _mm_shuffle_epi32(s0, 0x1B);      // FEBA
  s1 = _mm_shuffle_epi32(s1, 0xB1);                     // DCHG
  const __m128i abcd = _mm_blend_epi16(tmp, s1, 0xF0);  // DCBA
  const __m128i efgh = _mm_alignr_epi8(s1, tmp, 8);     // HGFE
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data()), _mm_shuffle_epi8(abcd, mask));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data() + 16), _mm_shuffle_epi8(efgh, mask));
}

TALLY_SHA_TARGET void PairShaNi(uint8_t prefix, const uint8_t* a0, const uint8_t* b0,
                                const uint8_t* a1, const uint8_t* b1, Sha256Digest& out0,
                                Sha256Digest& out1) {
  alignas(16) unsigned char m0[128] = {}, m1[128] = {};
  for (unsigned char* m : {m0, m1}) {
    m[0] = prefix;
    m[65] = 0x80;
    m[126] = 0x02;  // 520 bits
    m[127] = 0x08;
  }
  std::memcpy(m0 + 1, a0, 32);
  std::memcpy(m0 + 33, b0, 32);
  std::memcpy(m1 + 1, a1, 32);
  std::memcpy(m1 + 33, b1, 32);
  __m128i s0a, s1a, s0b, s1b;
  InitialState(s0a, s1a);
  s0b = s0a;
  s1b = s1a;
  CompressPair(s0a, s1a, s0b, s1b, m0, m1);
  CompressPair(s0a, s1a, s0b, s1b, m0 + 64, m1 + 64);
  StoreDigest(s0a, s1a, out0);
  StoreDigest(s0b, s1b, out1);
}

}  // namespace

void Sha256Prefixed65Pair(uint8_t prefix, const uint8_t* a0, const uint8_t* b0, const uint8_t* a1,
                          const uint8_t* b1, Sha256Digest& out0, Sha256Digest& out1) {
  if (HasShaNi()) {
    PairShaNi(prefix, a0, b0, a1, b1, out0, out1);
    return;
  }
  Sha256Digest x, y;
  std::memcpy(x.data(), a0, 32);
  std::memcpy(y.data(), b0, 32);
  out0 = Sha256Prefixed(prefix, x, y);
  std::memcpy(x.data(), a1, 32);
  std::memcpy(y.data(), b1, 32);
  out1 = Sha256Prefixed(prefix, x, y);
}

}  // namespace tally::crypto
