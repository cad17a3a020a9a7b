#include "tally/treaty/counting.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/data/embedded.h"
#include "tally/treaty/check.h"
#include "tally/treaty/inventory_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::treaty {
namespace {

class CountingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto set = LoadDefaultTreaties();
    ASSERT_TRUE(set.ok()) << set.error().ToString();
    treaties_ = std::move(*set);
    auto text = data::EmbeddedFile("inventories/us-2020-09-01.csv");
    ASSERT_TRUE(text.has_value());
    auto inv = ParseInventoryCsv(*text, "us-2020-09-01.csv");
    ASSERT_TRUE(inv.ok()) << inv.error().ToString();
    us2020_ = std::move(*inv);
  }
  const Treaty& Get(const char* id) { return **treaties_.Get(id); }
  static int64_t Count(const model::Posture& p, const char* q) { return *p.Find(q)->value; }

  TreatySet treaties_;
  model::Inventory us2020_;
};

// The State Department's figures for the United States as of 1 September 2020: 675 deployed
// delivery vehicles, 1,457 warheads, 800 launchers, from 397 + 57 ICBM launchers, 230 + 50 SLBM
// launchers, 48 + 18 nuclear heavy bombers, 41 converted B-52H and 1,409 reentry vehicles.
TEST_F(CountingTest, UsSeptember2020GivesTheDeclaredAggregates) {
  EXPECT_EQ(us2020_.as_of, *Date::Parse("2020-09-01"));
  auto p = CountInventory(Get("new-start"), us2020_, "US");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(Count(*p, "deployed_delivery_vehicles"), 675);
  EXPECT_EQ(Count(*p, "deployed_warheads"), 1457);
  EXPECT_EQ(Count(*p, "launchers"), 800);
  CheckResult r = Check(Get("new-start"), *p);
  EXPECT_EQ(r.verdict, Verdict::kCompliant);
  EXPECT_EQ(r.limits[1].margin, 93);
}

// Russia's 2022 reading: 56 converted Trident II tubes, 41 converted B-52H and 4 training silos
// stay accountable, 901 launchers — a violation under that interpretation only.
TEST_F(CountingTest, ConversionsNotConfirmedGives901) {
  auto p = CountInventory(Get("new-start"), us2020_, "US", "conversions-not-confirmed");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(Count(*p, "launchers"), 901);
  EXPECT_EQ(Count(*p, "deployed_delivery_vehicles"), 675);
  EXPECT_EQ(Count(*p, "deployed_warheads"), 1457);
  CheckResult r = Check(Get("new-start"), *p);
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.limits[2].margin, -101);
  auto us = CountInventory(Get("new-start"), us2020_, "US", "us");
  ASSERT_TRUE(us.ok());
  EXPECT_EQ(Count(*us, "launchers"), 800);
}

TEST_F(CountingTest, UnknownInterpretationListsKnownOnes) {
  auto p = CountInventory(Get("new-start"), us2020_, "US", "lenient");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(p.error().message(), ::testing::HasSubstr("us, conversions-not-confirmed"));
}

TEST_F(CountingTest, StartIAttributesTheFirstBombersTenAndTheRestTheirAlcms) {
  model::Inventory inv;
  inv.as_of = *Date::Parse("2000-01-01");
  auto bomber = [&](int i, bool alcm, int64_t capacity) {
    model::Item b;
    b.uid = "US-HB-" + std::to_string(1000 + i);
    b.party = "US";
    b.kind = model::ItemKind::kHeavyBomber;
    b.capacity = capacity;
    if (alcm) b.tags.push_back("long_range_alcm");
    inv.items.push_back(b);
  };
  for (int i = 0; i < 160; ++i) bomber(i, true, 20);     // 150 x 10 + 10 x 20
  for (int i = 160; i < 165; ++i) bomber(i, false, 16);  // 5 x 1
  auto p = CountInventory(Get("start-i"), inv, "US");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(Count(*p, "accountable_warheads"), 150 * 10 + 10 * 20 + 5);
  EXPECT_EQ(Count(*p, "delivery_vehicles"), 165);
  // Throw-weight cannot be counted from items: missing, never zero.
  EXPECT_FALSE(p->Find("throw_weight_tonnes")->value.has_value());
}

TEST_F(CountingTest, InfCountsOnlyTheRangeBand) {
  model::Inventory inv;
  inv.as_of = *Date::Parse("2018-01-01");
  auto missile = [&](const char* uid, model::ItemKind kind, int64_t range) {
    model::Item m;
    m.uid = uid;
    m.party = "RU";
    m.kind = kind;
    m.range_km = range;
    inv.items.push_back(m);
  };
  missile("A", model::ItemKind::kGroundLaunchedCruiseMissile, 2500);
  missile("B", model::ItemKind::kGroundLaunchedBallisticMissile, 480);
  missile("C", model::ItemKind::kGroundLaunchedBallisticMissile, 500);
  missile("D", model::ItemKind::kIcbm, 11000);
  auto p = CountInventory(Get("inf"), inv, "RU");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Count(*p, "ground_launched_missiles_500_5500km"), 2);
  CheckResult r = Check(Get("inf"), *p);
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.limits[0].margin, -2);
}

TEST_F(CountingTest, InvalidInventoryIsRejected) {
  model::Inventory inv = us2020_;
  inv.items.push_back(inv.items.front());
  auto p = CountInventory(Get("new-start"), inv, "US");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.error().message(), ::testing::HasSubstr("duplicate uid"));
}

}  // namespace
}  // namespace tally::treaty
