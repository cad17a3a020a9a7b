#include "tally/stats/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tally::stats {

double QuantileSorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  p = std::clamp(p, 0.0, 1.0);
  const double h = p * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<double> Quantiles(std::span<double> sample, std::span<const double> ps) {
  std::vector<double> out(ps.size(), std::numeric_limits<double>::quiet_NaN());
  const size_t n = sample.size();
  if (n == 0) return out;
  // Selection instead of a full sort: only the order statistics around each p are placed, in
  // ascending order of rank so that each nth_element works on what is left to the right. The
  // values are exactly those of the sorted sample (type 7 interpolation).
  std::vector<size_t> order(ps.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ps[a] < ps[b]; });
  size_t done = 0;  // sample[0, done) holds the smallest `done` values, in place
  auto place = [&](size_t k) {
    if (k < done) return;
    std::nth_element(sample.begin() + static_cast<std::ptrdiff_t>(done),
                     sample.begin() + static_cast<std::ptrdiff_t>(k), sample.end());
    done = k + 1;
  };
  for (size_t idx : order) {
    const double p = std::clamp(ps[idx], 0.0, 1.0);
    const double h = p * static_cast<double>(n - 1);
    const size_t lo = static_cast<size_t>(std::floor(h));
    const size_t hi = std::min(lo + 1, n - 1);
    place(lo);
    place(hi);
    out[idx] = sample[lo] + (h - static_cast<double>(lo)) * (sample[hi] - sample[lo]);
  }
  return out;
}

std::vector<double> WeightedQuantiles(std::span<const double> values,
                                      std::span<const double> weights, std::span<const double> ps) {
  std::vector<double> out(ps.size(), std::numeric_limits<double>::quiet_NaN());
  if (values.empty() || values.size() != weights.size()) return out;
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  double total = 0;
  for (double w : weights) total += w;
  if (!(total > 0)) return out;
  for (size_t k = 0; k < ps.size(); ++k) {
    const double target = ps[k] * total;
    double cumulative = 0;
    out[k] = values[order.back()];
    for (size_t i : order) {
      cumulative += weights[i];
      if (cumulative >= target) {
        out[k] = values[i];
        break;
      }
    }
  }
  return out;
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double NormalQuantile(double p) {
  if (p <= 0) return -std::numeric_limits<double>::infinity();
  if (p >= 1) return std::numeric_limits<double>::infinity();
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step against the exact CDF.
  const double e = NormalCdf(x) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace tally::stats
