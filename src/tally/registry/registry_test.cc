#include "tally/registry/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tally/registry/compare.h"
#include "tally/registry/series.h"

namespace tally::registry {
namespace {

using model::Category;
using ::testing::HasSubstr;

const Registry& Embedded() {
  static const Registry* r = [] {
    auto loaded = Registry::LoadEmbedded();
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.error().ToString();
      return new Registry();
    }
    return new Registry(std::move(*loaded));
  }();
  return *r;
}

TEST(RegistryTest, EmbeddedDatasetsLoad) {
  std::vector<std::string> names;
  for (const Dataset* d : Embedded().Newest()) names.push_back(d->name);
  EXPECT_THAT(names, ::testing::IsSupersetOf({"article-2026-02-05", "fas-history", "fas-sipri-2024",
                                              "fas-sipri-2025", "fas-status-2025-03",
                                              "fas-status-2025-10", "nnsa-us-stockpile"}));
  auto current = Embedded().CurrentSnapshot();
  ASSERT_TRUE(current.ok()) << current.error().ToString();
  EXPECT_EQ((*current)->name, "fas-sipri-2025");
}

TEST(RegistryTest, SelectFiltersByStateYearCategoryAndDataset) {
  FigureFilter f;
  f.states = {"Russia"};
  f.year = 1986;
  auto figures = Embedded().Select(f);
  ASSERT_TRUE(figures.ok());
  ASSERT_EQ(figures->size(), 1u);
  EXPECT_EQ((*figures)[0].value, 40159);
  EXPECT_EQ((*figures)[0].dataset, "fas-history");

  f = {};
  f.datasets = {{"fas-sipri-2025", -1}};
  f.categories = {Category::kTotalInventory};
  f.states = {"World"};
  figures = Embedded().Select(f);
  ASSERT_TRUE(figures.ok());
  ASSERT_EQ(figures->size(), 1u);
  EXPECT_EQ((*figures)[0].value, 12241);

  f = {};
  f.states = {"Atlantis"};
  EXPECT_EQ(Embedded().Select(f).error().code(), StatusCode::kInvalidArgument);
  f = {};
  f.datasets = {{"nope", -1}};
  auto missing = Embedded().Select(f);
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("fas-sipri-2025"));
}

TEST(RegistryTest, LatestPrefersNewestConfirmedFigure) {
  FigureFilter f;
  f.states = {"US"};
  f.categories = {Category::kTotalInventory};
  auto latest = Embedded().Latest(f);
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  // The October 2025 update (5,117) is newer but unconfirmed: the confirmed 5,177 wins.
  EXPECT_EQ((*latest)[0].dataset, "fas-sipri-2025");
  EXPECT_EQ((*latest)[0].value, 5177);
  f.datasets = {{"fas-status-2025-10", -1}};
  latest = Embedded().Latest(f);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ((*latest)[0].value, 5117);
  // The article (a secondary source) is not "latest" unless named.
  f = {};
  f.states = {"US"};
  f.categories = {Category::kMilitaryStockpile};
  latest = Embedded().Latest(f);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ((*latest)[0].value, 3700);
  // Named, the article's "about 5,000" is the latest total inventory (issue 12: it is a total,
  // not a stockpile).
  f.datasets = {{"article-2026-02-05", -1}, {"fas-sipri-2025", -1}};
  f.categories = {Category::kTotalInventory};
  latest = Embedded().Latest(f);
  EXPECT_EQ((*latest)[0].value, 5000);
}

TEST(RegistryTest, ShippedSnapshotsAreConsistent) {
  for (const char* name : {"fas-sipri-2024", "fas-sipri-2025"}) {
    auto d = Embedded().Find({name, -1});
    ASSERT_TRUE(d.ok());
    auto issues = CheckConsistency(**d);
    EXPECT_TRUE(issues.empty()) << name << ": " << issues.front().rule;
  }
}

TEST(RegistryTest, ConsistencyFindsBrokenSums) {
  Dataset d;
  d.name = "bad";
  auto fig = [](std::string state, Category c, int64_t v, int line) {
    model::Figure f;
    f.state = std::move(state);
    f.category = c;
    f.value = v;
    f.as_of_text = "2025";
    f.line = line;
    return f;
  };
  d.figures = {fig("US", Category::kDeployedStrategic, 1670, 2),
               fig("US", Category::kDeployedNonstrategic, 100, 3),
               fig("US", Category::kReserve, 1930, 4),
               fig("US", Category::kMilitaryStockpile, 3800, 5),
               fig("US", Category::kRetired, 1477, 6),
               fig("US", Category::kTotalInventory, 5277, 7)};
  auto issues = CheckConsistency(d);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].stated, 3800);
  EXPECT_EQ(issues[0].computed, 3700);
  EXPECT_EQ(issues[0].line, 5);
}

TEST(RegistryTest, DeriveMissingCompletesIdentities) {
  FigureFilter f;
  f.datasets = {{"fas-sipri-2025", -1}};
  f.states = {"US"};
  f.year = 2025;
  auto figures = Embedded().Select(f);
  ASSERT_TRUE(figures.ok());
  auto derived = DeriveMissing(*figures);
  ASSERT_EQ(derived.size(), 1u);
  EXPECT_EQ(derived[0].category, Category::kDeployed);
  EXPECT_EQ(derived[0].value, 1770);  // SIPRI's US "deployed"
  EXPECT_EQ(derived[0].confidence, model::Confidence::kDerived);
}

