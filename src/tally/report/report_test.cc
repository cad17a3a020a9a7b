#include "tally/report/report.h"

#include <gtest/gtest.h>

#include "tally/treaty/posture_file.h"

namespace tally::report {
namespace {

using model::Category;

Report Build(Date date) {
  auto registry = registry::Registry::LoadEmbedded();
  EXPECT_TRUE(registry.ok()) << registry.error().ToString();
  auto treaties = treaty::LoadDefaultTreaties();
  EXPECT_TRUE(treaties.ok()) << treaties.error().ToString();
  auto aggregates = treaty::NewStartAggregates();
  EXPECT_TRUE(aggregates.ok()) << aggregates.error().ToString();
  auto r = BuildReport(*registry, *treaties, *aggregates, date);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return std::move(*r);
}

TEST(ReportTest, TodayIsTheEarly2025Snapshot) {
  const Report r = Build(*Date::Parse("2026-11-27"));
  EXPECT_EQ(r.today.dataset, "fas-sipri-2025@0");
  ASSERT_EQ(r.today.rows.size(), 10u);
  EXPECT_EQ(r.today.rows.front().state, "RU");
  EXPECT_EQ(r.today.rows.front().figures.at(Category::kTotalInventory).value, 5459);
  const StateRow& world = r.today.rows.back();
  EXPECT_EQ(world.state, "World");
  EXPECT_FALSE(world.world_is_sum);
  EXPECT_EQ(world.figures.at(Category::kTotalInventory).value, 12241);
  EXPECT_EQ(world.figures.at(Category::kMilitaryStockpile).value, 9614);
  // The US 2024 total revised by SIPRI 2025 is history, not today.
  for (const auto& row : r.today.rows) {
    for (const auto& [c, f] : row.figures) EXPECT_EQ(f.year(), 2025);
  }
  bool india = false, us = false;
  for (const auto& d : r.today.disagreements) {
    india = india || (d.state == "IN" && d.within_ranges);
    // The article's "about 5,000" is a total inventory (issue 12): compared as a total.
    us = us || (d.state == "US" && d.category == Category::kTotalInventory);
    EXPECT_FALSE(d.state == "US" && d.category == Category::kMilitaryStockpile);
  }
  EXPECT_TRUE(india);
  EXPECT_TRUE(us);
}

TEST(ReportTest, HistoryHasDecadesAndPeaks) {
  const Report r = Build(*Date::Parse("2026-11-27"));
  ASSERT_FALSE(r.history.columns.empty());
  const HistoryColumn& world = r.history.columns.back();
  EXPECT_EQ(world.state, "World");
  EXPECT_EQ(world.peak.year, 1986);
  EXPECT_EQ(world.peak.value, 70374);
  EXPECT_EQ(world.last.year, 2025);
  EXPECT_EQ(world.last.value, 12241);
  EXPECT_EQ(r.history.years.front(), 1945);
  EXPECT_EQ(r.history.years.back(), 2025);
  EXPECT_NE(std::find(r.history.years.begin(), r.history.years.end(), 1986), r.history.years.end());
}

TEST(ReportTest, TreatyStatusAndLastNewStartData) {
  const Report r = Build(*Date::Parse("2026-11-27"));
  std::map<std::string, std::string> states;
  for (const auto& t : r.treaties) states[t.id] = t.state;
  EXPECT_EQ(states["new-start"], "ended");
  EXPECT_EQ(states["salt-ii"], "never_in_force");
  EXPECT_EQ(r.new_start.status, "ended");
  EXPECT_EQ(r.new_start.verdicts.count("violation"), 0u);
  EXPECT_GT(r.new_start.rows_checked, 40u);
  bool us_2023 = false, ru_2022 = false, ru_missing = false;
  for (const auto& row : r.new_start.last) {
    if (row.party == "US" && row.as_of.ToString() == "2023-03-01") {
      us_2023 = row.verdict == "compliant";
      for (const auto& l : row.limits) {
        if (l.max == 1550) {
          EXPECT_EQ(*l.counted, 1419);
        }
      }
    }
    ru_2022 = ru_2022 || (row.party == "RU" && row.as_of.ToString() == "2022-09-01" &&
                          row.verdict == "compliant");
    ru_missing = ru_missing || (row.party == "RU" && row.verdict == "no_data");
  }
  EXPECT_TRUE(us_2023);
  EXPECT_TRUE(ru_2022);
  EXPECT_TRUE(ru_missing);
  // Before expiry the same data is checked against a treaty in force.
  const Report earlier = Build(*Date::Parse("2025-06-01"));
  EXPECT_EQ(earlier.new_start.status, "in_force");
}

}  // namespace
}  // namespace tally::report
