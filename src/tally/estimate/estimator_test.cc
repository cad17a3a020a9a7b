#include "tally/estimate/estimator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tally/estimate/calibration.h"
#include "tally/stats/rng.h"

namespace tally::estimate {
namespace {

Date D(const char* s) { return *Date::ParseLoose(s); }

Observation Obs(const char* date, double v, SourceKind kind = SourceKind::kDeclared,
                Relation rel = Relation::kEqual) {
  Observation o;
  o.state = "RU";
  o.category = "new_start_warheads";
  o.date = D(date);
  o.kind = kind;
  o.relation = rel;
  o.value = v;
  o.source = "test";
  o.where = "test:1";
  return o;
}

// Declared values every six months, then nothing: the interval is tight while data flows and
// widens steadily afterwards.
TEST(EstimatorTest, UncertaintyGrowsAfterTheLastExchange) {
  std::vector<Observation> ev;
  const double values[] = {1537, 1566, 1492, 1499, 1480, 1400, 1512, 1643, 1582, 1648, 1735, 1796,
                           1765, 1561, 1444, 1420, 1461, 1426, 1326, 1447, 1456, 1458, 1474, 1549};
  Date d = D("2011-03-01");
  for (double v : values) {
    Observation o = Obs("2011-03-01", v);
    o.date = d;
    ev.push_back(o);
    d = d.AddMonths(6);
  }
  EstimateOptions opt;
  opt.grid = {D("2011-03-01"), D("2030-03-01"), Step::kMonth};
  auto est = EstimateSeries("RU", "new_start_warheads", ev, opt);
  ASSERT_TRUE(est.ok()) << est.error().ToString();
  EXPECT_EQ(est->method, Method::kKalman);
  EXPECT_TRUE(est->noise_fitted);
  ASSERT_TRUE(est->last_declared.has_value());
  EXPECT_EQ(est->last_declared->ToString(), "2022-09-01");
  auto width_at = [&](const char* date) {
    for (const auto& p : est->points) {
      if (p.date == D(date)) return p.p95 - p.p05;
    }
    return -1.0;
  };
  const double at_last = width_at("2022-09-01");
  const double one_year = width_at("2023-09-01");
  const double five_years = width_at("2027-09-01");
  EXPECT_GT(at_last, 0);
  EXPECT_GT(one_year, at_last);
  EXPECT_GT(five_years, 2 * one_year);
  for (const auto& p : est->points) {
    EXPECT_LE(p.p05, p.p25);
    EXPECT_LE(p.p25, p.median);
    EXPECT_LE(p.median, p.p75);
    EXPECT_LE(p.p75, p.p95);
  }
  EXPECT_EQ(est->sources.size(), ev.size());
  for (const auto& s : est->sources) EXPECT_TRUE(s.used);
}

TEST(EstimatorTest, KalmanRejectsBoundsWithAReasonAndParticleUsesThem) {
  std::vector<Observation> ev = {Obs("2020", 350, SourceKind::kIndependent),
                                 Obs("2023", 410, SourceKind::kIndependent),
                                 Obs("2025", 600, SourceKind::kIndependent),
                                 Obs("2030", 1000, SourceKind::kGovernment, Relation::kAtLeast)};
  for (auto& o : ev) o.category = "stockpile", o.state = "CN";
  EstimateOptions opt;
  opt.grid = {D("2020"), D("2032"), Step::kYear};
  opt.method = Method::kKalman;
  auto kalman = EstimateSeries("CN", "stockpile", ev, opt);
  ASSERT_TRUE(kalman.ok());
  ASSERT_EQ(kalman->sources.size(), 4u);
  EXPECT_FALSE(kalman->sources[3].used);
  EXPECT_NE(kalman->sources[3].reason.find("particle"), std::string::npos);

  opt.method = Method::kAuto;
  opt.particles = 400;
  opt.trajectories = 100;
  auto particle = EstimateSeries("CN", "stockpile", ev, opt);
  ASSERT_TRUE(particle.ok()) << particle.error().ToString();
  EXPECT_EQ(particle->method, Method::kParticle);
  for (const auto& s : particle->sources) EXPECT_TRUE(s.used);
  // The DoD's "more than 1,000 by 2030" pulls the 2030 median up to about that bound, above what
  // the Kalman trend alone gives.
  const auto& k2030 = kalman->points[10];
  const auto& p2030 = particle->points[10];
  ASSERT_EQ(p2030.date, D("2030"));
  EXPECT_GT(p2030.median, k2030.median);
  EXPECT_GT(p2030.median, 850);
  for (const auto& p : particle->points) EXPECT_GE(p.p05, 0);
  // Same seed, same answer.
  auto again = EstimateSeries("CN", "stockpile", ev, opt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->points[10].median, p2030.median);
}

TEST(EstimatorTest, ObservationsOutsideTheWindowAreListedAsRejected) {
  std::vector<Observation> ev = {Obs("2011-03-01", 1537), Obs("2012-03-01", 1492),
                                 Obs("2030-03-01", 2000)};
  EstimateOptions opt;
  opt.grid = {D("2011-01-01"), D("2013-01-01"), Step::kMonth};
  auto est = EstimateSeries("RU", "new_start_warheads", ev, opt);
  ASSERT_TRUE(est.ok());
  ASSERT_EQ(est->sources.size(), 3u);
  EXPECT_FALSE(est->sources[2].used);
  EXPECT_NE(est->sources[2].reason.find("outside"), std::string::npos);
}

TEST(EstimatorTest, BadOptionsAndEmptySeriesAreErrors) {
  std::vector<Observation> ev = {Obs("2011-03-01", 1537)};
  EstimateOptions opt;
  opt.grid = {D("2013-01-01"), D("2011-01-01"), Step::kMonth};
  EXPECT_FALSE(EstimateSeries("RU", "new_start_warheads", ev, opt).ok());
  opt.grid = {D("2011-01-01"), D("2013-01-01"), Step::kMonth};
  EXPECT_FALSE(EstimateSeries("US", "new_start_warheads", ev, opt).ok());
  opt.level_sd = -1;
  EXPECT_FALSE(EstimateSeries("RU", "new_start_warheads", ev, opt).ok());
}

// Data drawn from the model itself: the withheld values should land inside the forecast
// intervals about as often as the intervals promise.
TEST(CalibrationTest, ModelDrawnDataIsRoughlyCalibrated) {
  std::vector<Observation> ev;
  stats::Rng rng(2024);
  for (int series = 0; series < 12; ++series) {
    double level = 1500, rate = 0;
    Date d = D("2011-03-01");
    for (int i = 0; i < 24; ++i) {
      Observation o = Obs("2011-03-01", 0);
      o.state = "S" + std::to_string(series);
      o.date = d;
      o.value = level + rng.Normal(0, 8);
      ev.push_back(o);
      rate += rng.Normal(0, 30 * std::sqrt(0.5));
      level += 0.5 * rate + rng.Normal(0, 60 * std::sqrt(0.5));
      d = d.AddMonths(6);
    }
  }
  auto report = Calibrate(ev, 4);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->series, 12);
  int n = 0, in50 = 0, in90 = 0;
  for (const auto& row : report->rows) {
    n += row.withheld;
    in50 += row.in50;
    in90 += row.in90;
  }
  EXPECT_EQ(n, 12 * (1 + 2 + 3 + 4));
  EXPECT_GT(in90, 0.75 * n);
  EXPECT_GT(in50, 0.30 * n);
  EXPECT_LT(in50, 0.80 * n);
}

}  // namespace
}  // namespace tally::estimate
