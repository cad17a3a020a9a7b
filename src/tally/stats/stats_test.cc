#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tally/stats/rng.h"
#include "tally/stats/summary.h"

namespace tally::stats {
namespace {

TEST(RngTest, SameSeedAndStreamGiveSameSequence) {
  Rng a(42, 7), b(42, 7), c(42, 8), d(43, 7);
  bool differs_c = false, differs_d = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs_c |= x != c.Next();
    differs_d |= x != d.Next();
  }
  EXPECT_TRUE(differs_c);
  EXPECT_TRUE(differs_d);
}

TEST(RngTest, UniformAndNormalMoments) {
  Rng rng(1);
  double sum = 0, sum2 = 0, nsum = 0, nsum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
    const double z = rng.Normal();
    nsum += z;
    nsum2 += z * z;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  EXPECT_NEAR(sum2 / n - 0.25, 1.0 / 12, 0.005);
  EXPECT_NEAR(nsum / n, 0.0, 0.01);
  EXPECT_NEAR(nsum2 / n, 1.0, 0.02);
}

TEST(RngTest, BelowStaysInRange) {
  Rng rng(5);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 7000; ++i) ++counts[rng.Below(7)];
  for (int c : counts) EXPECT_GT(c, 800);
}

TEST(SummaryTest, QuantilesMatchNumpyLinear) {
  std::vector<double> x = {5, 1, 4, 2, 3};
  const std::vector<double> ps = {0.0, 0.25, 0.5, 0.9, 1.0};
  const auto q = Quantiles(x, ps);
  EXPECT_DOUBLE_EQ(q[0], 1);
  EXPECT_DOUBLE_EQ(q[1], 2);
  EXPECT_DOUBLE_EQ(q[2], 3);
  EXPECT_DOUBLE_EQ(q[3], 4.6);
  EXPECT_DOUBLE_EQ(q[4], 5);
}

// The selector must give Quantiles' bits, not close values: samples of every shape that reaches
// it (spreads, ties, a capped majority, all equal, extremes, special values, every size around
// its thresholds), each with every p including 0, 1 and the ensemble's bands.
TEST(SummaryTest, QuantileSelectorGivesQuantilesBits) {
  const std::vector<double> ps = {0.05, 0.25, 0.5, 0.75, 0.95, 0.0, 1.0, 0.5, 0.999, 1e-4, 0.3};
  const double inf = std::numeric_limits<double>::infinity();
  Rng rng(2026, 12);
  QuantileSelector selector;  // one for all samples: buffers left by a larger one must not leak
  std::vector<double> out(ps.size());
  int checked = 0;
  for (const size_t n : {0, 1, 2, 3, 17, 255, 256, 257, 1000, 4099, 10000, 40001}) {
    for (int shape = 0; shape < 10; ++shape) {
      std::vector<double> x(n);
      for (size_t i = 0; i < n; ++i) {
        const double u = rng.Uniform();
        switch (shape) {
          case 0:
            x[i] = rng.Normal(3700, 150);
            break;
          case 1:
            x[i] = std::round(rng.Uniform(0, 20));
            break;  // many ties
          case 2:
            x[i] = u < 0.9 ? 1550 : rng.Uniform(1000, 1550);
            break;  // mostly capped
          case 3:
            x[i] = 42.5;
            break;
          case 4:
            x[i] = u < 0.999 ? rng.Uniform(0, 1) : 1e300;
            break;  // one far outlier
          case 5:
            x[i] = 1.0 + static_cast<double>(i % 3) * 1e-320;
            break;  // subnormal spread
          case 6:
            x[i] = u < 0.01 ? inf : rng.Normal();
            break;
          case 7:
            x[i] = u < 0.01 ? std::nan("") : rng.Normal();
            break;
          case 8:
            x[i] = u < 0.5 ? 0.0 : (u < 0.6 ? -0.0 : rng.Uniform());
            break;
          default:
            x[i] = -static_cast<double>(i);
            break;  // descending
        }
      }
      std::vector<double> copy = x;
      const std::vector<double> want = Quantiles(copy, ps);
      selector.Select(x, ps, out);
      for (size_t k = 0; k < ps.size(); ++k) {
        EXPECT_EQ(std::bit_cast<uint64_t>(out[k]), std::bit_cast<uint64_t>(want[k]))
            << "n " << n << " shape " << shape << " p " << ps[k] << ": " << out[k] << " vs "
            << want[k];
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 120);
}

TEST(SummaryTest, WeightedQuantiles) {
  const std::vector<double> v = {10, 20, 30};
  const std::vector<double> w = {0.1, 0.1, 0.8};
  const std::vector<double> ps = {0.05, 0.15, 0.5};
  const auto q = WeightedQuantiles(v, w, ps);
  EXPECT_EQ(q[0], 10);
  EXPECT_EQ(q[1], 20);
  EXPECT_EQ(q[2], 30);
}

TEST(SummaryTest, NormalQuantileInvertsCdf) {
  for (double p : {1e-6, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999}) {
    EXPECT_NEAR(NormalCdf(NormalQuantile(p)), p, 1e-12 + 1e-9 * p);
  }
  EXPECT_NEAR(NormalQuantile(0.95), 1.6448536269514722, 1e-9);
}

}  // namespace
}  // namespace tally::stats
