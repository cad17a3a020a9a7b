#include "tally/crypto/sha256_lanes.h"

#include <cpuid.h>
#include <immintrin.h>

#include <cstring>

namespace tally::crypto {
namespace {

alignas(16) constexpr uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

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

// ---- Portable compression (CPUs without the SHA extensions). ----

inline uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void CompressPortable(ShaState& s, const uint8_t* p) {
  uint32_t w[64];
  for (int t = 0; t < 16; ++t) {
    w[t] = (uint32_t{p[4 * t]} << 24) | (uint32_t{p[4 * t + 1]} << 16) |
           (uint32_t{p[4 * t + 2]} << 8) | uint32_t{p[4 * t + 3]};
  }
  for (int t = 16; t < 64; ++t) {
    const uint32_t s0 = Rotr(w[t - 15], 7) ^ Rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const uint32_t s1 = Rotr(w[t - 2], 17) ^ Rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = s.h[0], b = s.h[1], c = s.h[2], d = s.h[3];
  uint32_t e = s.h[4], f = s.h[5], g = s.h[6], h = s.h[7];
  for (int t = 0; t < 64; ++t) {
    const uint32_t t1 =
        h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + kRound[t] + w[t];
    const uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s.h[0] += a;
  s.h[1] += b;
  s.h[2] += c;
  s.h[3] += d;
  s.h[4] += e;
  s.h[5] += f;
  s.h[6] += g;
  s.h[7] += h;
}

// ---- SHA-NI. The state lives in two registers as ABEF and CDGH. ----

#define TALLY_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

TALLY_SHA_TARGET inline void Load(const ShaState& s, __m128i& abef, __m128i& cdgh) {
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.h));
  cdgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.h + 4));
  tmp = _mm_shuffle_epi32(tmp, 0xB1);
  cdgh = _mm_shuffle_epi32(cdgh, 0x1B);
  abef = _mm_alignr_epi8(tmp, cdgh, 8);
  cdgh = _mm_blend_epi16(cdgh, tmp, 0xF0);
}

TALLY_SHA_TARGET inline void Store(__m128i abef, __m128i cdgh, ShaState& s) {
  const __m128i tmp = _mm_shuffle_epi32(abef, 0x1B);
  cdgh = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(s.h), _mm_blend_epi16(tmp, cdgh, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(s.h + 4), _mm_alignr_epi8(cdgh, tmp, 8));
}

// Four message words of group g (rounds 4g .. 4g+3), from the previous four groups.
TALLY_SHA_TARGET inline __m128i Schedule(__m128i* w, int g, const uint8_t* p) {
  const int i = g & 3;
  if (g < 4) {
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * g)), mask);
  } else {
    w[i] = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w[i], w[(g + 1) & 3]),
                                              _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4)),
                                w[(g + 3) & 3]);
  }
  return w[i];
}

TALLY_SHA_TARGET void CompressNi(ShaState& s, const uint8_t* p, size_t n) {
  __m128i abef, cdgh;
  Load(s, abef, cdgh);
  for (size_t blk = 0; blk < n; ++blk, p += 64) {
    const __m128i save_abef = abef, save_cdgh = cdgh;
    __m128i w[4];
    for (int g = 0; g < 16; ++g) {
      const __m128i k = _mm_load_si128(reinterpret_cast<const __m128i*>(kRound + 4 * g));
      __m128i m = _mm_add_epi32(Schedule(w, g, p), k);
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(m, 0x0E));
    }
    abef = _mm_add_epi32(abef, save_abef);
    cdgh = _mm_add_epi32(cdgh, save_cdgh);
  }
  Store(abef, cdgh, s);
}

TALLY_SHA_TARGET void Compress2Ni(ShaState& sa, const uint8_t* a, ShaState& sb, const uint8_t* b,
                                  size_t n) {
  __m128i abef_a, cdgh_a, abef_b, cdgh_b;
  Load(sa, abef_a, cdgh_a);
  Load(sb, abef_b, cdgh_b);
  for (size_t blk = 0; blk < n; ++blk, a += 64, b += 64) {
    const __m128i sa0 = abef_a, sa1 = cdgh_a, sb0 = abef_b, sb1 = cdgh_b;
    __m128i wa[4], wb[4];
    for (int g = 0; g < 16; ++g) {
      const __m128i k = _mm_load_si128(reinterpret_cast<const __m128i*>(kRound + 4 * g));
      const __m128i ma = _mm_add_epi32(Schedule(wa, g, a), k);
      const __m128i mb = _mm_add_epi32(Schedule(wb, g, b), k);
      cdgh_a = _mm_sha256rnds2_epu32(cdgh_a, abef_a, ma);
      cdgh_b = _mm_sha256rnds2_epu32(cdgh_b, abef_b, mb);
      abef_a = _mm_sha256rnds2_epu32(abef_a, cdgh_a, _mm_shuffle_epi32(ma, 0x0E));
      abef_b = _mm_sha256rnds2_epu32(abef_b, cdgh_b, _mm_shuffle_epi32(mb, 0x0E));
    }
    abef_a = _mm_add_epi32(abef_a, sa0);
    cdgh_a = _mm_add_epi32(cdgh_a, sa1);
    abef_b = _mm_add_epi32(abef_b, sb0);
    cdgh_b = _mm_add_epi32(cdgh_b, sb1);
  }
  Store(abef_a, cdgh_a, sa);
  Store(abef_b, cdgh_b, sb);
}

}  // namespace

ShaState ShaInitial() {
  return ShaState{{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
                   0x1f83d9ab, 0x5be0cd19}};
}

void ShaCompress(ShaState& s, const uint8_t* p, size_t n) {
  if (HasShaNi()) {
    CompressNi(s, p, n);
    return;
  }
  for (size_t i = 0; i < n; ++i) CompressPortable(s, p + 64 * i);
}

void ShaCompress2(ShaState& sa, const uint8_t* a, size_t na, ShaState& sb, const uint8_t* b,
                  size_t nb) {
  if (!HasShaNi()) {
    ShaCompress(sa, a, na);
    ShaCompress(sb, b, nb);
    return;
  }
  const size_t both = na < nb ? na : nb;
  if (both > 0) Compress2Ni(sa, a, sb, b, both);
  if (na > both) CompressNi(sa, a + 64 * both, na - both);
  if (nb > both) CompressNi(sb, b + 64 * both, nb - both);
}

crypto::Sha256Digest ShaDigest(const ShaState& s) {
  crypto::Sha256Digest out;
  for (int i = 0; i < 8; ++i) {
    const uint32_t be = __builtin_bswap32(s.h[i]);
    std::memcpy(out.data() + 4 * i, &be, 4);
  }
  return out;
}

size_t ShaMessage::Pad(uint64_t absorbed) {
  const uint64_t bits = (absorbed + size_) * 8;
  const size_t blocks = (size_ + 8) / 64 + 1;                // room for 0x80 and the 64-bit length
  std::memset(buf_.data() + size_, 0, blocks * 64 - size_);  // Room() keeps 72 bytes spare
  buf_[size_] = 0x80;
  size_ = blocks * 64 - 8;
  PushU64(bits);
  return blocks;
}

}  // namespace tally::crypto
