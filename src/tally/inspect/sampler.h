// Sampler: a selection anyone can recompute from a seed.
//
// Inspections designate sites and items by a seed that every party contributed to
// (joint_randomness.h). Given the seed, the selection must be a deterministic, documented function,
// so that every party and any outside reader recomputes it from the log and gets the same answer.
// docs/formats/joint-randomness.md specifies it byte by byte, with test vectors:
//
//   block i   = SHA-256("tally/sample/v1" || seed[32] || u16be len(label) || label || u64be i)
//   draws     = the 64-bit big-endian words of block 0, then block 1, ... (4 per block)
//   below(n)  = the next draw x with x < 2^64 - (2^64 mod n), reduced mod n (rejection: unbiased)
//   select k of n: partial Fisher-Yates on [0, n): for i < k, swap a[i] with a[i + below(n - i)]
//
// SelectIdentifiers sorts the candidates by their bytes first, so a party's local order does not
// matter; the label separates independent purposes ("sites", "items/<site>") under one seed.
// Thread safety: a Sampler is a plain value; the free functions are reentrant.
#ifndef TALLY_INSPECT_SAMPLER_H_
#define TALLY_INSPECT_SAMPLER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"

namespace tally::inspect {

using Seed = std::array<uint8_t, 32>;

class Sampler {
 public:
  Sampler(const Seed& seed, std::string_view label);

  uint64_t Next();
  // Uniform on [0, n), n >= 1.
  uint64_t Below(uint64_t n);

 private:
  void Refill();
  Seed seed_;
  std::string label_;
  uint64_t block_ = 0;
  std::array<uint64_t, 4> words_{};
  size_t used_ = 4;
};

// k distinct indices of [0, n) in the order drawn; error if k > n.
Result<std::vector<uint64_t>> SelectIndices(const Seed& seed, std::string_view label, uint64_t n,
                                            uint64_t k);
// k distinct identifiers out of `candidates` (sorted bytewise first; duplicates are an error).
Result<std::vector<std::string>> SelectIdentifiers(const Seed& seed, std::string_view label,
                                                   std::vector<std::string> candidates, uint64_t k);

}  // namespace tally::inspect

#endif  // TALLY_INSPECT_SAMPLER_H_
