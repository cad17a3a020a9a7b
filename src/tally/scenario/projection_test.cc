#include "tally/scenario/projection.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tally::scenario {
namespace {

Scenario Parse(const std::string& text) {
  auto sc = ParseScenario(text, "t.toml");
  EXPECT_TRUE(sc.ok()) << sc.error().ToString();
  return *sc;
}

constexpr char kHeader[] = R"([scenario]
name = "t"
start = 2025-01-01
end = 2035-01-01
step = "year"
)";

TEST(ProjectionTest, ConstantGrowthIsLinearAndCapped) {
  const Scenario sc = Parse(std::string(kHeader) + R"(
[[party]]
state = "CN"
quantity = "stockpile"
initial = 600
growth = 100
max = 1300
source = "t"
)");
  const auto path = CentralPath(sc);
  ASSERT_EQ(path.size(), 11u);
  EXPECT_NEAR(path[0], 600, 1e-9);
  // One calendar year is 365 or 366 days of a 365.2425-day year.
  EXPECT_NEAR(path[5], 1100, 0.5);
  EXPECT_DOUBLE_EQ(path[10], 1300);
}

TEST(ProjectionTest, PhaseCapHoldsOnlyWhileInForce) {
  const Scenario sc = Parse(std::string(kHeader) + R"(
[[party]]
state = "RU"
quantity = "deployed_warheads"
initial = 1500
growth = 200
source = "t"

[[phase]]
party = "RU"
from = 2025-01-01
until = 2028-01-01
cap = 1550
source = "observance"
)");
  const auto path = CentralPath(sc);
  EXPECT_DOUBLE_EQ(path[1], 1550);
  EXPECT_DOUBLE_EQ(path[2], 1550);
  // 2028-01-01 is the first day without the cap: a year's growth from 1,550.
  EXPECT_NEAR(path[3], 1750, 0.6);
  EXPECT_NEAR(path[4], 1950, 1.2);
}

TEST(ProjectionTest, RichardsonReactionCouplesParties) {
  const Scenario sc = Parse(std::string(kHeader) + R"(
[[party]]
state = "US"
quantity = "x"
initial = 1000
fatigue = 0.1
source = "t"

[[party]]
state = "RU"
quantity = "x"
initial = 1000
growth = 0
source = "t"

[[reaction]]
party = "US"
to = "RU"
coefficient = 0.1
source = "t"
)");
  // dx/dt = 0.1 y - 0.1 x with x = y = 1000: stays put; RU constant.
  const auto path = CentralPath(sc);
  for (size_t t = 0; t < 11; ++t) EXPECT_NEAR(path[t * 2], 1000, 1e-6);
}

constexpr char kEnsemble[] = R"([scenario]
name = "e"
start = 2025-01-01
end = 2035-01-01

[[party]]
state = "CN"
quantity = "stockpile"
initial = { dist = "normal", mean = 600, sd = 30 }
growth = { dist = "uniform", low = 50, high = 150 }
source = "t"

[[party]]
state = "US"
quantity = "stockpile"
initial = 3700
growth = { dist = "normal", mean = 0, sd = 50 }
source = "t"

[[reaction]]
party = "US"
to = "CN"
coefficient = { dist = "uniform", low = 0, high = 0.05 }
source = "t"

[[limit]]
id = "l"
quantity = "stockpile"
parties = ["CN"]
max = 1000
source = "t"
)";

TEST(ProjectionTest, SplitRangesEqualOneRunAndThreadsDoNotMatter) {
  const Scenario sc = Parse(kEnsemble);
  std::vector<double> all, a, b;
  ASSERT_TRUE(SimulateMembers(sc, 99, 0, 200, &all).ok());
  ASSERT_TRUE(SimulateMembers(sc, 99, 0, 73, &a, 2).ok());
  ASSERT_TRUE(SimulateMembers(sc, 99, 73, 200, &b, 3).ok());
  a.insert(a.end(), b.begin(), b.end());
  ASSERT_EQ(a, all);
  auto p1 = Summarize(sc, all, 200, 99, 1);
  auto p2 = Summarize(sc, a, 200, 99, 2);
  ASSERT_TRUE(p1.ok() && p2.ok());
  EXPECT_EQ(p1->bands[0].p50, p2->bands[0].p50);
  EXPECT_EQ(p1->bands[1].p95, p2->bands[1].p95);
}

TEST(ProjectionTest, BandsAreOrderedAndLimitShareIsCounted) {
  const Scenario sc = Parse(kEnsemble);
  auto p = Project(sc, 2000, 5);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  ASSERT_EQ(p->dates.size(), 121u);
  const Band& cn = p->bands[0];
  for (size_t t = 0; t < p->dates.size(); ++t) {
    EXPECT_LE(cn.p05[t], cn.p25[t]);
    EXPECT_LE(cn.p25[t], cn.p50[t]);
    EXPECT_LE(cn.p50[t], cn.p75[t]);
    EXPECT_LE(cn.p75[t], cn.p95[t]);
  }
  // After 10 years of uniform(50, 150) growth: median about 1,600, central exactly 1,600.
  EXPECT_NEAR(cn.central.back(), 1600, 2);
  EXPECT_NEAR(cn.p50.back(), 1600, 40);
  ASSERT_EQ(p->checks.size(), 1u);  // the CN limit only (US is not a party to it)
  const LimitCheck& c = p->checks[0];
  EXPECT_EQ(c.series, 0u);
  EXPECT_DOUBLE_EQ(c.share_over.front(), 0.0);
  EXPECT_DOUBLE_EQ(c.share_over.back(), 1.0);
  ASSERT_TRUE(c.central_first_over.has_value());
  EXPECT_EQ(c.central_first_over->year(), 2029);
  // A different seed changes the draws.
  auto q = Project(sc, 2000, 6);
  ASSERT_TRUE(q.ok());
  EXPECT_NE(q->bands[0].p50[60], p->bands[0].p50[60]);
}

TEST(ProjectionTest, RejectsBadMemberCounts) {
  const Scenario sc = Parse(kEnsemble);
  EXPECT_FALSE(Project(sc, 0, 1).ok());
  std::vector<double> v;
  EXPECT_FALSE(SimulateMembers(sc, 1, 0, 1000000, &v).ok());
  EXPECT_FALSE(Summarize(sc, std::vector<double>(5), 1, 1).ok());
}

}  // namespace
}  // namespace tally::scenario
