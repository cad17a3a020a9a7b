#include "tally/cli/text_table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace tally::cli {
namespace {

TEST(TextTableTest, AlignsColumns) {
  TextTable t({"state", "warheads>"});
  t.AddRow({"Russia", "5,459"});
  t.AddRow({"UK", "225"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "state   warheads\n------  --------\nRussia     5,459\nUK           225\n");
}

TEST(TextTableTest, Thousands) {
  EXPECT_EQ(WithThousands(1550), "1,550");
  EXPECT_EQ(WithThousands(-70374), "-70,374");
  EXPECT_EQ(WithThousands(12), "12");
}

}  // namespace
}  // namespace tally::cli
