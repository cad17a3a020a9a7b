#include "tally/inspect/site_walk.h"

#include <algorithm>
#include <atomic>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TALLY_WALK_SIMD 1
#endif

namespace tally::inspect::internal {
namespace {

// The walk tables. A year's visits form a Markov chain on the set S of sites visited so far: from
// S the next visit goes to site j outside S with probability w_j / L(S), L(S) the total weight
// outside S. The simulation walks that chain one or two visits per step. From S, two visits reach
// S + {a, b} by exactly two paths, a then b or b then a, so
//   P(S -> S + {a, b}) = w_a/L * w_b/(L - w_a) + w_b/L * w_a/(L - w_b),
// and one draw from that law is exactly two steps of the chain, except that it does not say in
// which order a and b were visited, which nothing downstream depends on (the rest of the year and
// its outcome depend on the set only). Each layer of the walk (the sets of one size d reachable
// at a step boundary) has one Walker alias table per set over its C(J - d, k) outcomes.
//
// A visit to site j misses with probability q_j = C(N_j - r_j, n_j) / C(N_j, n_j), the exact
// hypergeometric, computed once per site; the within-site samples are independent given the sites
// visited, and challenge inspections are independent of both. So given the year's set S the year
// goes unnoticed with probability q_c * prod_{j in S} q_j (q_c for the challenge inspections), and
// one uniform draw against that product, precomputed per final set, is an exact draw of the
// year's outcome. Sites without cheats have q_j = 1 and cost nothing.
//
// One step costs 32 random bits: the multiply-shift of the draw by the number of outcomes gives
// the table slot (high half) and the alias coin (low half; only its top 24 bits are compared, so
// each outcome's probability is represented to 2^-24 per slot, and the slot choice is uniform to
// within (outcomes) / 2^32). The year's outcome costs 32 more bits (threshold resolution 2^-32).
// Both are orders of magnitude below any Monte Carlo interval tally reports.
//
// A table entry packs the coin (24 bits) and the two candidate outcomes (20 bits each). An
// outcome is where the walk goes next: the offset of the next set's table in the next layer, or,
// after the last step, the final set's index in `year_miss`.
constexpr uint64_t kField = (uint64_t{1} << 20) - 1;
constexpr size_t kMaxWalkSites = 20;
// Tables beyond 2 MiB would fall out of a core's L2 cache; bigger regimes take the direct path.
constexpr size_t kMaxWalkEntries = size_t{1} << 18;

uint64_t Choose(uint64_t n, uint64_t k) {
  if (k > n) return 0;
  uint64_t c = 1;
  for (uint64_t i = 1; i <= k; ++i) c = c * (n - k + i) / i;  // exact: c * (n-k+i) = C * i
  return c;
}

uint64_t PackEntry(double keep, uint64_t primary, uint64_t alias) {
  const uint64_t coin = keep >= 1.0 ? 0xFFFFFFu : static_cast<uint64_t>(keep * 16777216.0);
  if (keep >= 1.0) alias = primary;  // a full slot never falls through to its alias
  return coin << 40 | primary << 20 | alias;
}

// Walker's alias method (Vose's variant) over `p` (any positive scale), written to `out`.
void BuildAlias(const std::vector<double>& p, const std::vector<uint64_t>& next, uint64_t* out) {
  const size_t k = p.size();
  double total = 0;
  for (double x : p) total += x;
  std::vector<double> scaled(k);
  std::vector<size_t> small, large;
  for (size_t i = 0; i < k; ++i) {
    scaled[i] = p[i] * static_cast<double>(k) / total;
    (scaled[i] < 1.0 ? small : large).push_back(i);
    out[i] = PackEntry(1.0, next[i], next[i]);
  }
  while (!small.empty() && !large.empty()) {
    const size_t lo = small.back(), hi = large.back();
    small.pop_back();
    out[lo] = PackEntry(scaled[lo], next[lo], next[hi]);
    scaled[hi] -= 1.0 - scaled[lo];
    if (scaled[hi] < 1.0) {
      large.pop_back();
      small.push_back(hi);
    }
  }
  // Whatever is left (rounding) keeps its own outcome with certainty, as packed above.
}

// A chunk of the walk: kWalkLanes trials advance in lockstep, each lane with its own generator,
// stats::Rng(the chunk generator's l-th draw), so that the dependent chain of one trial (entry ->
// next offset -> entry) overlaps with the others'. Lane l runs trials l, l + kWalkLanes, ... of the
// chunk. A trial detected in one year is detected: once all lanes are, their remaining years are
// skipped. Returns the chunk's detections.
constexpr size_t kWalkLanes = 32;

uint64_t WalkChunkScalar(const SiteWalk& w, uint64_t years, uint64_t n, stats::Rng& chunk_rng) {
  std::vector<stats::Rng> rng;
  rng.reserve(kWalkLanes);
  for (size_t l = 0; l < kWalkLanes; ++l) rng.emplace_back(chunk_rng.Next());
  const size_t steps = w.visits.size();
  uint64_t detections = 0;
  for (uint64_t t = 0; t < n; t += kWalkLanes) {
    uint64_t alive[kWalkLanes];
    for (size_t l = 0; l < kWalkLanes; ++l) alive[l] = 1;
    for (uint64_t y = 0; y < years; ++y) {
      uint64_t at[kWalkLanes] = {};
      uint64_t word[kWalkLanes] = {};
      for (size_t s = 0; s < steps; ++s) {
        if (!(s & 1)) {
          for (size_t l = 0; l < kWalkLanes; ++l) word[l] = rng[l].Next();
        }
        const uint64_t* table = w.slots[s].data();
        const uint64_t c = w.outcomes[s];
        const int shift = (s & 1) ? 32 : 0;
        for (size_t l = 0; l < kWalkLanes; ++l) {
          const uint64_t x = (word[l] >> shift & 0xFFFFFFFFu) * c;
          const uint64_t e = table[at[l] + (x >> 32)];
          // The coin decides by a shift, not a branch: it is a coin toss, so a branch would be
          // mispredicted half the time.
          const uint64_t keep = (x & 0xFFFFFFFFu) >> 8 < e >> 40;
          at[l] = e >> (20 * keep) & kField;
        }
      }
      if (!(steps & 1)) {
        for (size_t l = 0; l < kWalkLanes; ++l) word[l] = rng[l].Next();
      }
      const int shift = (steps & 1) ? 32 : 0;
      uint64_t any = 0;
      for (size_t l = 0; l < kWalkLanes; ++l) {
        alive[l] &= (word[l] >> shift & 0xFFFFFFFFu) < w.year_miss[at[l]];
        any |= alive[l];
      }
      if (!any) break;
    }
    const uint64_t valid = std::min<uint64_t>(kWalkLanes, n - t);
    for (size_t l = 0; l < valid; ++l) detections += !alive[l];
  }
  return detections;
}

#ifdef TALLY_WALK_SIMD
// GCC 12's AVX-512 shift and rotate intrinsics start from an undefined register, which
// -Wmaybe-uninitialized reports inside the intrinsic headers.
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// The state stats::Rng(seed) starts from (stream 0; SplitMix64 expansion as in rng.cc), so that
// the vector lanes draw exactly what the scalar lanes draw.
void LaneState(uint64_t seed, uint64_t st[4]) {
  uint64_t mixed = stats::SplitMix64(seed) ^ 0x8cb92ba72f3d8dd7ULL;
  for (size_t i = 0; i < 4; ++i) st[i] = stats::SplitMix64(mixed);
  if ((st[0] | st[1] | st[2] | st[3]) == 0) st[0] = 1;
}

std::atomic<WalkKernel> g_kernel_limit{WalkKernel::kAvx512};

bool CpuHas(WalkKernel k) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  return k == WalkKernel::kScalar || (k == WalkKernel::kAvx2 && avx2) ||
         (k == WalkKernel::kAvx512 && avx512);
}

// The same chunk as WalkChunkScalar, eight lanes to a 512-bit register, with the same arithmetic
// lane by lane, so the two return the same count (a test compares them). xoshiro256** runs in the
// registers from the state stats::Rng(seed) starts from (SplitMix64 expansion as in rng.cc);
// the multiplications by 5 and 9 are shifts and adds.
constexpr size_t kGroups = kWalkLanes / 8;

__attribute__((target("avx512f"), always_inline)) inline __m512i Xoshiro8(__m512i* s) {
  const __m512i r = _mm512_rol_epi64(_mm512_add_epi64(s[1], _mm512_slli_epi64(s[1], 2)), 7);
  const __m512i result = _mm512_add_epi64(r, _mm512_slli_epi64(r, 3));
  const __m512i t = _mm512_slli_epi64(s[1], 17);
  s[2] = _mm512_xor_si512(s[2], s[0]);
  s[3] = _mm512_xor_si512(s[3], s[1]);
  s[1] = _mm512_xor_si512(s[1], s[2]);
  s[0] = _mm512_xor_si512(s[0], s[3]);
  s[2] = _mm512_xor_si512(s[2], t);
  s[3] = _mm512_rol_epi64(s[3], 45);
  return result;
}

__attribute__((target("avx512f"))) uint64_t WalkChunkAvx512(const SiteWalk& w, uint64_t years,
                                                            uint64_t n, stats::Rng& chunk_rng) {
  alignas(64) uint64_t init[kGroups][4][8];
  for (size_t l = 0; l < kWalkLanes; ++l) {
    uint64_t st[4];
    LaneState(chunk_rng.Next(), st);
    for (size_t i = 0; i < 4; ++i) init[l / 8][i][l % 8] = st[i];
  }
  __m512i rng[kGroups][4];
  for (size_t g = 0; g < kGroups; ++g) {
    for (size_t i = 0; i < 4; ++i) rng[g][i] = _mm512_load_si512(init[g][i]);
  }
  const size_t steps = w.visits.size();
  const __m512i field = _mm512_set1_epi64(static_cast<long long>(kField));
  const __m512i low = _mm512_set1_epi64(0xFFFFFFFFll);
  const auto* year_miss = reinterpret_cast<const long long*>(w.year_miss.data());
  uint64_t detections = 0;
  for (uint64_t t = 0; t < n; t += kWalkLanes) {
    __mmask8 alive[kGroups];
    for (auto& a : alive) a = 0xFF;
    for (uint64_t y = 0; y < years; ++y) {
      __m512i at[kGroups], word[kGroups];
      for (size_t g = 0; g < kGroups; ++g) at[g] = _mm512_setzero_si512();
      for (size_t s = 0; s < steps; ++s) {
        if (!(s & 1)) {
#pragma GCC unroll 4
          for (size_t g = 0; g < kGroups; ++g) word[g] = Xoshiro8(rng[g]);
        }
        const auto* table = reinterpret_cast<const long long*>(w.slots[s].data());
        const __m512i c = _mm512_set1_epi64(static_cast<long long>(w.outcomes[s]));
#pragma GCC unroll 4
        for (size_t g = 0; g < kGroups; ++g) {
          const __m512i u = (s & 1) ? _mm512_srli_epi64(word[g], 32) : word[g];
          const __m512i x = _mm512_mul_epu32(u, c);  // low 32 bits of u times c
          const __m512i e =
              _mm512_i64gather_epi64(_mm512_add_epi64(at[g], _mm512_srli_epi64(x, 32)), table, 8);
          const __m512i coin = _mm512_srli_epi64(_mm512_and_si512(x, low), 8);
          const __mmask8 keep = _mm512_cmplt_epu64_mask(coin, _mm512_srli_epi64(e, 40));
          at[g] =
              _mm512_and_si512(_mm512_mask_blend_epi64(keep, e, _mm512_srli_epi64(e, 20)), field);
        }
      }
      if (!(steps & 1)) {
#pragma GCC unroll 4
        for (size_t g = 0; g < kGroups; ++g) word[g] = Xoshiro8(rng[g]);
      }
      unsigned any = 0;
#pragma GCC unroll 4
      for (size_t g = 0; g < kGroups; ++g) {
        const __m512i u =
            (steps & 1) ? _mm512_srli_epi64(word[g], 32) : _mm512_and_si512(word[g], low);
        const __m512i miss = _mm512_i64gather_epi64(at[g], year_miss, 8);
        alive[g] &= _mm512_cmplt_epu64_mask(u, miss);
        any |= alive[g];
      }
      if (!any) break;
    }
    const uint64_t valid = std::min<uint64_t>(kWalkLanes, n - t);
    uint64_t alive_bits = 0;
    for (size_t g = 0; g < kGroups; ++g) alive_bits |= uint64_t{alive[g]} << (8 * g);
    const uint64_t valid_bits = valid >= 64 ? ~uint64_t{0} : (uint64_t{1} << valid) - 1;
    detections += static_cast<uint64_t>(__builtin_popcountll(~alive_bits & valid_bits));
  }
  return detections;
}

// The AVX2 form of the same chunk: four lanes to a 256-bit register, rotations by shifts. Values
// compared are below 2^32, so AVX2's signed 64-bit comparison orders them correctly.
constexpr size_t kGroups2 = kWalkLanes / 4;

__attribute__((target("avx2"), always_inline)) inline __m256i Rotl4(__m256i x, int k) {
  return _mm256_or_si256(_mm256_slli_epi64(x, k), _mm256_srli_epi64(x, 64 - k));
}

__attribute__((target("avx2"), always_inline)) inline __m256i Xoshiro4(__m256i* s) {
  const __m256i r = Rotl4(_mm256_add_epi64(s[1], _mm256_slli_epi64(s[1], 2)), 7);
  const __m256i result = _mm256_add_epi64(r, _mm256_slli_epi64(r, 3));
  const __m256i t = _mm256_slli_epi64(s[1], 17);
  s[2] = _mm256_xor_si256(s[2], s[0]);
  s[3] = _mm256_xor_si256(s[3], s[1]);
  s[1] = _mm256_xor_si256(s[1], s[2]);
  s[0] = _mm256_xor_si256(s[0], s[3]);
  s[2] = _mm256_xor_si256(s[2], t);
  s[3] = Rotl4(s[3], 45);
  return result;
}

__attribute__((target("avx2"))) uint64_t WalkChunkAvx2(const SiteWalk& w, uint64_t years,
                                                       uint64_t n, stats::Rng& chunk_rng) {
  alignas(32) uint64_t init[kGroups2][4][4];
  for (size_t l = 0; l < kWalkLanes; ++l) {
    uint64_t st[4];
    LaneState(chunk_rng.Next(), st);
    for (size_t i = 0; i < 4; ++i) init[l / 4][i][l % 4] = st[i];
  }
  __m256i rng[kGroups2][4];
  for (size_t g = 0; g < kGroups2; ++g) {
    for (size_t i = 0; i < 4; ++i) {
      rng[g][i] = _mm256_load_si256(reinterpret_cast<const __m256i*>(init[g][i]));
    }
  }
  const size_t steps = w.visits.size();
  const __m256i field = _mm256_set1_epi64x(static_cast<long long>(kField));
  const __m256i low = _mm256_set1_epi64x(0xFFFFFFFFll);
  const auto* year_miss = reinterpret_cast<const long long*>(w.year_miss.data());
  uint64_t detections = 0;
  for (uint64_t t = 0; t < n; t += kWalkLanes) {
    __m256i alive[kGroups2];
    for (auto& a : alive) a = _mm256_set1_epi64x(-1);
    for (uint64_t y = 0; y < years; ++y) {
      __m256i at[kGroups2], word[kGroups2];
      for (size_t g = 0; g < kGroups2; ++g) at[g] = _mm256_setzero_si256();
      for (size_t s = 0; s < steps; ++s) {
        if (!(s & 1)) {
          for (size_t g = 0; g < kGroups2; ++g) word[g] = Xoshiro4(rng[g]);
        }
        const auto* table = reinterpret_cast<const long long*>(w.slots[s].data());
        const __m256i c = _mm256_set1_epi64x(static_cast<long long>(w.outcomes[s]));
#pragma GCC unroll 8
        for (size_t g = 0; g < kGroups2; ++g) {
          const __m256i u = (s & 1) ? _mm256_srli_epi64(word[g], 32) : word[g];
          const __m256i x = _mm256_mul_epu32(u, c);  // low 32 bits of u times c
          const __m256i e =
              _mm256_i64gather_epi64(table, _mm256_add_epi64(at[g], _mm256_srli_epi64(x, 32)), 8);
          const __m256i coin = _mm256_srli_epi64(_mm256_and_si256(x, low), 8);
          const __m256i keep = _mm256_cmpgt_epi64(_mm256_srli_epi64(e, 40), coin);
          at[g] = _mm256_and_si256(_mm256_blendv_epi8(e, _mm256_srli_epi64(e, 20), keep), field);
        }
      }
      if (!(steps & 1)) {
        for (size_t g = 0; g < kGroups2; ++g) word[g] = Xoshiro4(rng[g]);
      }
      int any = 0;
      for (size_t g = 0; g < kGroups2; ++g) {
        const __m256i u =
            (steps & 1) ? _mm256_srli_epi64(word[g], 32) : _mm256_and_si256(word[g], low);
        const __m256i miss = _mm256_i64gather_epi64(year_miss, at[g], 8);
        alive[g] = _mm256_and_si256(alive[g], _mm256_cmpgt_epi64(miss, u));
        any |= _mm256_movemask_pd(_mm256_castsi256_pd(alive[g]));
      }
      if (!any) break;
    }
    const uint64_t valid = std::min<uint64_t>(kWalkLanes, n - t);
    uint64_t alive_bits = 0;
    for (size_t g = 0; g < kGroups2; ++g) {
      const int bits = _mm256_movemask_pd(_mm256_castsi256_pd(alive[g]));
      alive_bits |= static_cast<uint64_t>(bits) << (4 * g);
    }
    const uint64_t valid_bits = valid >= 64 ? ~uint64_t{0} : (uint64_t{1} << valid) - 1;
    detections += static_cast<uint64_t>(__builtin_popcountll(~alive_bits & valid_bits));
  }
  return detections;
}

#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif  // TALLY_WALK_SIMD

}  // namespace

