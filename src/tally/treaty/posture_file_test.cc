#include "tally/treaty/posture_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "tally/base/csv.h"
#include "tally/data/embedded.h"
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

TEST(PostureFileTest, EmbeddedStartITableLoadsWithStartIQuantities) {
  auto ps = StartIAggregates();
  ASSERT_TRUE(ps.ok()) << ps.error().ToString();
  ASSERT_EQ(ps->size(), 3u);
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(RequireKnownQuantities(**set->Get("start-i"), *ps).ok());
  // The USSR of 1990 and the Russian Federation of 2001 are the same treaty party.
  EXPECT_EQ((*ps)[0].party, "US");
  EXPECT_EQ((*ps)[1].party, "RU");
  EXPECT_EQ((*ps)[2].party, "RU");
  const model::Posture& ussr = (*ps)[1];
  EXPECT_EQ(ussr.as_of, *Date::Parse("1990-09-01"));
  EXPECT_EQ(ussr.Find("delivery_vehicles")->value, 2500);
  EXPECT_EQ(ussr.Find("accountable_warheads")->value, 10271);
  EXPECT_EQ(ussr.Find("heavy_icbm_warheads")->value, 3080);
  // Throw-weight was published with a decimal (6,626.3 t): left missing, never rounded.
  EXPECT_FALSE(ussr.Find("throw_weight_tonnes")->value.has_value());
}

// Each row must say where its figures were published and when, so that a reader can check every
// number; the posture loader carries only the row's location, so the raw table is read here.
TEST(PostureFileTest, EveryStartIRowNamesItsSourceUrlAndPublicationDate) {
  auto text = data::EmbeddedFile("start_i/aggregates.csv");
  ASSERT_TRUE(text.has_value());
  auto table = CsvTable::Parse(*text, "start_i/aggregates.csv");
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  const std::regex url(R"(\(https?://[^ )]+\))");
  const std::regex published(R"(published \d{4}-\d{2}-\d{2})");
  for (size_t i = 0; i < table->size(); ++i) {
    std::string source(table->row(i).Get("source"));
    EXPECT_TRUE(std::regex_search(source, url)) << table->row(i).Where() << ": " << source;
    EXPECT_TRUE(std::regex_search(source, published)) << table->row(i).Where() << ": " << source;
    EXPECT_FALSE(table->row(i).Get("confidence").empty()) << table->row(i).Where();
  }
}

TEST(PostureFileTest, StartIFileWithAWrongColumnNamesFileLineAndField) {
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  auto ps = ParsePostures(
      "as_of_date,party,delivery_vehicle,accountable_warheads\n"
      "2001-12-05,Russian Federation,1136,5518\n",
      "start1.csv");
  ASSERT_TRUE(ps.ok()) << ps.error().ToString();
  Status s = RequireKnownQuantities(**set->Get("start-i"), *ps);
  EXPECT_THAT(s.message(), HasSubstr("start1.csv:2: field 'delivery_vehicle': expected a "
                                     "quantity of treaty start-i (delivery_vehicles, sndv"));
  auto bad = ParsePostures(
      "as_of_date,party,delivery_vehicles\n"
      "1990-09-01,USSR,2500\n"
      "2001-12-05,Russian Federation,\"1,136\"\n",
      "start1.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(
      bad.error().message(),
      HasSubstr("start1.csv:3: field 'delivery_vehicles': expected a non-negative integer"));
}

}  // namespace
}  // namespace tally::treaty