TEST(RegistryTest, DisagreementsOfTheArticle) {
  auto figures = Embedded().Select({});
  ASSERT_TRUE(figures.ok());
  auto derived = DeriveMissing(*figures);
  figures->insert(figures->end(), derived.begin(), derived.end());
  auto all = FindDisagreements(*figures, Embedded().SecondaryDatasets());
  auto find = [&](std::string_view state, Category c, int year) -> const Disagreement* {
    for (const auto& d : all) {
      if (d.state == state && d.category == c && d.year == year) return &d;
    }
    return nullptr;
  };
  // India: the article's "about 175" (163-187) against FAS/SIPRI's 180: within its rounding.
  const Disagreement* india = find("IN", Category::kMilitaryStockpile, 2026);
  ASSERT_NE(india, nullptr);
  EXPECT_EQ(india->compared_year, 2025);
  EXPECT_EQ(india->spread, 5);
  EXPECT_TRUE(india->within_ranges);
  const Disagreement* pakistan = find("PK", Category::kMilitaryStockpile, 2026);
  ASSERT_NE(pakistan, nullptr);
  EXPECT_EQ(pakistan->spread, 5);

  // US and Russia: "about 5,000" with reserves is filed as the total inventory it is (issue 12),
  // so there is no stockpile disagreement of 2026; the totals differ from FAS's 5,177 and 5,459
  // and are compared as totals.
  EXPECT_EQ(find("US", Category::kMilitaryStockpile, 2026), nullptr);
  EXPECT_EQ(find("RU", Category::kMilitaryStockpile, 2026), nullptr);
  const Disagreement* us = find("US", Category::kTotalInventory, 2026);
  ASSERT_NE(us, nullptr);
  EXPECT_EQ(us->compared_year, 2025);
  const Disagreement* ru = find("RU", Category::kTotalInventory, 2026);
  ASSERT_NE(ru, nullptr);

  // China: "about 600" agrees; France's 290 agrees: no disagreement reported.
  EXPECT_EQ(find("CN", Category::kMilitaryStockpile, 2026), nullptr);
  EXPECT_EQ(find("FR", Category::kMilitaryStockpile, 2026), nullptr);
  // SIPRI 2025 revised the US total of January 2024.
  const Disagreement* us2024 = find("US", Category::kTotalInventory, 2024);
  ASSERT_NE(us2024, nullptr);
  EXPECT_EQ(us2024->spread, 5328 - 5044);
}

TEST(RegistryTest, HistorySeriesPeaks) {
  FigureFilter f;
  f.datasets = {{"fas-history", -1}};
  auto figures = Embedded().Select(f);
  ASSERT_TRUE(figures.ok());
  auto world = BuildSeries(*figures, "World", Category::kTotalInventory);
  ASSERT_EQ(world.front().year, 1945);
  ASSERT_EQ(world.back().year, 2025);
  auto peak = Peak(world);
  ASSERT_TRUE(peak);
  EXPECT_EQ(peak->year, 1986);
  EXPECT_EQ(peak->value, 70374);
  auto us = BuildSeries(*figures, "US", Category::kMilitaryStockpile);
  EXPECT_EQ(Peak(us)->year, 1967);
  EXPECT_EQ(Peak(us)->value, 31255);
  EXPECT_EQ(At(us, 2025)->value, 3700);
}

TEST(RegistryTest, AddFileAddsNextVersionAndReportsErrors) {
  Registry r = Embedded();
  const std::string path = ::testing::TempDir() + "/registry_test_ds.csv";
  std::ofstream(path) << "# tally-dataset: 1\n# name: fas-sipri-2025\n# title: t\n"
                         "# publisher: p\n# published: 2026\n# source: s\n"
                         "state,category,as_of,value,confidence\nUS,reserve,2026,1,estimate\n";
  auto ref = r.AddFile(path);
  ASSERT_TRUE(ref.ok()) << ref.error().ToString();
  EXPECT_EQ(*ref, "fas-sipri-2025@1");
  EXPECT_EQ((*r.Find({"fas-sipri-2025", -1}))->version, 1);
  EXPECT_EQ((*r.Find({"fas-sipri-2025", 0}))->version, 0);
  EXPECT_EQ(r.Find({"fas-sipri-2025", 7}).error().code(), StatusCode::kNotFound);
  std::ofstream(path) << "# tally-dataset: 1\n";
  auto bad = r.AddFile(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message(), HasSubstr(path + ":"));
}

TEST(DatasetRefTest, Parses) {
  auto r = ParseDatasetRef("fas-sipri-2025@2");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "fas-sipri-2025");
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(ParseDatasetRef("fas").value().version, -1);
  EXPECT_FALSE(ParseDatasetRef("fas@x").ok());
  EXPECT_FALSE(ParseDatasetRef("FAS").ok());
  EXPECT_FALSE(ParseDatasetRef("").ok());
}

}  // namespace
}  // namespace tally::registry
