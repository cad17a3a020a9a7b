#include "tally/scenario/projection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "tally/base/file.h"
#include "tally/stats/rng.h"

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

// FNV-1a over the bit patterns of every figure a projection holds (dates, bands, central path,
// shares over limits, first dates over), so that a test can pin an output to the last bit: a
// faster implementation must reproduce the draws, the arithmetic and the order statistics
// exactly, not merely closely.
class Fingerprint {
 public:
  void Add(uint64_t v) {
    for (int k = 0; k < 8; ++k) {
      hash_ ^= (v >> (8 * k)) & 0xff;
      hash_ *= 1099511628211ULL;
    }
  }
  void Add(double v) { Add(std::bit_cast<uint64_t>(v)); }
  void Add(const std::vector<double>& v) {
    Add(static_cast<uint64_t>(v.size()));
    for (double x : v) Add(x);
  }
  void Add(const std::optional<Date>& d) {
    Add(uint64_t{d.has_value()});
    if (d) Add(static_cast<uint64_t>(d->days()));
  }
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 14695981039346656037ULL;
};

uint64_t Hash(const Projection& p) {
  Fingerprint f;
  f.Add(static_cast<uint64_t>(p.members));
  f.Add(p.seed);
  for (const Date& d : p.dates) f.Add(static_cast<uint64_t>(d.days()));
  for (const Band& b : p.bands) {
    for (const auto* v : {&b.p05, &b.p25, &b.p50, &b.p75, &b.p95, &b.central}) f.Add(*v);
  }
  for (const LimitCheck& c : p.checks) {
    f.Add(static_cast<uint64_t>(c.limit));
    f.Add(static_cast<uint64_t>(c.series));
    f.Add(c.share_over);
    f.Add(c.max_share_over);
    f.Add(c.central_first_over);
    f.Add(c.median_first_over);
  }
  return f.value();
}

uint64_t Hash(const std::vector<double>& paths) {
  Fingerprint f;
  f.Add(paths);
  return f.value();
}

std::string Hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Every feature of the dynamics at once: normal, uniform and constant parameters, floors,
// capacities and rate limits (and a series with none), four reactions, a growth override with a
// drawn rate, a cap-only phase (no draw), a phase with both, and limits with parties and dates.
constexpr char kPinned[] = R"([scenario]
name = "pin"
start = 2025-01-01
end = 2034-12-01

[[party]]
state = "US"
quantity = "total_warheads"
initial = { dist = "normal", mean = 3700, sd = 50 }
growth = { dist = "normal", mean = 0, sd = 30 }
fatigue = { dist = "uniform", low = 0.01, high = 0.04 }
min = 1000
max = 5000
max_rate = 400
source = "t"

[[party]]
state = "RU"
quantity = "total_warheads"
initial = { dist = "uniform", low = 4000, high = 4600 }
growth = 10
fatigue = 0.03
max_rate = 300
source = "t"

[[party]]
state = "CN"
quantity = "total_warheads"
initial = { dist = "normal", mean = 600, sd = 40 }
growth = { dist = "uniform", low = 60, high = 140 }
max = 1500
source = "t"

[[party]]
id = "US-deployed"
state = "US"
quantity = "deployed_warheads"
initial = 1700
growth = { dist = "normal", mean = 0, sd = 40 }
max_rate = 250
source = "t"

[[reaction]]
party = "US"
to = "RU"
coefficient = { dist = "uniform", low = 0.015, high = 0.04 }
source = "t"

[[reaction]]
party = "US"
to = "CN"
coefficient = { dist = "uniform", low = 0.0, high = 0.1 }
source = "t"

[[reaction]]
party = "RU"
to = "US"
coefficient = { dist = "uniform", low = 0.015, high = 0.04 }
source = "t"

[[reaction]]
party = "US-deployed"
to = "RU"
coefficient = 0.01
source = "t"

[[phase]]
party = "US-deployed"
from = 2026-02-05
until = 2027-02-05
cap = 1550
source = "t"

[[phase]]
party = "CN"
from = 2028-01-01
growth = { dist = "normal", mean = 150, sd = 30 }
source = "t"

[[phase]]
party = "RU"
from = 2029-01-01
until = 2031-01-01
growth = { dist = "uniform", low = -100, high = 0 }
cap = 4400
source = "t"

[[limit]]
id = "trilateral"
quantity = "total_warheads"
max = 4000
from = 2027-01-01
source = "t"

[[limit]]
id = "cn"
quantity = "total_warheads"
parties = ["CN"]
max = 1000
source = "t"

[[limit]]
id = "new-start"
quantity = "deployed_warheads"
max = 1550
until = 2026-02-05
source = "t"
)";

