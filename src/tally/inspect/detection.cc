#include "tally/inspect/detection.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>

namespace tally::inspect {

Status Validate(const SamplingCase& c) {
  if (c.items == 0) return InvalidArgument("items: expected at least 1, got 0");
  if (c.cheats > c.items) {
    return InvalidArgument("cheats: expected at most items (" + std::to_string(c.items) +
                           "), got " + std::to_string(c.cheats));
  }
  if (c.sample > c.items) {
    return InvalidArgument("sample: expected at most items (" + std::to_string(c.items) +
                           "), got " + std::to_string(c.sample));
  }
  return Status::Ok();
}

Result<double> MissProbability(const SamplingCase& c) {
  TALLY_RETURN_IF_ERROR(Validate(c));
  const uint64_t k = std::min(c.cheats, c.sample);
  const uint64_t m = std::max(c.cheats, c.sample);
  if (k == 0) return 1.0;
  if (c.cheats + c.sample > c.items) return 0.0;  // every sample holds a defective item
  // log prod (N-m-i)/(N-i) = sum log1p(-m/(N-i)); long double keeps the sum exact enough.
  long double log_p = 0.0L;
  const long double n_items = static_cast<long double>(c.items);
  const long double mm = static_cast<long double>(m);
  for (uint64_t i = 0; i < k; ++i) {
    log_p += std::log1p(-mm / (n_items - static_cast<long double>(i)));
  }
  return static_cast<double>(std::exp(log_p));
}

Result<double> DetectionProbability(const SamplingCase& c) {
  TALLY_ASSIGN_OR_RETURN(double miss, MissProbability(c));
  return 1.0 - miss;
}

Result<double> MissProbabilityOverYears(const SamplingCase& c, uint64_t years) {
  TALLY_ASSIGN_OR_RETURN(double miss, MissProbability(c));
  return std::pow(miss, static_cast<double>(years));
}

Result<Fraction> ExactMissFraction(const SamplingCase& c, uint64_t max_factors) {
  TALLY_RETURN_IF_ERROR(Validate(c));
  using boost::multiprecision::cpp_int;
  const uint64_t k = std::min(c.cheats, c.sample);
  const uint64_t m = std::max(c.cheats, c.sample);
  if (k > max_factors) {
    return InvalidArgument("exact fraction needs " + std::to_string(k) +
                           " factors, more than the limit of " + std::to_string(max_factors));
  }
  if (k > 0 && c.cheats + c.sample > c.items) return Fraction{"0", "1"};
  cpp_int num = 1, den = 1;
  for (uint64_t i = 0; i < k; ++i) {
    num *= cpp_int(c.items - m - i);
    den *= cpp_int(c.items - i);
  }
  cpp_int g = boost::multiprecision::gcd(num, den);
  num /= g;
  den /= g;
  return Fraction{num.str(), den.str()};
}

}  // namespace tally::inspect
