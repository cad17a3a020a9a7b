// End-to-end: `tally treaty list|show`, including user treaty files and bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string SourceFile(const std::string& rel) { return std::string(TALLY_SOURCE_DIR) + "/" + rel; }

TEST(TreatyCliTest, ListShowsEveryTreatyWithItsStatusAtADate) {
  CliResult r = RunTally({"treaty", "list", "--date", "2020-01-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* id : {"salt-i", "abm", "salt-ii", "inf", "start-i", "start-ii", "sort",
                         "new-start", "trilateral-example"}) {
    EXPECT_THAT(r.out, HasSubstr(id));
  }
  EXPECT_THAT(r.out, HasSubstr("status 2020-01-01"));
  EXPECT_THAT(r.out, HasSubstr("hypothetical"));
}

TEST(TreatyCliTest, ListJsonIsOneDocument) {
  CliResult r = RunTally({"treaty", "list", "--json", "--date", "2019-01-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_TRUE(doc["treaties"].is_array());
  std::map<std::string, std::string> status;
  for (const auto& t : doc["treaties"]) status[t["id"]] = t["status"]["state"];
  EXPECT_EQ(status["new-start"], "in_force");
  EXPECT_EQ(status["inf"], "in_force");
  EXPECT_EQ(status["salt-ii"], "never_in_force");
  EXPECT_EQ(status["start-i"], "ended");
  EXPECT_EQ(status["trilateral-example"], "not_yet_signed");
  CliResult later = RunTally({"treaty", "list", "--json", "--date", "2026-02-05"});
  auto doc2 = nlohmann::json::parse(later.out);
  for (const auto& t : doc2["treaties"]) {
    if (t["id"] == "new-start") {
      EXPECT_EQ(t["status"]["state"], "ended");
    }
  }
}

TEST(TreatyCliTest, ShowNewStartHasEverything) {
  CliResult r = RunTally({"treaty", "show", "new-start", "--date", "2020-06-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* want : {"2010-04-08", "2011-02-05", "2018-02-05", "2026-02-05", "2021-02-03",
                           "700", "1,550", "800", "conversions-not-confirmed", "type-one",
                           "type-two", "03-01", "Dates per party", "Counting rules", "in_force"}) {
    EXPECT_THAT(r.out, HasSubstr(want)) << want;
  }
}

TEST(TreatyCliTest, ShowJson) {
  CliResult r = RunTally({"treaty", "show", "start-i", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["dates"]["entry_into_force"], "1994-12-05");
  EXPECT_EQ(doc["limits"].size(), 6u);
  EXPECT_EQ(doc["limits"][0]["max"], 1600);
  bool found = false;
  for (const auto& q : doc["quantities"]) {
    if (q["id"] != "accountable_warheads") continue;
    for (const auto& term : q["terms"]) {
      for (const auto& f : term["first"]) {
        if (f["party"] == "US") {
          EXPECT_EQ(f["count"], 150);
          EXPECT_EQ(f["each"], 10);
          found = true;
        }
      }
    }
  }
  EXPECT_TRUE(found);
  CliResult inf = RunTally({"treaty", "show", "inf", "--json"});
  auto infdoc = nlohmann::json::parse(inf.out);
  EXPECT_EQ(infdoc["limits"][0]["prohibition"], true);
  EXPECT_EQ(infdoc["quantities"][0]["terms"][0]["range_min_km"], 500);
  EXPECT_EQ(infdoc["quantities"][0]["terms"][0]["range_max_km"], 5500);
}

TEST(TreatyCliTest, UserTreatyFileFromTheExample) {
  TempDir dir;
  std::string text = ReadAll(SourceFile("data/treaties/trilateral-example.toml"));
  size_t at = text.find("id = \"trilateral-example\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 25, "id = \"my-draft\"");
  std::string path = dir.Write("my.toml", text);
  CliResult r = RunTally({"treaty", "show", "my-draft", "--treaty-file", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(hypothetical)"));  // said once, by its name
  CliResult l = RunTally({"treaty", "list", "--treaty-file", path});
  EXPECT_THAT(l.out, HasSubstr("my-draft"));
}

TEST(TreatyCliTest, BadTreatyFileNamesFileLineAndKey) {
  TempDir dir;
  std::string text = ReadAll(SourceFile("data/treaties/trilateral-example.toml"));
  size_t at = text.find("max = 1550");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 10, "max = \"lots\"");
  std::string path = dir.Write("bad.toml", text);
  CliResult r = RunTally({"treaty", "list", "--treaty-file", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(path + ":"));
  EXPECT_THAT(r.err, HasSubstr("field 'limits[1].max': expected a non-negative integer, got "
                               "\"lots\""));
  EXPECT_TRUE(r.out.empty());

  std::string typo = dir.Write(
      "typo.toml", ReadAll(SourceFile("data/treaties/sort.toml")) + "\n[regime2]\nx = 1\n");
  r = RunTally({"treaty", "show", "sort", "--treaty-file", typo});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("field 'regime2'"));
}

TEST(TreatyCliTest, BadUsage) {
  EXPECT_EQ(RunTally({"treaty", "show", "no-such-treaty"}).exit_code, 2);
  EXPECT_THAT(RunTally({"treaty", "show", "no-such-treaty"}).err, HasSubstr("known: "));
  EXPECT_EQ(RunTally({"treaty", "list", "--date", "2020-13-01"}).exit_code, 2);
  EXPECT_EQ(RunTally({"treaty", "list", "--treaty-file", "/nonexistent/x.toml"}).exit_code, 2);
  EXPECT_EQ(RunTally({"treaty"}).exit_code, 2);
  CliResult help = RunTally({"treaty", "show", "-h"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--json"));
}

}  // namespace
}  // namespace tally::testing
