#include "tally/ceilings/treaty_ceilings.h"

#include <gtest/gtest.h>

#include "tally/treaty/treaty_set.h"

namespace tally::ceilings {
namespace {

const scenario::LimitLine* Find(const std::vector<scenario::LimitLine>& lines,
                                const std::string& id, const std::string& party) {
  for (const auto& l : lines) {
    if (l.id == id && l.parties.size() == 1 && l.parties[0] == party) return &l;
  }
  return nullptr;
}

TEST(TreatyCeilingsTest, NewStartFromLimitsEffectiveUntilItsEnd) {
  auto treaties = treaty::LoadDefaultTreaties();
  ASSERT_TRUE(treaties.ok()) << treaties.error().ToString();
  auto t = treaties->Get("new-start");
  ASSERT_TRUE(t.ok());
  const auto lines = TreatyCeilings(**t);
  const auto* us = Find(lines, "new-start/deployed-warheads", "US");
  ASSERT_NE(us, nullptr);
  EXPECT_EQ(us->max, 1550);
  EXPECT_EQ(us->quantity, "deployed_warheads");
  ASSERT_TRUE(us->from && us->until);
  EXPECT_EQ(us->from->ToString(), "2018-02-05");
  EXPECT_EQ(us->until->ToString(), "2026-02-05");
  EXPECT_TRUE(us->Applies("US", *Date::Parse("2020-01-01")));
  EXPECT_FALSE(us->Applies("US", *Date::Parse("2026-02-05")));
  EXPECT_FALSE(us->Applies("RU", *Date::Parse("2020-01-01")));
  EXPECT_NE(Find(lines, "new-start/deployed-warheads", "RU"), nullptr);
}

TEST(TreatyCeilingsTest, ATreatyNeverInForceIsAReferenceLevelFromItsSignature) {
  auto treaties = treaty::LoadDefaultTreaties();
  ASSERT_TRUE(treaties.ok());
  auto t = treaties->Get("start-ii");
  ASSERT_TRUE(t.ok());
  ASSERT_FALSE((*t)->dates.entry_into_force);
  const auto lines = TreatyCeilings(**t);
  ASSERT_FALSE(lines.empty());
  for (const auto& l : lines) {
    ASSERT_TRUE(l.from) << l.id;
    // Not in force: Russia's withdrawal does not end a reference level.
    if (!l.until) continue;
    EXPECT_NE(l.until->ToString(), "2002-06-14") << l.id;
  }
}

}  // namespace
}  // namespace tally::ceilings
