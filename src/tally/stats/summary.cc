#include "tally/stats/summary.h"

#include <algorithm>
#include <cmath>
#include <cstring>
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

namespace {

// Below this size one selection on a copy costs less than the bucketing passes.
constexpr size_t kMinBucketed = 256;
// Histograms counted in turn, so that a run of values in one bucket (a capped series) does not
// make every increment wait for the previous one.
constexpr size_t kHistograms = 4;

// As Quantiles computes it, so that both give the same bits: the position of quantile p among n
// sorted values and the order statistics either side of it.
struct Position {
  double h;
  size_t lo, hi;
};
Position PositionOf(double p, size_t n) {
  p = std::clamp(p, 0.0, 1.0);
  const double h = p * static_cast<double>(n - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  return {h, lo, std::min(lo + 1, n - 1)};
}

}  // namespace

void QuantileSelector::Select(std::span<const double> x, std::span<const double> ps,
                              std::span<double> out) {
  const size_t n = x.size();
  auto by_quantiles = [&] {
    copy_.assign(x.begin(), x.end());
    const std::vector<double> q = Quantiles(copy_, ps);
    std::copy(q.begin(), q.end(), out.begin());
  };
  if (n < kMinBucketed) return by_quantiles();
  // Range and NaNs in independent vector lanes (a single running minimum would be a chain of
  // dependent instructions, and the compiler does not reorder min/max reductions itself). A NaN
  // makes its lane's `nan` NaN; min and max pass over it. `v < lo ? v : lo` on vectors is one
  // minpd, exactly the scalar comparison per lane.
  typedef double Pair __attribute__((vector_size(16)));
  constexpr size_t kPairs = 4;
  Pair lo_pair[kPairs], hi_pair[kPairs], nan_pair[kPairs];
  for (size_t l = 0; l < kPairs; ++l) {
    lo_pair[l] = hi_pair[l] = Pair{x[0], x[0]};
    nan_pair[l] = Pair{0.0, 0.0};
  }
  size_t i = 0;
  for (; i + 2 * kPairs <= n; i += 2 * kPairs) {
    for (size_t l = 0; l < kPairs; ++l) {
      Pair v;
      std::memcpy(&v, x.data() + i + 2 * l, sizeof v);
      lo_pair[l] = v < lo_pair[l] ? v : lo_pair[l];
      hi_pair[l] = hi_pair[l] < v ? v : hi_pair[l];
      nan_pair[l] += v - v;
    }
  }
  double lo = x[0], hi = x[0], nan = 0.0;
  for (size_t l = 0; l < kPairs; ++l) {
    for (size_t k = 0; k < 2; ++k) {
      lo = lo_pair[l][k] < lo ? lo_pair[l][k] : lo;
      hi = hi < hi_pair[l][k] ? hi_pair[l][k] : hi;
      nan += nan_pair[l][k];
    }
  }
  for (; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = hi < x[i] ? x[i] : hi;
    nan += x[i] - x[i];
  }
  // NaN, or an infinity (inf - inf is NaN).
  if (!(nan == 0.0)) return by_quantiles();
  if (lo <= 0.0 && hi >= 0.0) {
    for (const double v : x) {
      if (v == 0.0 && std::signbit(v)) return by_quantiles();
    }
  }

  ranks_.clear();
  for (const double p : ps) {
    const Position pos = PositionOf(p, n);
    ranks_.push_back(pos.lo);
    ranks_.push_back(pos.hi);
  }
  std::sort(ranks_.begin(), ranks_.end());
  ranks_.erase(std::unique(ranks_.begin(), ranks_.end()), ranks_.end());
  rank_values_.assign(ranks_.size(), lo);
  // All values equal (and, without negative zeros, equal in bits): every order statistic is lo.
  if (lo < hi) {
    const size_t buckets = std::clamp<size_t>(n / 8, 16, 4096);
    const double scale = static_cast<double>(buckets) / (hi - lo);
    if (!std::isfinite(scale)) return by_quantiles();  // a subnormal range
    // (v - lo) * scale rounds monotonically, so a value in a lower bucket is never larger than
    // one in a higher bucket: the k-th smallest value is in the bucket where the counts reach k.
    const double top = static_cast<double>(buckets - 1);
    bucket_.resize(n);
    for (size_t k = 0; k < n; ++k) {
      const double t = (x[k] - lo) * scale;
      bucket_[k] = static_cast<int32_t>(t < top ? t : top);
    }
    counts_.assign(kHistograms * buckets, 0);
    i = 0;
    for (; i + kHistograms <= n; i += kHistograms) {
      for (size_t h = 0; h < kHistograms; ++h) {
        ++counts_[h * buckets + static_cast<size_t>(bucket_[i + h])];
      }
    }
    for (; i < n; ++i) ++counts_[static_cast<size_t>(bucket_[i])];
    for (size_t b = 0; b < buckets; ++b) {
      for (size_t h = 1; h < kHistograms; ++h) counts_[b] += counts_[h * buckets + b];
    }

    slot_.assign(buckets, -1);
    segment_start_.clear();
    rank_segment_.clear();
    rank_offset_.clear();
    size_t b = 0, before = 0, picked = 0;
    for (const size_t r : ranks_) {
      while (before + counts_[b] <= r) before += counts_[b++];
      if (slot_[b] < 0) {
        slot_[b] = static_cast<int32_t>(segment_start_.size());
        segment_start_.push_back(picked);
        picked += counts_[b];
      }
      rank_segment_.push_back(static_cast<size_t>(slot_[b]));
      rank_offset_.push_back(r - before);
    }
    segment_start_.push_back(picked);  // the end of the last segment
    picked_.resize(picked);
    segment_fill_.assign(segment_start_.begin(), segment_start_.end());
    for (size_t k = 0; k < n; ++k) {
      const int32_t s = slot_[static_cast<size_t>(bucket_[k])];
      if (s >= 0) picked_[segment_fill_[static_cast<size_t>(s)]++] = x[k];
    }
    for (size_t k = 0; k < ranks_.size(); ++k) {
      const auto first =
          picked_.begin() + static_cast<std::ptrdiff_t>(segment_start_[rank_segment_[k]]);
      const auto last =
          picked_.begin() + static_cast<std::ptrdiff_t>(segment_start_[rank_segment_[k] + 1]);
      const auto nth = first + static_cast<std::ptrdiff_t>(rank_offset_[k]);
      std::nth_element(first, nth, last);
      rank_values_[k] = *nth;
    }
  }
  auto value = [&](size_t rank) {
    return rank_values_[static_cast<size_t>(std::lower_bound(ranks_.begin(), ranks_.end(), rank) -
                                            ranks_.begin())];
  };
  for (size_t k = 0; k < ps.size(); ++k) {
    const Position pos = PositionOf(ps[k], n);
    const double a = value(pos.lo), c = value(pos.hi);
    out[k] = a + (pos.h - static_cast<double>(pos.lo)) * (c - a);
  }
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
