// Detection probability of attribute sampling without replacement.
//
// N accountable items, r of them defective (overloaded, falsified, undeclared); an inspector
// draws n of the N uniformly without replacement. The cheat goes unseen with probability
//   P_miss = C(N-r, n) / C(N, n) = prod_{i<k} (N-m-i)/(N-i),  k = min(r, n), m = max(r, n)
// (the hypergeometric P[X = 0]; the two product forms are equal by the symmetry
// C(N-r,n)/C(N,n) = C(N-n,r)/C(N,r)), and is caught with P_detect = 1 - P_miss.
//
// MissProbability sums log1p terms in long double over the shorter product, so it stays accurate
// (relative error ~1e-15 for the reference cases, ~1e-12 at N = 10^7) where C(N, n) itself would
// overflow any float. ExactMissFraction returns the reduced fraction with arbitrary-precision
// integers, for tests and for users who want the rational (e.g. 110983/190120).
// All functions are pure and thread-safe.
#ifndef TALLY_INSPECT_DETECTION_H_
#define TALLY_INSPECT_DETECTION_H_

#include <cstdint>
#include <string>

#include "tally/base/result.h"

namespace tally::inspect {

struct SamplingCase {
  uint64_t items = 0;   // N >= 1
  uint64_t cheats = 0;  // r <= N
  uint64_t sample = 0;  // n <= N
};

// An error names the offending quantity (r > N, n > N, N = 0).
Status Validate(const SamplingCase& c);

Result<double> MissProbability(const SamplingCase& c);
Result<double> DetectionProbability(const SamplingCase& c);

// The probability of missing a cheat that persists over `years` treaty years, with a fresh
// sample of c.sample items each year and years independent: P_miss^years.
Result<double> MissProbabilityOverYears(const SamplingCase& c, uint64_t years);

struct Fraction {
  std::string numerator;    // decimal digits
  std::string denominator;  // decimal digits, >= 1
};
// The exact reduced fraction of P_miss. Refused (kInvalidArgument) when min(r, n) > max_factors,
// since the integers then grow to millions of digits.
Result<Fraction> ExactMissFraction(const SamplingCase& c, uint64_t max_factors = 20000);

}  // namespace tally::inspect

#endif  // TALLY_INSPECT_DETECTION_H_