// Plans the steps of a year (two visits each where the tables fit, else one), or nothing when even
// one-visit tables would be too big.
bool PlanSiteWalk(size_t j_count, size_t visits, SiteWalk& w) {
  if (j_count > kMaxWalkSites) return false;
  for (uint32_t k : {2u, 1u}) {
    w.visits.clear();
    w.outcomes.clear();
    size_t entries = 0;
    bool fits = true;
    for (size_t d = 0; d < visits;) {
      const uint32_t s = static_cast<uint32_t>(std::min<size_t>(k, visits - d));
      const uint64_t layer = Choose(j_count, d) * Choose(j_count - d, s);
      fits = fits && layer <= kField && Choose(j_count, d + s) <= kField;
      entries += layer;
      w.visits.push_back(s);
      w.outcomes.push_back(Choose(j_count - d, s));
      d += s;
    }
    if (fits && entries <= kMaxWalkEntries) return true;
  }
  return false;
}

void BuildSiteWalk(const std::vector<double>& weight, const std::vector<double>& site_miss,
                   double challenge_miss, SiteWalk& w) {
  const size_t j_count = weight.size();
  // Sets of one size are numbered in increasing order of their bit masks.
  std::vector<uint32_t> rank(size_t{1} << j_count);
  std::vector<std::vector<uint32_t>> by_size(j_count + 1);
  for (uint32_t m = 0; m < rank.size(); ++m) {
    auto& list = by_size[static_cast<size_t>(__builtin_popcount(m))];
    rank[m] = static_cast<uint32_t>(list.size());
    list.push_back(m);
  }
  const size_t steps = w.visits.size();
  w.slots.assign(steps, {});
  std::vector<double> p;
  std::vector<uint64_t> next;
  size_t d = 0;
  for (size_t t = 0; t < steps; ++t) {
    const uint64_t c = w.outcomes[t];
    const uint64_t next_scale = t + 1 < steps ? w.outcomes[t + 1] : 1;
    w.slots[t].assign(by_size[d].size() * c, 0);
    for (size_t i = 0; i < by_size[d].size(); ++i) {
      const uint32_t set = by_size[d][i];
      double left = 0;
      for (size_t j = 0; j < j_count; ++j) {
        if (!(set >> j & 1)) left += weight[j];
      }
      p.clear();
      next.clear();
      for (size_t a = 0; a < j_count; ++a) {
        if (set >> a & 1) continue;
        if (w.visits[t] == 1) {
          p.push_back(weight[a] / left);
          next.push_back(rank[set | 1u << a] * next_scale);
          continue;
        }
        for (size_t b = a + 1; b < j_count; ++b) {
          if (set >> b & 1) continue;
          p.push_back(weight[a] / left * (weight[b] / (left - weight[a])) +
                      weight[b] / left * (weight[a] / (left - weight[b])));
          next.push_back(rank[set | 1u << a | 1u << b] * next_scale);
        }
      }
      BuildAlias(p, next, &w.slots[t][i * c]);
    }
    d += w.visits[t];
  }
  w.year_miss.clear();
  for (uint32_t set : by_size[d]) {
    long double miss = challenge_miss;
    for (size_t j = 0; j < j_count; ++j) {
      if (set >> j & 1) miss *= site_miss[j];
    }
    w.year_miss.push_back(miss >= 1.0L ? uint64_t{1} << 32
                                       : static_cast<uint64_t>(miss * 4294967296.0L));
  }
}

