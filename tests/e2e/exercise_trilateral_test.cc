// End-to-end: `tally exercise --treaty trilateral-example --parties US,RU,CN` — a treaty year of
// three parties, in process and with one tallyd per party; the same seed gives the same logs in
// both modes; bad parties are refused (exit 2) with their reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using ::testing::HasSubstr;

std::string FreshDir(const std::string& name) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("tally_trilateral_e2e_" + name + "_" + std::to_string(::getpid())))
                              .string();
  std::filesystem::remove_all(dir);
  return dir;
}

std::vector<std::string> Trilateral(std::vector<std::string> more) {
  std::vector<std::string> args = {"exercise",  "--treaty", "trilateral-example",
                                   "--parties", "US,RU,CN", "--notifications",
                                   "40",        "--seed",   "3",
                                   "--json"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// In process: every party inspected by both others, no inspection inconsistent, China's inventory
// said to be an extrapolation of its 2025 estimate, and China's launcher count over the example's
// ceiling reported as a violation — the data's truth, not an alarm of the regime.
TEST(ExerciseTrilateralTest, AThreePartyYearInProcess) {
  CliResult r = RunTally(Trilateral({"--in-process"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["treaty"], "trilateral-example");
  EXPECT_EQ(doc["parties"].size(), 3u);
  EXPECT_EQ(doc["treaty_year"], 8);
  std::set<std::string> pairs;
  for (const auto& i : doc["inspections"]) {
    EXPECT_EQ(i["verdict"], "consistent") << i.dump();
    pairs.insert(i["inspecting"].get<std::string>() + ">" + i["inspected"].get<std::string>());
  }
  EXPECT_EQ(pairs, (std::set<std::string>{"US>RU", "US>CN", "RU>US", "RU>CN", "CN>US", "CN>RU"}));
  ASSERT_EQ(doc["inventories"].size(), 3u);
  EXPECT_EQ(doc["inventories"][2]["party"], "CN");
  EXPECT_EQ(doc["inventories"][2]["as_of"], "2025-03-12");
  EXPECT_EQ(doc["inventories"][2]["extrapolated"], true);
  int binding = 0;
  for (const auto& row : doc["compliance"]) {
    if (row["as_of"] < "2035-02-05") {  // the baseline, before the limits bind
      EXPECT_EQ(row["declared"], "limits_not_yet_effective") << row.dump();
      continue;
    }
    ++binding;
    EXPECT_EQ(row["declared"].get<std::string>(), row["party"] == "CN" ? "violation" : "compliant")
        << row.dump();
  }
  EXPECT_EQ(binding, 6);  // 2035-03-01 and 2035-09-01, each party
  // The text report says where China's figures come from and that they are estimates.
  CliResult text = RunTally(
      {"exercise", "--treaty", "trilateral-example", "--in-process", "--notifications", "10"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("CN: FAS Nuclear Notebook"));
  EXPECT_THAT(text.out, HasSubstr("not verified"));
  EXPECT_THAT(text.out, HasSubstr("extrapolated to 2035-02-05"));
}

// The same year on three nodes: each node's log is the in-process log byte for byte, each node
// verified both other logs to their full size, no alarm, every node's replay of every inspection
// it took part in reaches the in-process verdict — and a Chinese cheat found by the nodes too.
TEST(ExerciseTrilateralTest, ThreeNodesHoldTheInProcessLogsByteForByte) {
  const std::string dir = FreshDir("nodes");
  CliResult nodes = RunTally(Trilateral({"--out", dir, "--cheat", "CN:overloaded-missile:24"}));
  ASSERT_EQ(nodes.exit_code, 0) << nodes.err << nodes.out.substr(0, 2000);
  CliResult in = RunTally(Trilateral({"--in-process", "--cheat", "CN:overloaded-missile:24"}));
  ASSERT_EQ(in.exit_code, 0) << in.err;
  auto doc = nlohmann::json::parse(nodes.out);
  auto ref = nlohmann::json::parse(in.out);
  EXPECT_EQ(doc["mode"], "nodes");
  const auto& n = doc["nodes"];
  EXPECT_EQ(n["ok"], true) << n.dump(1);
  ASSERT_EQ(n["parties"].size(), 3u);
  for (const auto& p : n["parties"]) {
    EXPECT_EQ(p["log_identical"], true) << p.dump();
    EXPECT_EQ(p["mirrors_complete"], true) << p.dump();
    EXPECT_EQ(p["alarms"], 0);
    EXPECT_EQ(p["exit_code"], 0);
  }
  EXPECT_TRUE(n["verdict_disagreements"].empty()) << n["verdict_disagreements"].dump(1);
  EXPECT_EQ(n["verdicts_checked"], n["verdicts_expected"]);
  EXPECT_EQ(n["verdicts_checked"].get<int>(), 2 * static_cast<int>(doc["inspections"].size()));
  // The year itself is the in-process year: entries, inspections and their verdicts, cheats.
  EXPECT_EQ(doc["entries"], ref["entries"]);
  EXPECT_EQ(doc["inspections"], ref["inspections"]);
  EXPECT_EQ(doc["cheats"], ref["cheats"]);
  // On disk: every entry tile of the log written from the in-process run is, byte for byte, the
  // same tile in the node's log directory.
  for (const char* party : {"US", "RU", "CN"}) {
    const std::filesystem::path mine = std::filesystem::path(dir) / party / "tile" / "entries";
    const std::filesystem::path node =
        std::filesystem::path(dir) / "nodes" / party / "log" / "tile" / "entries";
    ASSERT_TRUE(std::filesystem::is_directory(mine)) << mine;
    int tiles = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(mine)) {
      if (!e.is_regular_file()) continue;
      const auto rel = std::filesystem::relative(e.path(), mine);
      EXPECT_EQ(ReadAll(e.path().string()), ReadAll((node / rel).string())) << party << " " << rel;
      ++tiles;
    }
    EXPECT_GT(tiles, 0) << party;
  }
  std::filesystem::remove_all(dir);
}

// A forked log among three: China's node shows the first other party (US) a split view; the US
// node's fork alarm holds both checkpoints, the witness and the third party (RU) verified China's
// real log, and no other node raised an alarm.
TEST(ExerciseTrilateralTest, AChineseForkedLogIsCaughtAmongThree) {
  CliResult r = RunTally(Trilateral({"--cheat", "CN:forked-log"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  const auto& n = doc["nodes"];
  EXPECT_EQ(n["ok"], true) << n.dump(1);
  EXPECT_EQ(n["fork"]["cheater"], "CN");
  EXPECT_EQ(n["fork"]["partner"], "US");
  EXPECT_EQ(n["fork"]["caught"], true);
  EXPECT_EQ(n["witness"]["mirrors_complete"], true);
  ASSERT_EQ(n["parties"].size(), 3u);
  for (const auto& p : n["parties"]) {
    EXPECT_EQ(p["alarms"], p["party"] == "US" ? 1 : 0) << p.dump();
    EXPECT_EQ(p["mirrors_complete"], true) << p.dump();
  }
  EXPECT_EQ(doc["cheats"][0]["caught"], true);
}

TEST(ExerciseTrilateralTest, BadPartiesAreRefusedWithTheirReason) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"--parties", "US,RU,XX"}, "--parties: \"XX\""},
      {{"--parties", "US"}, "at least two parties"},
      {{"--parties", "US,RU,FR"}, "FR is not a party of trilateral-example"},
      {{"--parties", "US,RU,RU"}, "RU twice"},
      {{"--year", "9", "--years", "3"}, "its treaty years are 1 to 10"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"exercise", "--treaty", "trilateral-example", "--in-process"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    CliResult r = RunTally(args);
    EXPECT_EQ(r.exit_code, 2) << c.says << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.says));
  }
  CliResult r = RunTally({"exercise", "--in-process", "--parties", "US,RU,CN"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("CN is not a party of new-start"));
  r = RunTally({"exercise", "--in-process", "--treaty", "trilateral-example", "--cheat",
                "GB:refuse-reveal"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("\"GB\" is not in"));
}

}  // namespace
}  // namespace tally::testing
