#include "tally/model/figure.h"

#include <gtest/gtest.h>

namespace tally::model {
namespace {

TEST(FigureTest, CategoryNamesRoundTrip) {
  for (Category c : AllCategories()) {
    auto parsed = ParseCategory(CategoryName(c));
    ASSERT_TRUE(parsed) << CategoryName(c);
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_EQ(ParseCategory("Reserve_NonDeployed"), Category::kReserve);
  EXPECT_EQ(ParseCategory("retired_awaiting_dismantlement"), Category::kRetired);
  EXPECT_EQ(ParseCategory("total"), Category::kTotalInventory);
  EXPECT_FALSE(ParseCategory("warheads"));
}

TEST(FigureTest, ConfidenceNamesRoundTrip) {
  for (Confidence c : AllConfidences()) EXPECT_EQ(ParseConfidence(ConfidenceName(c)), c);
  EXPECT_FALSE(ParseConfidence("partially confirmed"));
}

TEST(FigureTest, RangeContains) {
  Figure about;
  about.value = 5000;
  about.low = 4500;
  about.high = 5500;
  EXPECT_TRUE(about.RangeContains(5459));
  EXPECT_FALSE(about.RangeContains(4309));
  Figure below;  // "fewer than 1,550"
  below.value = 1550;
  below.high = 1550;
  EXPECT_TRUE(below.has_range());
  EXPECT_TRUE(below.RangeContains(1550));
  EXPECT_FALSE(below.RangeContains(1670));
  Figure point;
  point.value = 290;
  EXPECT_FALSE(point.has_range());
  EXPECT_TRUE(point.RangeContains(290));
  EXPECT_FALSE(point.RangeContains(291));
}

}  // namespace
}  // namespace tally::model
