#include "tally/estimate/estimator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tally/estimate/calibration.h"
#include "tally/stats/rng.h"
#include "tally/stats/summary.h"

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

TEST(EstimatorTest, BoundsAreHonouredWithTheStatedTailMass) {
  std::vector<Observation> ev = {Obs("2020", 350, SourceKind::kIndependent),
                                 Obs("2023", 410, SourceKind::kIndependent),
                                 Obs("2024", 500, SourceKind::kIndependent),
                                 Obs("2024-07", 600, SourceKind::kGovernment, Relation::kAtLeast),
                                 Obs("2025", 600, SourceKind::kIndependent)};
  for (auto& o : ev) o.category = "military_stockpile", o.state = "CN";
  EstimateOptions opt;
  opt.grid = {D("2020"), D("2032"), Step::kMonth};
  auto kalman = EstimateSeries("CN", "military_stockpile", ev, opt);
  ASSERT_TRUE(kalman.ok()) << kalman.error().ToString();
  EXPECT_EQ(kalman->method, Method::kKalman);
  for (const auto& s : kalman->sources) EXPECT_TRUE(s.used) << s.reason;
  bool seen = false;
  for (const auto& p : kalman->points) {
    if (p.date != D("2024-07")) continue;
    seen = true;
    // At most 5 % of the posterior below "more than 600".
    EXPECT_LE(stats::NormalCdf((600 - p.mean) / p.sd), kBoundTailMass + 1e-3);
    EXPECT_GE(p.p05, 598);
  }
  EXPECT_TRUE(seen);
  // The particle method still takes the bound, as a soft likelihood, with the same seed the
  // same answer.
  opt.method = Method::kParticle;
  opt.particles = 300;
  opt.trajectories = 60;
  opt.grid = {D("2020"), D("2026"), Step::kYear};
  auto particle = EstimateSeries("CN", "military_stockpile", ev, opt);
  ASSERT_TRUE(particle.ok()) << particle.error().ToString();
  EXPECT_EQ(particle->method, Method::kParticle);
  auto again = EstimateSeries("CN", "military_stockpile", ev, opt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->points.back().median, particle->points.back().median);
}

TEST(EstimatorTest, OnePosteriorWhateverTheWindow) {
  std::vector<Observation> ev = {Obs("2011-03-01", 1537), Obs("2012-03-01", 1492),
                                 Obs("2013-03-01", 1480), Obs("2014-03-01", 1512),
                                 Obs("2015-03-01", 1582), Obs("2016-03-01", 1735),
                                 Obs("2030-03-01", 2000)};
  std::vector<double> medians, widths;
  for (auto [from, to] : {std::pair{"2011-01", "2013-01"}, std::pair{"2012-06", "2030-01"},
                          std::pair{"2012-09", "2012-09"}}) {
    EstimateOptions opt;
    opt.grid = {D(from), D(to), Step::kMonth};
    auto est = EstimateSeries("RU", "new_start_warheads", ev, opt);
    ASSERT_TRUE(est.ok()) << est.error().ToString();
    for (const auto& s : est->sources) EXPECT_TRUE(s.used) << s.reason;
    for (const auto& p : est->points) {
      if (p.date != D("2012-09")) continue;
      medians.push_back(p.median);
      widths.push_back(p.p95 - p.p05);
    }
  }
  ASSERT_EQ(medians.size(), 3u);
  EXPECT_DOUBLE_EQ(medians[0], medians[1]);
  EXPECT_DOUBLE_EQ(medians[0], medians[2]);
  EXPECT_DOUBLE_EQ(widths[0], widths[2]);
}

TEST(EstimatorTest, EachFigureEntersAsItsOwnQuantity) {
  // A stockpile near 3,700 and a total inventory of "about 5,000": the total informs the
  // stockpile only through total = stockpile + retired, so the stockpile stays near 3,700.
  std::vector<Observation> ev;
  for (int y = 2015; y <= 2025; ++y) {
    Observation o = Obs("2015", 3700, SourceKind::kIndependent);
    o.state = "US";
    o.category = "military_stockpile";
    o.date = *Date::FromCivil(y, 1, 1);
    ev.push_back(o);
  }
  Observation total = Obs("2026-02-05", 5000, SourceKind::kIndependent);
  total.state = "US";
  total.category = "total_inventory";
  total.low = 4500;
  total.high = 5500;
  ev.push_back(total);
  EstimateOptions opt;
  opt.grid = {D("2026-02"), D("2026-02"), Step::kMonth};
  auto stockpile = EstimateSeries("US", "military_stockpile", ev, opt);
  ASSERT_TRUE(stockpile.ok()) << stockpile.error().ToString();
  ASSERT_EQ(stockpile->points.size(), 1u);
  EXPECT_NEAR(stockpile->points[0].median, 3700, 150);
  auto inventory = EstimateSeries("US", "total_inventory", ev, opt);
  ASSERT_TRUE(inventory.ok());
  EXPECT_GT(inventory->points[0].median, 4400);

  // A source's stockpile beside its own parts is counted through the parts, not twice.
  std::vector<Observation> fas;
  for (auto [c, v] :
       {std::pair{"deployed_strategic", 1670.0}, std::pair{"deployed_nonstrategic", 100.0},
        std::pair{"reserve", 1930.0}, std::pair{"military_stockpile", 3700.0}}) {
    Observation o = Obs("2025", v, SourceKind::kIndependent);
    o.state = "US";
    o.category = c;
    fas.push_back(o);
  }
  auto parts = EstimateSeries("US", "military_stockpile", fas, opt);
  ASSERT_TRUE(parts.ok()) << parts.error().ToString();
  ASSERT_EQ(parts->sources.size(), 4u);
  EXPECT_FALSE(parts->sources[3].used);
  EXPECT_NE(parts->sources[3].reason.find("implied"), std::string::npos);
}

TEST(EstimatorTest, ExplainListsWhatMovedTheEstimate) {
  std::vector<Observation> ev = {Obs("2011-03-01", 1537), Obs("2012-03-01", 1492),
                                 Obs("2013-03-01", 1480), Obs("2014-03-01", 1512),
                                 Obs("2015-03-01", 1582), Obs("2016-03-01", 1735)};
  EstimateOptions opt;
  opt.grid = {D("2016-03"), D("2016-03"), Step::kMonth};
  opt.explain = true;
  auto est = EstimateSeries("RU", "new_start_warheads", ev, opt);
  ASSERT_TRUE(est.ok());
  ASSERT_EQ(est->influences.size(), ev.size());
  // The exchange of that very date moves the estimate most.
  size_t top = 0;
  for (size_t i = 0; i < est->influences.size(); ++i) {
    if (std::abs(est->influences[i].shift[0]) > std::abs(est->influences[top].shift[0])) top = i;
  }
  EXPECT_EQ(est->sources[est->influences[top].source].observation.date, D("2016-03-01"));
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

// Data drawn from the model itself (noise proportional to size): the withheld values should land
// inside the forecast intervals about as often as the intervals promise.
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
      // The model's process noise is proportional to the arsenal's size (docs/estimate.md).
      rate += rng.Normal(0, 0.02 * level * std::sqrt(0.5));
      level += 0.5 * rate + rng.Normal(0, 0.04 * level * std::sqrt(0.5));
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