// Outputs of the implementation before the structure-of-arrays rewrite (issue 12), pinned so
// that the rewrite is held to the same bits: the bench's own workload (the shipped three-party
// scenario, 10,000 members, 120 months), the scenario above monthly with an odd member count
// (vector loops have a tail), and yearly.
TEST(ProjectionPinned, ShippedArmsRaceScenarioIsUnchanged) {
  std::string path = TALLY_SOURCE_DIR;
  path += "/data/scenarios/arms-race-3party.toml";
  auto text = ReadFile(path);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  auto sc = ParseScenario(*text, path);
  ASSERT_TRUE(sc.ok()) << sc.error().ToString();
  sc->end = sc->start.AddMonths(119);
  auto p = Project(*sc, 10000, 20260205);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(Hex(Hash(*p)), "0x6f3d63742813b7d7");
  // A few figures in the clear, so that a failure shows how far off it is.
  EXPECT_EQ(p->bands[0].p50.back(), 0x1.0125eb1bfd9c8p+12);  // 4114.37
  EXPECT_EQ(p->bands[2].p05.back(), 0x1.69097d848e519p+10);  // 1444.15
  EXPECT_EQ(p->bands[1].p95[60], 0x1.1849054ddd2b9p+12);     // 4484.56
}

TEST(ProjectionPinned, EveryFeatureMonthlyIsUnchanged) {
  const Scenario sc = Parse(kPinned);
  std::vector<double> paths;
  ASSERT_TRUE(SimulateMembers(sc, 42, 0, 1001, &paths).ok());
  EXPECT_EQ(Hex(Hash(paths)), "0x4a13c899889c3628");
  EXPECT_EQ(Hex(Hash(CentralPath(sc))), "0xf0559dad50e75b23");
  auto p = Project(sc, 1001, 42);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  ASSERT_EQ(p->checks.size(), 5u);
  EXPECT_EQ(Hex(Hash(*p)), "0xf7a2ceceb797f569");
}

TEST(ProjectionPinned, EveryFeatureYearlyIsUnchanged) {
  Scenario sc = Parse(kPinned);
  sc.yearly = true;
  sc.end = sc.start.AddYears(20);
  auto p = Project(sc, 257, 7);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(Hex(Hash(*p)), "0x7808fffea928aede");
}

// Threads, member ranges and the split that MPI ranks use (SimulateMembers on disjoint ranges,
// concatenated, then Summarize) all give the single-process result, every figure of it.
TEST(ProjectionPinned, ThreadsAndRankSplitsGiveTheSameProjection) {
  const Scenario sc = Parse(kPinned);
  auto one = Project(sc, 1001, 42, 1);
  ASSERT_TRUE(one.ok());
  for (int threads : {2, 3, 8}) {
    auto p = Project(sc, 1001, 42, threads);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(Hash(*p), Hash(*one)) << threads << " threads";
  }
  // More threads than members, or than blocks of members.
  for (int members : {1, 3, 300}) {
    auto few = Project(sc, members, 42, 1);
    auto many = Project(sc, members, 42, 8);
    ASSERT_TRUE(few.ok() && many.ok());
    EXPECT_EQ(Hash(*few), Hash(*many)) << members << " members";
  }
  for (int ranks : {2, 3, 7}) {
    std::vector<double> all;
    for (int r = 0; r < ranks; ++r) {
      std::vector<double> mine;
      ASSERT_TRUE(SimulateMembers(sc, 42, 1001 * r / ranks, 1001 * (r + 1) / ranks, &mine, 2).ok());
      all.insert(all.end(), mine.begin(), mine.end());
    }
    auto p = Summarize(sc, all, 1001, 42, ranks % 2 + 1);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(Hash(*p), Hash(*one)) << ranks << " ranks";
  }
}

