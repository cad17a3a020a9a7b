// End-to-end: `tally exercise` — a treaty year with cheats through the CLI, its JSON, the files it
// writes (read back by the inspection and log commands), and bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using ::testing::HasSubstr;

std::string FreshDir(const std::string& name) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("tally_exercise_e2e_" + name + "_" + std::to_string(::getpid())))
                              .string();
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(ExerciseCliTest, ReportsEachCheatCaughtWithItsEvidenceAndProbability) {
  const std::string dir = FreshDir("json");
  CliResult r = RunTally({"exercise", "--notifications", "50", "--json", "--out", dir, "--cheat",
                          "RU:refuse-reveal", "--cheat", "US:late-notification:2", "--cheat",
                          "RU:overloaded-missile:30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["treaty"], "new-start");
  EXPECT_EQ(doc["inspections"].size(), 36u);
  ASSERT_EQ(doc["cheats"].size(), 3u);
  EXPECT_EQ(doc["cheats"][0]["caught"], true);
  EXPECT_THAT(doc["cheats"][0]["evidence"].get<std::string>(), HasSubstr("US log entry"));
  EXPECT_EQ(doc["cheats"][1]["caught"], true);
  const double p = doc["cheats"][2]["probability"];
  EXPECT_GT(p, 0.0);
  EXPECT_LT(p, 1.0);
  // The overloaded missiles show in what Russia holds, not in what it declared.
  bool over = false;
  for (const auto& row : doc["compliance"]) {
    if (row["party"] != "RU") continue;
    for (const auto& l : row["limits"]) {
      if (l["limit"] == "Deployed warheads") {
        EXPECT_EQ(l["actual"].get<int64_t>() - l["declared"].get<int64_t>(), 30);
        over = true;
      }
    }
  }
  EXPECT_TRUE(over);

  // What it wrote is real: the logs verify under the network file and the replay agrees.
  ASSERT_TRUE(doc.contains("written"));
  std::vector<std::string> args = {"inspection", "list",      "--network", dir + "/network.toml",
                                   "--log",      dir + "/US", "--log",     dir + "/RU"};
  CliResult list = RunTally(args);
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("US-Y11-1"));
  struct stat st {};
  for (const auto& e : std::filesystem::directory_iterator(dir + "/documents")) {
    ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0u) << e.path() << " is readable by others";
  }
  // A second exercise refuses to mix into the first one's folder.
  CliResult again = RunTally({"exercise", "--notifications", "0", "--out", dir});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("not empty"));
  std::filesystem::remove_all(dir);
}

TEST(ExerciseCliTest, TheSameSeedGivesTheSameYear) {
  CliResult a = RunTally({"exercise", "--notifications", "20", "--seed", "7", "--json"});
  CliResult b = RunTally({"exercise", "--notifications", "20", "--seed", "7", "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

TEST(ExerciseCliTest, BadCheatsAndOptionsAreRefusedWithTheirReason) {
  CliResult r = RunTally({"exercise", "--cheat", "CN:refuse-reveal"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--cheat: cheat \"CN:refuse-reveal\": party \"CN\" is not in"));
  r = RunTally({"exercise", "--cheat", "RU:steal"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown kind \"steal\""));
  r = RunTally({"exercise", "--treaty", "no-such"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown treaty \"no-such\""));
  r = RunTally({"exercise", "--parties", "US"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("at least two parties"));
}

}  // namespace
}  // namespace tally::testing
