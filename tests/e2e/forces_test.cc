// End to end: `tally forces` as a user runs it, on the compiled-in datasets and on files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ForcesCli : public ::testing::Test {
 protected:
  CliResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), "forces");
    // A store path that does not exist: only the compiled-in data, nothing written anywhere.
    return RunTally(args, "", {"TALLY_STORE=" + tmp_.File("none/tally.db")});
  }
  TempDir tmp_;
};

const char kHeader[] =
    "# tally-dataset: 1\n# name: mine\n# title: Mine\n# publisher: Me\n# published: 2026-03\n"
    "# source: my notes\nstate,category,as_of,value,low,high,confidence,source,notes\n";

TEST_F(ForcesCli, TodayTableByDefault) {
  auto r = Run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Russia"));
  EXPECT_THAT(r.out, HasSubstr("12,241"));
  EXPECT_THAT(r.out, HasSubstr("fas-sipri-2025"));
  EXPECT_THAT(r.out, Not(HasSubstr("5,328")));  // a revision of 2024, not today
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(ForcesCli, JsonIsOneDocumentWithSources) {
  auto r = Run({"--state", "IN,PK", "--dataset", "article-2026-02-05", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["figures"].size(), 2u);
  for (const auto& f : j["figures"]) {
    EXPECT_EQ(f["value"], 175);
    EXPECT_EQ(f["low"], 163);
    EXPECT_EQ(f["high"], 187);
    EXPECT_THAT(f["source"].get<std::string>(), HasSubstr("2026-02-05"));
  }
  ASSERT_EQ(j["datasets"].size(), 1u);
  EXPECT_EQ(j["datasets"][0]["published"], "2026-02-05");
}

TEST_F(ForcesCli, YearAndStateFilters) {
  auto r = Run({"--state", "Russia", "--year", "1986", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["figures"].size(), 1u);
  EXPECT_EQ(j["figures"][0]["value"], 40159);
  EXPECT_EQ(j["figures"][0]["dataset"], "fas-history");
}

TEST_F(ForcesCli, CsvWithMetadataSidecar) {
  const std::string file = tmp_.File("out/forces.csv");
  std::filesystem::create_directories(tmp_.File("out"));
  auto r = Run({"--state", "US", "--year", "2025", "--csv", "-o", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = ReadAll(file);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "dataset,version,state,category,as_of,value,low,high,confidence,source,notes");
  EXPECT_THAT(csv, HasSubstr("fas-sipri-2025,0,US,total_inventory,2025-01,5177"));
  auto meta = nlohmann::json::parse(ReadAll(file + ".meta.json"));
  EXPECT_EQ(meta["file"], "forces.csv");
  bool named = false;
  for (const auto& d : meta["datasets"]) {
    named =
        named || (d["name"] == "fas-sipri-2025" &&
                  d["source"].get<std::string>().find("SIPRI Yearbook 2025") != std::string::npos);
  }
  EXPECT_TRUE(named) << meta.dump(2);
  // Without -o the CSV goes to stdout.
  auto out = Run({"--state", "FR", "--year", "2025", "--csv"});
  ASSERT_EQ(out.exit_code, 0);
  EXPECT_THAT(out.out, HasSubstr("fas-sipri-2025,0,FR,military_stockpile,2025-01,290"));
}

TEST_F(ForcesCli, DisagreementsExplainTheArticle) {
  auto r = Run({"--disagreements"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("India, military_stockpile, 2026 (against 2025): differ by 5, "
                               "within the stated range"));
  // The article's "about 5,000" is filed as the total inventory it is (issue 12), so it sits
  // within its rounding range of FAS's 5,177 and is no stockpile disagreement.
  EXPECT_THAT(r.out, HasSubstr("United States, total_inventory, 2026 (against 2025)"));

  auto j = nlohmann::json::parse(Run({"--disagreements", "--state", "US", "--json"}).out);
  bool us_total = false, us_stockpile = false;
  for (const auto& d : j["disagreements"]) {
    if (d["year"] != 2026) continue;
    us_total = us_total || d["category"] == "total_inventory";
    us_stockpile = us_stockpile || d["category"] == "military_stockpile";
    if (d["category"] == "total_inventory") {
      EXPECT_TRUE(d["range_checks"].empty()) << d.dump(2);
    }
  }
  EXPECT_TRUE(us_total) << j.dump(2);
  EXPECT_FALSE(us_stockpile) << j.dump(2);
}

TEST_F(ForcesCli, HistorySeries) {
  auto r = Run({"--history", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  bool world = false;
  for (const auto& s : j["series"]) {
    if (s["state"] != "World") continue;
    world = true;
    EXPECT_EQ(s["peak"]["year"], 1986);
    EXPECT_EQ(s["peak"]["value"], 70374);
    EXPECT_EQ(s["points"].size(), 81u);  // 1945..2025
  }
  EXPECT_TRUE(world);
  auto table = Run({"--history", "--step", "10", "--state", "US"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_THAT(table.out, HasSubstr("31,255 (1967)"));
}

TEST_F(ForcesCli, ConsistencyChecks) {
  auto ok = Run({"--check"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  const std::string file =
      tmp_.Write("broken.csv", std::string(kHeader) +
                                   "US,deployed_strategic,2026,1670,,,estimate,,\n"
                                   "US,deployed_nonstrategic,2026,100,,,estimate,,\n"
                                   "US,reserve,2026,1930,,,estimate,,\n"
                                   "US,military_stockpile,2026,3800,,,estimate,,\n");
  auto bad = Run({"--check", "--file", file, "--dataset", "mine"});
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_THAT(bad.out, HasSubstr("3,800"));
  EXPECT_THAT(bad.out, HasSubstr("3,700"));
}

TEST_F(ForcesCli, LatestSkipsTheArticleUnlessNamed) {
  auto j = nlohmann::json::parse(
      Run({"--latest", "--state", "US", "--category", "military_stockpile", "--json"}).out);
  ASSERT_EQ(j["figures"].size(), 1u);
  EXPECT_EQ(j["figures"][0]["value"], 3700);
}

TEST_F(ForcesCli, BadInputExitsTwoAndNamesThePlace) {
  auto state = Run({"--state", "Atlantis"});
  EXPECT_EQ(state.exit_code, 2);
  EXPECT_THAT(state.err, HasSubstr("unknown state \"Atlantis\""));
  auto cat = Run({"--category", "warheads"});
  EXPECT_EQ(cat.exit_code, 2);
  EXPECT_THAT(cat.err, HasSubstr("--category: unknown category \"warheads\""));
  auto ds = Run({"--dataset", "nope"});
  EXPECT_EQ(ds.exit_code, 2);
  EXPECT_THAT(ds.err, HasSubstr("unknown dataset 'nope'"));
  auto version = Run({"--dataset", "fas-history@3"});
  EXPECT_EQ(version.exit_code, 2);
  const std::string file =
      tmp_.Write("bad.csv", std::string(kHeader) + "US,reserve,2026,12a,,,estimate,,\n");
  auto parse = Run({"--file", file});
  EXPECT_EQ(parse.exit_code, 2);
  EXPECT_THAT(parse.err,
              HasSubstr(file + ":8: field 'value': expected a whole number of warheads"));
  EXPECT_THAT(parse.err, HasSubstr("got \"12a\""));
  EXPECT_TRUE(parse.out.empty());
  auto modes = Run({"--history", "--check"});
  EXPECT_EQ(modes.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(tmp_.File("none")));
}

TEST_F(ForcesCli, Help) {
  auto r = Run({"-h"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--disagreements"));
}

}  // namespace
}  // namespace tally::testing