uint64_t WalkChunk(const SiteWalk& w, uint64_t years, uint64_t n, stats::Rng& chunk_rng) {
#ifdef TALLY_WALK_SIMD
  const WalkKernel limit = g_kernel_limit.load(std::memory_order_relaxed);
  if (limit >= WalkKernel::kAvx512 && CpuHas(WalkKernel::kAvx512)) {
    return WalkChunkAvx512(w, years, n, chunk_rng);
  }
  if (limit >= WalkKernel::kAvx2 && CpuHas(WalkKernel::kAvx2)) {
    return WalkChunkAvx2(w, years, n, chunk_rng);
  }
#endif
  return WalkChunkScalar(w, years, n, chunk_rng);
}

std::vector<WalkKernel> AvailableWalkKernels() {
  std::vector<WalkKernel> kernels = {WalkKernel::kScalar};
#ifdef TALLY_WALK_SIMD
  for (WalkKernel k : {WalkKernel::kAvx2, WalkKernel::kAvx512}) {
    if (CpuHas(k)) kernels.push_back(k);
  }
#endif
  return kernels;
}

void LimitWalkKernel(WalkKernel fastest) {
#ifdef TALLY_WALK_SIMD
  g_kernel_limit.store(fastest, std::memory_order_relaxed);
#else
  (void)fastest;
#endif
}

}  // namespace tally::inspect::internal
