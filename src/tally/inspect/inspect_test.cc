#include <gtest/gtest.h>

#include <cmath>

#include "tally/inspect/detection.h"
#include "tally/inspect/leadership_game.h"
#include "tally/inspect/monte_carlo.h"
#include "tally/inspect/sample_size.h"
#include "tally/inspect/site_walk.h"

namespace tally::inspect {
namespace {

double Miss(uint64_t n_items, uint64_t r, uint64_t n) { return *MissProbability({n_items, r, n}); }

TEST(DetectionTest, PublishedOracles) {
  // Polishchuk's consignment example, published as 0.435683324407506; the exact value is
  // 520659/1195040 = 0.43568332440755121..., so the published figure is itself off by 4.5e-14.
  EXPECT_NEAR(Miss(100, 5, 15), 0.435683324407506, 1e-13);
  EXPECT_NEAR(Miss(100, 5, 15), 0.43568332440755121, 2e-16);
  EXPECT_EQ(ExactMissFraction({100, 5, 15})->numerator, "520659");
  EXPECT_EQ(ExactMissFraction({100, 5, 15})->denominator, "1195040");
  EXPECT_NEAR(Miss(100, 5, 10), 110983.0 / 190120.0, 1e-15);
  EXPECT_NEAR(*DetectionProbability({100, 5, 10}), 0.4162476330738481, 1e-15);
}

TEST(DetectionTest, ExactFractionsOfTableB) {
  auto f = [](uint64_t n_items, uint64_t r, uint64_t n) {
    auto x = *ExactMissFraction({n_items, r, n});
    return x.numerator + "/" + x.denominator;
  };
  EXPECT_EQ(f(10, 1, 1), "9/10");
  EXPECT_EQ(f(10, 2, 3), "7/15");
  EXPECT_EQ(f(20, 4, 5), "91/323");
  EXPECT_EQ(f(100, 5, 10), "110983/190120");
  EXPECT_EQ(f(100, 10, 5), "110983/190120");
  EXPECT_EQ(f(10, 6, 5), "0/1");
}

TEST(DetectionTest, SymmetryAndEdges) {
  for (uint64_t n_items : {7u, 50u, 1550u}) {
    for (uint64_t r = 0; r <= n_items; r += std::max<uint64_t>(1, n_items / 7)) {
      for (uint64_t n = 0; n <= n_items; n += std::max<uint64_t>(1, n_items / 9)) {
        EXPECT_NEAR(Miss(n_items, r, n), Miss(n_items, n, r), 1e-13)
            << n_items << " " << r << " " << n;
      }
    }
  }
  EXPECT_EQ(Miss(10, 0, 5), 1.0);
  EXPECT_EQ(Miss(10, 3, 0), 1.0);
  EXPECT_EQ(Miss(10, 6, 5), 0.0);
  EXPECT_FALSE(MissProbability({10, 11, 1}));
  EXPECT_FALSE(MissProbability({10, 1, 11}));
  EXPECT_FALSE(MissProbability({0, 0, 0}));
}

TEST(DetectionTest, StableAtTenMillionItems) {
  // (1 - n/N)^r is a close bound; the exact value is slightly smaller. Compare with the
  // 100-digit rational.
  const SamplingCase c{10'000'000, 20, 100'000};
  const double p = Miss(c.items, c.cheats, c.sample);
  auto exact = *ExactMissFraction(c);
  const long double num = std::stold(exact.numerator), den = std::stold(exact.denominator);
  EXPECT_NEAR(p, static_cast<double>(num / den), 1e-13);
  EXPECT_LT(p, std::pow(1.0 - 0.01, 20) + 1e-12);
  EXPECT_GT(Miss(10'000'000, 1, 9'999'999), 0.0);
  EXPECT_NEAR(Miss(10'000'000, 1, 5'000'000), 0.5, 1e-12);
}

TEST(DetectionTest, TableCExactVersusBinomial) {
  const double exact[] = {0.416248, 0.669524, 0.904884, 0.977083};
  const uint64_t n[] = {5, 10, 20, 30};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(*DetectionProbability({100, 10, n[i]}), exact[i], 5e-7);
    EXPECT_GT(*DetectionProbability({100, 10, n[i]}), 1 - std::pow(0.9, n[i]));
  }
}

TEST(DetectionTest, TableDNewStartLikeScenario) {
  // 627 deployed missiles, 10 single-missile RV checks a year.
  struct Row {
    uint64_t r;
    double year, five;
  };
  const Row rows[] = {{1, 0.0159, 0.0772},
                      {6, 0.0923, 0.3839},
                      {31, 0.4000, 0.9222},
                      {63, 0.6560, 0.9952},
                      {125, 0.8937, 1.0000}};
  for (const auto& row : rows) {
    EXPECT_NEAR(*DetectionProbability({627, row.r, 10}), row.year, 5e-5) << row.r;
    EXPECT_NEAR(1 - *MissProbabilityOverYears({627, row.r, 10}, 5), row.five, 5e-5) << row.r;
  }
}

TEST(SampleSizeTest, TableAExactAndIaea) {
  struct Row {
    uint64_t n_items, r;
    double target;
    uint64_t iaea, exact;
    double pd;
  };
  const Row rows[] = {
      {10, 1, 0.90, 9, 9, 0.9000},        {10, 2, 0.90, 7, 7, 0.9333},
      {10, 5, 0.90, 4, 3, 0.9167},        {50, 5, 0.90, 19, 18, 0.9050},
      {50, 10, 0.95, 13, 12, 0.9540},     {100, 1, 0.90, 90, 90, 0.9000},
      {100, 2, 0.90, 69, 69, 0.9061},     {100, 5, 0.50, 13, 13, 0.5092},
      {100, 5, 0.90, 37, 37, 0.9066},     {100, 5, 0.95, 46, 45, 0.9538},
      {100, 10, 0.90, 21, 20, 0.9049},    {100, 10, 0.95, 26, 25, 0.9521},
      {100, 20, 0.90, 11, 10, 0.9049},    {500, 10, 0.90, 103, 102, 0.9002},
      {1000, 10, 0.90, 206, 205, 0.9003}, {1000, 20, 0.95, 140, 138, 0.9503},
      {1550, 5, 0.90, 573, 572, 0.9004},  {1550, 10, 0.90, 319, 318, 0.9001},
      {1550, 20, 0.95, 216, 215, 0.9505},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(*IaeaSampleSize(row.n_items, row.r, row.target), row.iaea)
        << row.n_items << "/" << row.r;
    EXPECT_EQ(*SmallestSample(row.n_items, row.r, row.target), row.exact)
        << row.n_items << "/" << row.r;
    EXPECT_NEAR(*DetectionProbability({row.n_items, row.r, row.exact}), row.pd, 5e-5);
  }
}

TEST(SampleSizeTest, ExactNeverAboveIaeaAndWithinThree) {
  for (uint64_t n_items : {20u, 100u, 777u, 1550u}) {
    for (uint64_t r : {1u, 2u, 3u, 7u, 15u}) {
      for (double t : {0.2, 0.5, 0.9, 0.95, 0.99}) {
        const uint64_t exact = *SmallestSample(n_items, r, t);
        const uint64_t iaea = *IaeaSampleSize(n_items, r, t);
        EXPECT_LE(exact, iaea);
        EXPECT_LE(iaea - exact, 3u);
        EXPECT_GE(*DetectionProbability({n_items, r, exact}), t - 1e-12);
        if (exact > 0) {
          EXPECT_LT(*DetectionProbability({n_items, r, exact - 1}), t);
        }
      }
    }
  }
  EXPECT_FALSE(SmallestSample(100, 0, 0.9));
  EXPECT_FALSE(SmallestSample(100, 5, 1.5));
}

TEST(MonteCarloTest, SimpleRegimeMatchesExactWithinInterval) {
  const SamplingCase c{1550, 10, 30};
  MonteCarloOptions o;
  o.trials = 2'000'000;
  o.seed = 42;
  auto e = *SimulateSimple(c, o);
  const double exact = 0.178005307894536;  // baselines.md
  EXPECT_LE(e.ci95_low, exact);
  EXPECT_GE(e.ci95_high, exact);
}

TEST(MonteCarloTest, ResultDoesNotDependOnThreads) {
  MonteCarloOptions one{300'000, 7, 1}, two{300'000, 7, 2};
  EXPECT_EQ(SimulateSimple({100, 5, 10}, one)->detections,
            SimulateSimple({100, 5, 10}, two)->detections);
  SiteRegime g;
  g.sites = {{"a", 150, 5, 0}, {"b", 90, 0, 0}, {"c", 40, 2, 0}, {"d", 10, 0, 0}};
  g.visits_per_year = 2;
  g.choice = SiteChoice::kByItems;
  EXPECT_EQ(SimulateSites(g, one)->detections, SimulateSites(g, two)->detections);
  g.years = 3;  // lanes that stop early once all are detected
  g.visits_per_year = 3;
  EXPECT_EQ(SimulateSites(g, one)->detections, SimulateSites(g, two)->detections);
}

TEST(MonteCarloTest, VectorAndScalarWalksAgree) {
  // Where the CPU has AVX2 or AVX-512 the walk runs four or eight lanes to a register; they must
  // draw exactly what the scalar lanes draw (same xoshiro256** streams, same arithmetic).
  SiteRegime g;
  g.sites = {{"a", 150, 5, 2.0}, {"b", 90, 0, 1.0}, {"c", 40, 2, 0.5}, {"d", 10, 1, 3.0},
             {"e", 75, 0, 1.5},  {"f", 33, 4, 0.7}, {"g", 12, 0, 1.1}};
  g.choice = SiteChoice::kGiven;
  g.undeclared_sites = 1;
  g.candidate_locations = 9;
  g.challenge_inspections_per_year = 1;
  for (uint64_t visits : {1u, 2u, 3u, 4u, 7u}) {
    for (uint64_t years : {1u, 4u}) {
      g.visits_per_year = visits;
      g.years = years;
      const MonteCarloOptions o{100'003, visits * 10 + years, 2};  // a partial last round
      internal::LimitWalkKernel(internal::WalkKernel::kScalar);
      const uint64_t scalar = SimulateSites(g, o)->detections;
      for (internal::WalkKernel k : internal::AvailableWalkKernels()) {
        internal::LimitWalkKernel(k);
        EXPECT_EQ(SimulateSites(g, o)->detections, scalar)
            << visits << " " << years << " kernel " << static_cast<int>(k);
      }
      internal::LimitWalkKernel(internal::WalkKernel::kAvx512);
    }
  }
}

TEST(MonteCarloTest, UniformSitesMatchExact) {
  SiteRegime g;
  g.sites = {{"Minot", 150, 12, 0},    {"Malmstrom", 150, 0, 0}, {"Warren", 150, 0, 0},
             {"Kings Bay", 120, 3, 0}, {"Bangor", 160, 0, 0},    {"Whiteman", 20, 1, 0}};
  g.visits_per_year = 3;
  g.items_per_visit = 2;
  g.years = 2;
  g.undeclared_sites = 1;
  g.candidate_locations = 40;
  g.challenge_inspections_per_year = 2;
  const double exact = *ExactUniformSiteDetection(g);
  auto e = *SimulateSites(g, {1'000'000, 3, 0});
  EXPECT_LE(e.ci95_low, exact);
  EXPECT_GE(e.ci95_high, exact);
}

TEST(MonteCarloTest, WeightedSitesMatchExactDynamicProgramme) {
  SiteRegime g;
  g.sites = {{"a", 150, 8, 0}, {"b", 150, 0, 0}, {"c", 150, 0, 0}, {"d", 120, 7, 0},
             {"e", 160, 0, 0}, {"f", 20, 0, 0},  {"g", 46, 0, 0},  {"h", 60, 5, 0}};
  g.visits_per_year = 4;
  g.choice = SiteChoice::kByItems;
  const double exact = *ExactSiteDetection(g);
  auto e = *SimulateSites(g, {1'000'000, 5, 0});
  EXPECT_LE(e.ci95_low, exact);
  EXPECT_GE(e.ci95_high, exact);
  // The dynamic programme agrees with the closed form where both apply.
  g.choice = SiteChoice::kUniform;
  EXPECT_NEAR(*ExactSiteDetection(g), *ExactUniformSiteDetection(g), 1e-12);
}

TEST(MonteCarloTest, SixteenSitesMatchExact) {
  SiteRegime g;  // 16 sites, five visits: two-visit steps and a last single one
  for (int i = 0; i < 16; ++i) {
    g.sites.push_back({std::string(1, static_cast<char>('a' + i)),
                       20 + 10 * static_cast<uint64_t>(i), i % 5 == 0 ? 3u : 0u, 0});
  }
  g.visits_per_year = 5;
  g.items_per_visit = 2;
  g.choice = SiteChoice::kByItems;
  const double exact = *ExactSiteDetection(g);
  auto e = *SimulateSites(g, {400'000, 11, 0});
  EXPECT_LE(e.ci95_low, exact);
  EXPECT_GE(e.ci95_high, exact);
}

TEST(MonteCarloTest, TwoVisitStepsWithAnOddLastStepMatchExact) {
  // Seven visits: three two-visit steps and one single visit; given weights, several items per
  // visit, challenge inspections and two years, against the dynamic programme.
  SiteRegime g;
  const uint64_t items[] = {150, 150, 150, 120, 160, 20, 46, 60, 90, 30, 40, 80};
  const uint64_t cheats[] = {8, 0, 0, 7, 0, 3, 0, 5, 0, 0, 0, 1};
  for (int i = 0; i < 12; ++i) {
    g.sites.push_back({std::string(1, static_cast<char>('a' + i)), items[i], cheats[i],
                       1.0 + (i * 7 % 5) * 3.25});
  }
  g.choice = SiteChoice::kGiven;
  g.visits_per_year = 7;
  g.items_per_visit = 3;
  g.years = 2;
  g.undeclared_sites = 2;
  g.candidate_locations = 30;
  g.challenge_inspections_per_year = 1;
  const double exact = *ExactSiteDetection(g);
  auto e = *SimulateSites(g, {1'000'000, 13, 0});
  EXPECT_LE(e.ci95_low, exact);
  EXPECT_GE(e.ci95_high, exact);
  // Every site visited every year: only the within-site samples are random.
  g.visits_per_year = 12;
  const double all = *ExactSiteDetection(g);
  e = *SimulateSites(g, {1'000'000, 14, 0});
  EXPECT_LE(e.ci95_low, all);
  EXPECT_GE(e.ci95_high, all);
}

TEST(MonteCarloTest, CertainOutcomesAreExact) {
  SiteRegime g;
  g.sites = {{"a", 10, 0, 0}, {"b", 20, 0, 0}, {"c", 5, 0, 0}, {"d", 7, 0, 0}};
  g.visits_per_year = 3;
  g.items_per_visit = 4;
  g.choice = SiteChoice::kByItems;
  EXPECT_EQ(SimulateSites(g, {100'000, 1, 0})->detections, 0u);  // nothing to find
  g.sites[1].cheats = 20;  // b always caught when visited: detection iff b is visited
  g.visits_per_year = 4;   // ... and with four visits b always is
  EXPECT_EQ(SimulateSites(g, {100'000, 1, 0})->detections, 100'000u);
  g.sites = {{"a", 10, 10, 0}, {"b", 20, 0, 0}};
  g.visits_per_year = 1;  // a chosen with probability 10/30
  const double exact = 1.0 / 3.0;
  auto e = *SimulateSites(g, {300'000, 2, 0});
  EXPECT_LE(e.ci95_low, exact);
  EXPECT_GE(e.ci95_high, exact);
}

TEST(MonteCarloTest, EighteenSitesWalkAndDirectPathsMatchExact) {
  SiteRegime g;
  for (uint64_t i = 0; i < 18; ++i) {
    g.sites.push_back(
        {std::string(1, static_cast<char>('a' + i)), 10 + 13 * i, i % 4 == 1 ? 2 + i % 3 : 0, 0});
  }
  g.choice = SiteChoice::kByItems;
  g.items_per_visit = 4;
  g.visits_per_year = 3;  // small tables: the walk
  double exact = *ExactSiteDetection(g);
  auto e = *SimulateSites(g, {1'000'000, 21, 0});
  EXPECT_LE(e.ci95_low, exact);
  EXPECT_GE(e.ci95_high, exact);
  g.visits_per_year = 9;  // C(18, 9) sets: tables too big, successive draws instead
  exact = *ExactSiteDetection(g);
  e = *SimulateSites(g, {300'000, 22, 0});
  EXPECT_LE(e.ci95_low, exact);
  EXPECT_GE(e.ci95_high, exact);
}

TEST(MonteCarloTest, ThirtyUniformSitesMatchClosedForm) {
  SiteRegime g;
  for (uint64_t i = 0; i < 30; ++i) g.sites.push_back({"u", 50, i % 7 == 0 ? 3u : 0u, 0});
  g.items_per_visit = 5;
  for (uint64_t v : {2u, 6u}) {  // beyond the walk's 20 sites: the direct path
    g.visits_per_year = v;
    const double exact = *ExactUniformSiteDetection(g);
    auto e = *SimulateSites(g, {300'000, 30 + v, 0});
    EXPECT_LE(e.ci95_low, exact) << v;
    EXPECT_GE(e.ci95_high, exact) << v;
  }
}

TEST(MonteCarloTest, ConcentrationMattersUnderSizeWeightedChoice) {
  // Ten overloaded missiles hidden at the smallest base are found less often when inspectors
  // pick bases by size than when the same ten sit at the largest base.
  SiteRegime small, large;
  small.sites = {{"big", 400, 0, 0}, {"mid", 150, 0, 0}, {"small", 50, 10, 0}};
  large.sites = {{"big", 400, 10, 0}, {"mid", 150, 0, 0}, {"small", 50, 0, 0}};
  small.choice = large.choice = SiteChoice::kByItems;
  small.visits_per_year = large.visits_per_year = 1;
  small.items_per_visit = large.items_per_visit = 5;
  auto a = *SimulateSites(small, {400'000, 1, 0});
  auto b = *SimulateSites(large, {400'000, 1, 0});
  EXPECT_LT(a.ci95_high, b.ci95_low);
}

TEST(MonteCarloTest, RejectsBadRegimes) {
  SiteRegime g;
  EXPECT_FALSE(SimulateSites(g, {}));
  g.sites = {{"a", 5, 6, 0}};
  EXPECT_NE(Validate(g).message().find("site 'a': cheats"), std::string::npos);
  g.sites = {{"a", 5, 1, 0}};
  g.visits_per_year = 2;
  EXPECT_NE(Validate(g).message().find("visits_per_year"), std::string::npos);
}

TEST(LeadershipGameTest, AnnouncementDetersWhereSimultaneousPlayDoesNot) {
  GamePayoffs p{.gain = 1,
                .sanction = 9,
                .false_alarm_cost = 0.5,
                .inspector_false_alarm_cost = 1,
                .inspector_detected_loss = 2,
                .inspector_undetected_loss = 20};
  auto r = *SolveVariablesGame(p, 2.5);
  ASSERT_TRUE(r.deterrable);
  // At the announced alpha the party is exactly indifferent: d - (d+b) P_d = -h alpha.
  EXPECT_NEAR(p.gain - (p.gain + p.sanction) * r.p_detect, -p.false_alarm_cost * r.alpha, 1e-9);
  EXPECT_GT(r.violation_probability_simultaneous, 0.0);
  EXPECT_GT(r.inspector_payoff_leadership, r.inspector_payoff_simultaneous);
  // A bigger sanction deters with fewer false alarms.
  p.sanction = 99;
  EXPECT_LT(SolveVariablesGame(p, 2.5)->alpha, r.alpha);
}

TEST(LeadershipGameTest, AttributeSamplingNeedsDOverDPlusB) {
  GamePayoffs p{.gain = 1, .sanction = 9};
  auto r = *SolveAttributeGame(p, 100, 5, 1.0);
  EXPECT_DOUBLE_EQ(r.required_detection, 0.1);
  EXPECT_EQ(r.sample, *SmallestSample(100, 5, 0.1));
  EXPECT_GE(r.p_detect, 0.1);
  EXPECT_FALSE(SolveAttributeGame({.gain = 0, .sanction = 1}, 100, 5, 1.0));
  EXPECT_FALSE(SolveVariablesGame(p, -1));
}

}  // namespace
}  // namespace tally::inspect
