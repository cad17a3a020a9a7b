#include "tally/model/state.h"

#include <gtest/gtest.h>

namespace tally::model {
namespace {

TEST(StateTest, FindsEveryNameSourcesUse) {
  EXPECT_EQ(FindState("United States")->code, "US");
  EXPECT_EQ(FindState("usa")->code, "US");
  EXPECT_EQ(FindState("Russian Federation")->code, "RU");
  EXPECT_EQ(FindState("USSR")->code, "RU");
  EXPECT_EQ(FindState("DPRK")->code, "KP");
  EXPECT_EQ(FindState("gb")->code, "GB");
  EXPECT_EQ(FindState("United Kingdom")->code, "GB");
  EXPECT_FALSE(FindState("World"));
  EXPECT_FALSE(FindState("Atlantis"));
}

TEST(StateTest, NineNuclearArmedStates) {
  int n = 0;
  for (const auto& s : AllStates()) n += s.nuclear_armed_today;
  EXPECT_EQ(n, 9);
}

}  // namespace
}  // namespace tally::model
