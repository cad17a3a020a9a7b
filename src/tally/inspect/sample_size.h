// Sample-size planning: how many items to inspect for a target detection probability.
//
// SmallestSample is the exact answer: the smallest n with P_detect(N, r, n) >= target (P_miss is
// non-increasing in n, so a binary search finds it). IaeaSampleSize is the classic approximation
// n = ceil(N (1 - beta^(1/r))), beta = 1 - target, from solving (1 - n/N)^r = beta; it is never
// smaller than the exact n and, for safeguards-relevant cases, at most 3 larger. The ceiling is
// taken with a tolerance so that a product that lands on an integer in exact arithmetic (N=100,
// beta=0.1, r=1 gives 90) is not pushed up by rounding error.
#ifndef TALLY_INSPECT_SAMPLE_SIZE_H_
#define TALLY_INSPECT_SAMPLE_SIZE_H_

#include <cstdint>

#include "tally/base/result.h"

namespace tally::inspect {

// `target` in (0, 1]; r >= 1. Errors for out-of-range inputs. A target of 1 needs n = N - r + 1.
Result<uint64_t> SmallestSample(uint64_t items, uint64_t cheats, double target);
Result<uint64_t> IaeaSampleSize(uint64_t items, uint64_t cheats, double target);

}  // namespace tally::inspect

#endif  // TALLY_INSPECT_SAMPLE_SIZE_H_