// The dynamics one member at a time, as the implementation before issue 12's rewrite computed
// them (scenario.h, projection.h): the reference the structure-of-arrays kernels must match to
// the bit for any scenario, including shapes the pinned ones lack (a series with more
// reactions than the kernels unroll). Member-major like SimulateMembers; `central` takes every
// parameter at its central value instead of drawing.
std::vector<double> ReferencePaths(const Scenario& sc, uint64_t seed, int begin, int end,
                                   bool central = false) {
  const std::vector<Date> dates = sc.Dates();
  const size_t t_count = dates.size(), s_count = sc.series.size();
  std::vector<double> out;
  for (int member = begin; member < end; ++member) {
    stats::Rng rng(seed, static_cast<uint64_t>(member));
    auto value = [&](const Param& p) { return central ? p.Central() : p.Draw(rng); };
    std::vector<double> initial, growth, fatigue, reaction, phase_growth;
    for (const auto& s : sc.series) {
      initial.push_back(value(s.initial));
      growth.push_back(value(s.growth));
      fatigue.push_back(value(s.fatigue));
    }
    for (const auto& r : sc.reactions) reaction.push_back(value(r.coefficient));
    for (const auto& p : sc.phases) phase_growth.push_back(p.growth ? value(*p.growth) : 0.0);
    auto in_force = [&](const Phase& ph, size_t t) {
      return !(dates[t] < ph.from || (ph.until && dates[t] >= *ph.until));
    };
    auto clamp = [&](size_t t, size_t i, double v) {
      const Series& s = sc.series[i];
      double cap = std::numeric_limits<double>::infinity();
      for (const Phase& ph : sc.phases) {
        if (sc.SeriesIndex(ph.series) == static_cast<int>(i) && ph.cap && in_force(ph, t)) {
          cap = std::min(cap, *ph.cap);
        }
      }
      v = std::max(v, s.min);
      if (s.max) v = std::min(v, *s.max);
      v = std::min(v, cap);
      return std::max(v, 0.0);
    };
    std::vector<double> x(s_count), rate(s_count);
    for (size_t i = 0; i < s_count; ++i) x[i] = clamp(0, i, initial[i]);
    out.insert(out.end(), x.begin(), x.end());
    for (size_t t = 1; t < t_count; ++t) {
      const double dt = static_cast<double>(dates[t].days() - dates[t - 1].days()) / 365.2425;
      for (size_t i = 0; i < s_count; ++i) {
        double g = growth[i];
        for (size_t p = 0; p < sc.phases.size(); ++p) {  // the last phase in force wins
          const Phase& ph = sc.phases[p];
          if (sc.SeriesIndex(ph.series) == static_cast<int>(i) && ph.growth &&
              in_force(ph, t - 1)) {
            g = phase_growth[p];
          }
        }
        rate[i] = g - fatigue[i] * x[i];
      }
      for (size_t r = 0; r < sc.reactions.size(); ++r) {
        rate[static_cast<size_t>(sc.SeriesIndex(sc.reactions[r].series))] +=
            reaction[r] * x[static_cast<size_t>(sc.SeriesIndex(sc.reactions[r].to))];
      }
      for (size_t i = 0; i < s_count; ++i) {
        double v = rate[i];
        if (sc.series[i].max_rate)
          v = std::clamp(v, -*sc.series[i].max_rate, *sc.series[i].max_rate);
        x[i] = clamp(t, i, x[i] + v * dt);
      }
      out.insert(out.end(), x.begin(), x.end());
    }
    if (central) break;
  }
  return out;
}

TEST(ProjectionReference, EveryFeatureMatchesOneMemberAtATime) {
  const Scenario sc = Parse(kPinned);
  std::vector<double> paths;
  ASSERT_TRUE(SimulateMembers(sc, 42, 300, 1001, &paths, 2).ok());
  EXPECT_EQ(Hash(paths), Hash(ReferencePaths(sc, 42, 300, 1001)));
  EXPECT_EQ(Hash(CentralPath(sc)), Hash(ReferencePaths(sc, 0, 0, 1, true)));
}

// Five reactions on one series (beyond the kernels unrolled for up to three), one on another,
// a series reacting to itself, and rate limits and capacities on some.
TEST(ProjectionReference, ManyReactionsMatchOneMemberAtATime) {
  std::string text = std::string(kHeader) + "\n";
  const char* states[] = {"US", "RU", "CN", "FR", "GB"};
  for (int k = 0; k < 5; ++k) {
    text += "[[party]]\nstate = \"" + std::string(states[k]) +
            "\"\nquantity = \"q\"\ninitial = { dist = \"normal\", mean = " +
            std::to_string(500 + 300 * k) + ", sd = 40 }\n" +
            "growth = { dist = \"uniform\", low = -20, high = " + std::to_string(30 + 10 * k) +
            " }\nfatigue = { dist = \"uniform\", low = 0, high = 0.05 }\n" +
            (k % 2 ? "max_rate = 60\n" : "max = 2500\n") + "source = \"t\"\n\n";
  }
  for (const char* to : {"RU", "CN", "FR", "GB", "US"}) {
    text +=
        "[[reaction]]\nparty = \"US\"\nto = \"" + std::string(to) +
        "\"\ncoefficient = { dist = \"uniform\", low = -0.01, high = 0.03 }\nsource = \"t\"\n\n";
  }
  text += "[[reaction]]\nparty = \"GB\"\nto = \"FR\"\ncoefficient = 0.02\nsource = \"t\"\n";
  Scenario sc = Parse(text);
  ASSERT_EQ(sc.reactions.size(), 6u);
  for (const bool yearly : {true, false}) {
    sc.yearly = yearly;
    std::vector<double> paths;
    ASSERT_TRUE(SimulateMembers(sc, 11, 0, 301, &paths, 3).ok());
    EXPECT_EQ(Hash(paths), Hash(ReferencePaths(sc, 11, 0, 301))) << "yearly " << yearly;
    EXPECT_EQ(Hash(CentralPath(sc)), Hash(ReferencePaths(sc, 0, 0, 1, true)));
  }
}

}  // namespace
}  // namespace tally::scenario
