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
  CliResult r = RunTally({"exercise", "--in-process", "--notifications", "50", "--json", "--out",
                          dir, "--cheat", "RU:refuse-reveal", "--cheat", "US:late-notification:2",
                          "--cheat", "RU:overloaded-missile:30"});
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
  CliResult a =
      RunTally({"exercise", "--in-process", "--notifications", "20", "--seed", "7", "--json"});
  CliResult b =
      RunTally({"exercise", "--in-process", "--notifications", "20", "--seed", "7", "--json"});
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
  r = RunTally({"exercise", "--in-process", "--chaos"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--chaos"));
}

// The same year carried by one tallyd per party: every node holds the in-process log byte for
// byte, verified the other's, raised no alarm, and replayed every inspection it took part in to
// the in-process verdict from what it holds; the overloaded missiles are found by the nodes too.
TEST(ExerciseNodesTest, NodesHoldTheSameLogsAndReachTheSameVerdicts) {
  const std::string dir = FreshDir("nodes");
  CliResult r = RunTally({"exercise", "--notifications", "100", "--json", "--out", dir, "--cheat",
                          "RU:overloaded-missile:40"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out.substr(0, 2000);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["mode"], "nodes");
  const auto& nodes = doc["nodes"];
  EXPECT_EQ(nodes["ok"], true) << nodes.dump(1);
  ASSERT_EQ(nodes["parties"].size(), 2u);
  for (const auto& n : nodes["parties"]) {
    EXPECT_EQ(n["log_identical"], true) << n.dump();
    EXPECT_EQ(n["mirrors_complete"], true) << n.dump();
    EXPECT_EQ(n["alarms"], 0);
    EXPECT_EQ(n["exit_code"], 0);
    EXPECT_GT(n["documents_delivered"].get<int>(), 0);
  }
  // Every partner-only document the parties handed each other sits in the receiving node's inbox.
  auto count = [](const std::string& d) {
    return std::filesystem::is_directory(d) ? std::distance(std::filesystem::directory_iterator(d),
                                                            std::filesystem::directory_iterator())
                                            : 0;
  };
  EXPECT_EQ(count(dir + "/nodes/RU/inbox/US") + count(dir + "/nodes/US/inbox/RU"),
            count(dir + "/documents"));
  EXPECT_GT(count(dir + "/nodes/RU/inbox/US"), 0);
  EXPECT_EQ(nodes["verdicts_checked"], 72);
  EXPECT_TRUE(nodes["verdict_disagreements"].empty()) << nodes["verdict_disagreements"].dump(1);
  bool inconsistent = false;
  for (const auto& i : doc["inspections"])
    inconsistent = inconsistent || i["verdict"] == "inconsistent";
  EXPECT_TRUE(inconsistent);  // so the nodes' agreement covers a discrepancy found
  // The node directories are real: the CLI reads the nodes' logs under the nodes' network file.
  CliResult list = RunTally({"inspection", "list", "--network", dir + "/nodes/network.toml",
                             "--log", dir + "/nodes/US/log", "--log", dir + "/nodes/RU/log"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("RU-Y11-1"));
}

// A node killed with SIGKILL in the middle of an append restarts from its directory; the run
// resumes from what its log holds, nothing acknowledged lost, nothing appended twice.
TEST(ExerciseNodesTest, AKilledNodeRestartsAndTheYearResumes) {
  for (const char* seed : {"1", "2", "3"}) {
    CliResult r =
        RunTally({"exercise", "--chaos", "--notifications", "100", "--seed", seed, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto doc = nlohmann::json::parse(r.out);
    const auto& nodes = doc["nodes"];
    EXPECT_EQ(nodes["ok"], true) << nodes.dump(1);
    ASSERT_EQ(nodes["events"].size(), 1u);
    EXPECT_THAT(nodes["events"][0].get<std::string>(), HasSubstr("SIGKILL"));
    EXPECT_THAT(nodes["events"][0].get<std::string>(), HasSubstr("restarted"));
    EXPECT_EQ(nodes["parties"][0]["restarts"], 1);
  }
}

// The forked-log cheat: Russia's node shows the United States a log the witness never saw. The US
// node raises a fork alarm whose two checkpoints both verify under Russia's pinned log key:
// evidence anyone holding the network file can check.
TEST(ExerciseNodesTest, AForkedLogIsCaughtWithBothSignedCheckpoints) {
  const std::string dir = FreshDir("fork");
  CliResult r = RunTally(
      {"exercise", "--notifications", "100", "--json", "--out", dir, "--cheat", "RU:forked-log"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  const auto& nodes = doc["nodes"];
  EXPECT_EQ(nodes["ok"], true) << nodes.dump(1);
  ASSERT_TRUE(nodes["fork"].is_object());
  EXPECT_EQ(nodes["fork"]["caught"], true);
  EXPECT_EQ(nodes["fork"]["witness_saw"], true);
  EXPECT_EQ(nodes["witness"]["mirrors_complete"], true);
  ASSERT_EQ(doc["cheats"].size(), 1u);
  EXPECT_EQ(doc["cheats"][0]["caught"], true);
  EXPECT_EQ(doc["cheats"][0]["probability"], 1.0);
  // The evidence, on the US node: two notes, both signed by RU's log key, one size, two roots.
  std::string alarm_file;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/nodes/US/alarms")) {
    alarm_file = e.path().string();
  }
  ASSERT_FALSE(alarm_file.empty());
  const auto alarm = nlohmann::json::parse(ReadAll(alarm_file));
  EXPECT_EQ(alarm["kind"], "fork");
  ASSERT_EQ(alarm["checkpoints"].size(), 2u);
  EXPECT_NE(alarm["checkpoints"][0], alarm["checkpoints"][1]);
  const std::string vkey = ReadAll(dir + "/nodes/RU/log/vkey");
  for (const auto& note : alarm["checkpoints"]) {
    TempDir t;
    CliResult v = RunTally({"log", "verify", "--vkey", vkey.substr(0, vkey.find('\n')), "--note",
                            t.Write("note", note.get<std::string>())});
    EXPECT_EQ(v.exit_code, 0) << v.err;
  }
  EXPECT_EQ(RunTally({"node", "status", dir + "/nodes/US"}).exit_code, 1);
  // In process there is no node to show a fork: not applied, and said so.
  CliResult in = RunTally(
      {"exercise", "--in-process", "--notifications", "20", "--json", "--cheat", "RU:forked-log"});
  ASSERT_EQ(in.exit_code, 0) << in.err;
  EXPECT_THAT(nlohmann::json::parse(in.out)["cheats"][0]["not_applied"].get<std::string>(),
              HasSubstr("run with the nodes"));
}

TEST(ExerciseNodesTest, AMissingTallydIsNamed) {
  CliResult r = RunTally({"exercise", "--notifications", "10", "--tallyd", "/nonexistent/tallyd"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/tallyd"));
}

}  // namespace
}  // namespace tally::testing
