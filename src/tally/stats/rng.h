// Rng: xoshiro256** (Blackman & Vigna, 2018), a small, fast, seedable pseudo-random generator,
// with the draws tally's Monte Carlo code needs (uniform, normal).
//
// Reproducibility is the point: a (seed, stream) pair always gives the same sequence on every
// platform, so an ensemble member's draws depend only on the ensemble seed and the member's index,
// never on how members are split across threads or MPI ranks. Seeds are expanded with SplitMix64
// as the xoshiro authors recommend. Not for secrets: use the crypto module for keys and salts.
//
// Thread safety: an Rng is a plain value with mutable state; give each thread its own.
#ifndef TALLY_STATS_RNG_H_
#define TALLY_STATS_RNG_H_

#include <array>
#include <cstdint>

namespace tally::stats {

// One step of SplitMix64: advances `state` and returns a well-mixed 64-bit value.
uint64_t SplitMix64(uint64_t& state);

class Rng {
 public:
  using result_type = uint64_t;

  // The generator for stream `stream` of `seed`: distinct streams are independent for practical
  // purposes (their states are SplitMix64 expansions of distinct 64-bit keys).
  explicit Rng(uint64_t seed, uint64_t stream = 0);

  // Defined inline: Monte Carlo inner loops draw hundreds of millions of values a second.
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  result_type operator()() { return Next(); }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~uint64_t{0}; }

  // Uniform on [0, 1) with 53 random bits.
  double Uniform();
  // Uniform on [low, high).
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  // Uniform integer on [0, n) without modulo bias; n must be > 0.
  uint64_t Below(uint64_t n);
  // Standard normal by the Marsaglia polar method (the spare value is kept for the next call).
  double Normal();
  double Normal(double mean, double sd) { return mean + sd * Normal(); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace tally::stats

#endif  // TALLY_STATS_RNG_H_
