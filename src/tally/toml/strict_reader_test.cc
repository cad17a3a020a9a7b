#include "tally/toml/strict_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tally::toml {
namespace {

using ::testing::HasSubstr;

TEST(StrictReaderTest, ParseErrorNamesTheLine) {
  auto t = Parse("a = 1\nb = = 2\n", "x.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.error().message(), HasSubstr("x.toml:2: invalid TOML"));
}

TEST(StrictReaderTest, TypedGettersNameFileLineAndKeyPath) {
  const std::string name = "n.toml";
  auto t = Parse("[outer]\nsize = \"big\"\n", name);
  ASSERT_TRUE(t.ok());
  Reader r(*t, "", &name, "docs/formats/x.md");
  auto outer = r.OptTable("outer");
  ASSERT_TRUE(outer.ok() && outer->has_value());
  auto size = (*outer)->OptInt("size");
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.error().message(),
            "n.toml:2: field 'outer.size': expected a non-negative integer, got \"big\"");
}

TEST(StrictReaderTest, FinishRefusesUnknownKeysAndPointsToTheFormat) {
  const std::string name = "n.toml";
  auto t = Parse("known = 1\n\nunknwn = 2\n", name);
  ASSERT_TRUE(t.ok());
  Reader r(*t, "", &name, "docs/formats/x.md");
  ASSERT_TRUE(r.OptInt("known").ok());
  Status s = r.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("n.toml:3: field 'unknwn'"));
  EXPECT_THAT(s.message(), HasSubstr("docs/formats/x.md"));
}

TEST(StrictReaderTest, LongStringsAreQuotedShort) {
  const std::string name = "n.toml";
  auto t = Parse("v = \"" + std::string(5000, 'x') + "\"\n", name);
  ASSERT_TRUE(t.ok());
  Reader r(*t, "", &name, "doc");
  auto v = r.OptInt("v");
  ASSERT_FALSE(v.ok());
  EXPECT_LT(v.error().message().size(), 200u);
  EXPECT_THAT(v.error().message(), HasSubstr("(5000 bytes)"));
}

}  // namespace
}  // namespace tally::toml
