#include "tally/registry/dataset_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tally::registry {
namespace {

using ::testing::HasSubstr;

constexpr char kPreamble[] =
    "# tally-dataset: 1\n"
    "# name: test-set\n"
    "# title: A test\n"
    "# publisher: Tests Inc.\n"
    "# published: 2025-06\n"
    "# source: the test itself\n";

std::string Doc(const std::string& rows) {
  return std::string(kPreamble) + "state,category,as_of,value,low,high,confidence,source,notes\n" +
         rows;
}

TEST(DatasetCsvTest, ParsesPreambleAndRows) {
  auto d = ParseDatasetCsv(Doc("US,military_stockpile,2025-01,3700,,,confirmed,,\n"
                               "India,stockpile,2026-02-05,175,163,187,confirmed,article,about\n"),
                           "t.csv");
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(d->name, "test-set");
  EXPECT_EQ(d->published.ToString(), "2025-06-01");
  ASSERT_EQ(d->figures.size(), 2u);
  EXPECT_EQ(d->figures[0].state, "US");
  EXPECT_EQ(d->figures[0].source, "the test itself");
  EXPECT_EQ(d->figures[0].line, 8);
  EXPECT_EQ(d->figures[1].state, "IN");
  EXPECT_EQ(d->figures[1].category, model::Category::kMilitaryStockpile);
  EXPECT_EQ(*d->figures[1].low, 163);
  EXPECT_EQ(d->figures[1].source, "article");
  EXPECT_TRUE(d->figures[1].RangeContains(180));
  EXPECT_FALSE(d->figures[1].RangeContains(190));
}

TEST(DatasetCsvTest, ErrorsNameFileLineAndField) {
  struct Case {
    std::string rows;
    std::string expected;
  };
  const Case cases[] = {
      {"US,military_stockpile,2025-01,12a,,,confirmed,,\n",
       "t.csv:8: field 'value': expected a whole number of warheads (0 to 1000000), got \"12a\""},
      {"XX,military_stockpile,2025-01,1,,,confirmed,,\n", "t.csv:8: field 'state'"},
      {"US,deployed_ish,2025-01,1,,,confirmed,,\n", "t.csv:8: field 'category'"},
      {"US,reserve,2025-13,1,,,confirmed,,\n", "t.csv:8: field 'as_of'"},
      {"US,reserve,2025,1,,,sure,,\n", "t.csv:8: field 'confidence'"},
      {"US,reserve,2025,10,11,,confirmed,,\n", "t.csv:8: field 'low': expected at most the value"},
      {"US,reserve,2025,10,,9,confirmed,,\n", "t.csv:8: field 'high'"},
      {"US,reserve,2025,-1,,,confirmed,,\n", "t.csv:8: field 'value'"},
      {"US,reserve,2025,1,,,confirmed,,\nUS,reserve,2025,2,,,confirmed,,\n",
       "t.csv:9: field 'as_of': expected one figure per state, category and date"},
      {"", "field 'rows': expected at least one figure"},
  };
  for (const auto& c : cases) {
    auto d = ParseDatasetCsv(Doc(c.rows), "t.csv");
    ASSERT_FALSE(d.ok()) << c.rows;
    EXPECT_EQ(d.error().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(d.error().message(), HasSubstr(c.expected)) << c.rows;
  }
}

TEST(DatasetCsvTest, PreambleErrors) {
  auto missing_magic = ParseDatasetCsv("state,category\n", "x.csv");
  ASSERT_FALSE(missing_magic.ok());
  EXPECT_THAT(missing_magic.error().message(), HasSubstr("x.csv:1: field 'tally-dataset'"));

  auto no_source = ParseDatasetCsv(
      "# tally-dataset: 1\n# name: a\n# title: t\n# publisher: p\n# published: 2020\n"
      "state,category,as_of,value,confidence\nUS,reserve,2020,1,confirmed\n",
      "x.csv");
  ASSERT_FALSE(no_source.ok());
  EXPECT_THAT(no_source.error().message(), HasSubstr("x.csv:6: field 'source'"));

  auto bad_name = ParseDatasetCsv(
      "# tally-dataset: 1\n# name: Bad Name\n# title: t\n# publisher: p\n# published: 2020\n"
      "# source: s\nstate,category,as_of,value,confidence\nUS,reserve,2020,1,confirmed\n",
      "x.csv");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_THAT(bad_name.error().message(), HasSubstr("x.csv:2: field 'name'"));

  auto twice = ParseDatasetCsv(std::string(kPreamble) + "# title: again\nstate\n", "x.csv");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.error().message(), HasSubstr("x.csv:7: field 'title'"));

  auto unknown_column = ParseDatasetCsv(
      std::string(kPreamble) + "state,category,as_of,value,confidence,colour\n", "x.csv");
  ASSERT_FALSE(unknown_column.ok());
  EXPECT_THAT(unknown_column.error().message(), HasSubstr("unknown column 'colour'"));
}

TEST(DatasetCsvTest, FormatRoundTrips) {
  auto d = ParseDatasetCsv(
      std::string(kPreamble) + "# notes: line one\n# notes: line two\n" +
          "state,category,as_of,value,low,high,confidence,source,notes\n"
          "RU,total_inventory,2025-01,5459,,,confirmed,,\"with, comma and \"\"quotes\"\"\"\n"
          "World,retired,1986,7,5,9,estimate,elsewhere,\n",
      "t.csv");
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(d->notes, "line one\nline two");
  const std::string text = FormatDatasetCsv(*d);
  auto again = ParseDatasetCsv(text, "t.csv");
  ASSERT_TRUE(again.ok()) << again.error().ToString() << "\n" << text;
  EXPECT_EQ(FormatDatasetCsv(*again), text);
  ASSERT_EQ(again->figures.size(), 2u);
  EXPECT_EQ(again->figures[0].notes, "with, comma and \"quotes\"");
  EXPECT_EQ(again->figures[1].source, "elsewhere");
  EXPECT_EQ(*again->figures[1].high, 9);
}

}  // namespace
}  // namespace tally::registry
