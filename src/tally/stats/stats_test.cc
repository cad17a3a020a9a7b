#include <gtest/gtest.h>

#include <cmath>
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
