#include "tally/inspect/sample_size.h"

#include <cmath>
#include <string>

#include "tally/inspect/detection.h"

namespace tally::inspect {
namespace {

Status ValidatePlan(uint64_t items, uint64_t cheats, double target) {
  if (items == 0) return InvalidArgument("items: expected at least 1, got 0");
  if (cheats == 0 || cheats > items) {
    return InvalidArgument("cheats: expected 1 to items (" + std::to_string(items) + "), got " +
                           std::to_string(cheats));
  }
  if (!(target > 0.0 && target <= 1.0)) {
    return InvalidArgument("target: expected a detection probability in (0, 1], got " +
                           std::to_string(target));
  }
  return Status::Ok();
}

}  // namespace

Result<uint64_t> SmallestSample(uint64_t items, uint64_t cheats, double target) {
  TALLY_RETURN_IF_ERROR(ValidatePlan(items, cheats, target));
  const double beta = 1.0 - target;
  // Relative slack so that a target met in exact arithmetic (0.9 at N=10, r=1, n=9) is met here.
  const double slack = 1e-12;
  uint64_t lo = 0, hi = items - cheats + 1;  // P_miss(hi) = 0 <= beta always
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    TALLY_ASSIGN_OR_RETURN(double miss, MissProbability({items, cheats, mid}));
    if (miss <= beta + slack) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

Result<uint64_t> IaeaSampleSize(uint64_t items, uint64_t cheats, double target) {
  TALLY_RETURN_IF_ERROR(ValidatePlan(items, cheats, target));
  const long double beta = 1.0L - static_cast<long double>(target);
  const long double x = static_cast<long double>(items) *
                        (1.0L - std::pow(beta, 1.0L / static_cast<long double>(cheats)));
  const long double nearest = std::round(x);
  long double n = std::fabs(x - nearest) < 1e-9L * std::max(1.0L, x) ? nearest : std::ceil(x);
  if (n > static_cast<long double>(items)) n = static_cast<long double>(items);
  return static_cast<uint64_t>(n);
}

}  // namespace tally::inspect
