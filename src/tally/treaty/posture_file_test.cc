#include "tally/treaty/posture_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/treaty/treaty_set.h"

namespace tally::treaty {
namespace {

using ::testing::HasSubstr;

TEST(PostureFileTest, CsvWithAliasesNamesAndMissingCells) {
  auto ps = ParsePostureCsv(
      "as_of_date,party,warheads_on_deployed,launchers,confidence,notes\n"
      "2023-03-01,Russian Federation,,not provided,not provided,suspended\n"
      "2023-03-01,United States,1419,800,confirmed,\n",
      "p.csv");
  ASSERT_TRUE(ps.ok()) << ps.error().ToString();
  ASSERT_EQ(ps->size(), 2u);
  const model::Posture& ru = (*ps)[0];
  EXPECT_EQ(ru.party, "RU");
  EXPECT_FALSE(ru.provided);
  EXPECT_FALSE(ru.Find("launchers")->value.has_value());
  EXPECT_EQ(ru.note, "[not provided] suspended");
  EXPECT_EQ(ru.source, "p.csv:2");
  const model::Posture& us = (*ps)[1];
  EXPECT_TRUE(us.provided);
  EXPECT_EQ(us.Find("warheads_on_deployed")->value, 1419);
  EXPECT_EQ(us.as_of, *Date::Parse("2023-03-01"));
}

TEST(PostureFileTest, CsvErrorsNameFileLineAndField) {
  struct Case {
    const char* text;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {"party,as_of,x\nUS,2020-01-01,-1\n", "p.csv:2: field 'x': expected a non-negative"},
           {"party,as_of,x\nUS,2020-01-01,1.5\n", "p.csv:2: field 'x'"},
           {"party,as_of,x\nZZ,2020-01-01,1\n", "p.csv:2: field 'party'"},
           {"party,as_of,x\nUS,2020-02-30,1\n", "p.csv:2: field 'as_of'"},
           {"party,x\nUS,1\n", "field 'as_of'"},
           {"party,as_of\nUS,2020-01-01\n", "at least one count column"},
           {"party,as_of,date,x\nUS,2020-01-01,2020-01-01,1\n", "one date column"},
       }) {
    auto ps = ParsePostureCsv(c.text, "p.csv");
    ASSERT_FALSE(ps.ok()) << c.text;
    EXPECT_EQ(ps.error().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(ps.error().message(), HasSubstr(c.want)) << c.text;
  }
}

TEST(PostureFileTest, JsonForms) {
  auto ps = ParsePostures(
      R"({"postures": [{"party": "US", "as_of": "2020-09-01", "counts": {"launchers": 800,
          "deployed_warheads": null}}, {"party": "RU", "as_of": "2023-03-01", "counts": {},
          "provided": false}]})",
      "p.json");
  ASSERT_TRUE(ps.ok()) << ps.error().ToString();
  ASSERT_EQ(ps->size(), 2u);
  EXPECT_EQ((*ps)[0].Find("launchers")->value, 800);
  EXPECT_FALSE((*ps)[0].Find("deployed_warheads")->value.has_value());
  EXPECT_FALSE((*ps)[1].provided);
  auto single =
      ParsePostures(R"( {"party": "US", "as_of": "2020-09-01", "counts": {"q": 1}})", "s.json");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->size(), 1u);
  auto array =
      ParsePostures(R"([{"party": "US", "as_of": "2020-09-01", "counts": {"q": 1}}])", "a.json");
  ASSERT_TRUE(array.ok());
}

TEST(PostureFileTest, JsonErrors) {
  struct Case {
    const char* text;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"postures": [{"party": "US", "as_of": "2020-13-01", "counts": {}}]})",
            "field 'postures[0].as_of'"},
           {R"({"party": "US", "as_of": "2020-01-01", "counts": {"q": -3}})", "field 'counts.q'"},
           {R"({"party": "US", "as_of": "2020-01-01", "counts": {"q": 1}, "extra": 1})",
            "field 'extra'"},
           {R"({"party": "US", "as_of": "2020-01-01", "counts": {}, "provided": true})",
            "at least one count"},
           {"{\n\"party\": \"US\",\n", "p.json:3:1: invalid JSON: the document ends early"},
           {R"([])", "at least one posture"},
       }) {
    auto ps = ParsePostures(c.text, "p.json");
    ASSERT_FALSE(ps.ok()) << c.text;
    EXPECT_THAT(ps.error().message(), HasSubstr(c.want)) << c.text;
  }
}

TEST(PostureFileTest, EmbeddedNewStartTableAndKnownQuantities) {
  auto ps = NewStartAggregates();
  ASSERT_TRUE(ps.ok()) << ps.error().ToString();
  EXPECT_EQ(ps->size(), 50u);
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(RequireKnownQuantities(**set->Get("new-start"), *ps).ok());
  Status s = RequireKnownQuantities(**set->Get("sort"), *ps);
  EXPECT_THAT(s.message(), HasSubstr("new_start/aggregates.csv:2: field 'deployed_icbm_slbm_hb'"));
}

}  // namespace
}  // namespace tally::treaty
