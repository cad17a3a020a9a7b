#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using nlohmann::json;

TEST(InspectCliTest, PowerJsonAtFullPrecision) {
  auto r =
      RunTally({"inspect", "power", "--items", "100", "--cheats", "5", "--sample", "15", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_NEAR(doc["p_miss"].get<double>(), 0.435683324407506, 1e-13);
  EXPECT_DOUBLE_EQ(doc["p_detect"].get<double>() + doc["p_miss"].get<double>(), 1.0);
}

TEST(InspectCliTest, PowerExactFraction) {
  auto r = RunTally({"inspect", "power", "-N", "100", "-r", "5", "-n", "10", "--exact", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["p_miss_exact"], "110983/190120");
}

TEST(InspectCliTest, PlanShowsExactBesideIaea) {
  auto r = RunTally({"inspect", "plan", "-N", "1550", "-r", "5", "--target", "0.9", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto plan = json::parse(r.out)["plans"][0];
  EXPECT_EQ(plan["sample"], 572);
  EXPECT_EQ(plan["iaea_sample"], 573);
}

TEST(InspectCliTest, SimulateIsReproducibleAndBracketsExact) {
  std::vector<std::string> args = {"inspect",  "simulate", "--site",  "A:150:12", "--site",
                                   "B:150:0",  "--site",   "C:120:3", "--visits", "2",
                                   "--trials", "200000",   "--seed",  "9",        "--json"};
  auto a = RunTally(args);
  auto b = RunTally(args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  auto doc = json::parse(a.out);
  EXPECT_LE(doc["ci95"][0].get<double>(), doc["p_detect_exact"].get<double>());
  EXPECT_GE(doc["ci95"][1].get<double>(), doc["p_detect_exact"].get<double>());
}

TEST(InspectCliTest, GameAnnouncesComplianceInducingStrategy) {
  auto r = RunTally({"inspect", "game", "-d", "1", "-b", "9", "-N", "627", "-r", "10", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["inspected_party_best_response_leadership"], "comply");
  EXPECT_GE(doc["p_detect"].get<double>(), 0.1);
}

TEST(InspectCliTest, BadInputExitsTwoAndNamesTheField) {
  auto r = RunTally({"inspect", "power", "-N", "10", "-r", "11", "-n", "2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cheats"), std::string::npos);
  r = RunTally({"inspect", "simulate", "--site", "A:x:1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("field 'items'"), std::string::npos) << r.err;
  r = RunTally({"inspect", "power", "-N", "abc", "-r", "1", "-n", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace tally::testing

namespace tally::testing {
namespace {

TEST(InspectRandomCliTest, CommitRevealSeedSelectRoundTrip) {
  TempDir dir;
  auto commit = [&](const std::string& party, bool reveal) {
    std::vector<std::string> args = {
        "inspect", "commit", "--round",       "2026/t1/1",
        "--party", party,    "--secret-file", dir.File(party + ".sec")};
    if (reveal) args.push_back("--reveal");
    auto r = RunTally(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.size() - 1);
  };
  const std::string cu = commit("US", false), cr = commit("RU", false);
  const std::string su = commit("US", true), sr = commit("RU", true);
  EXPECT_NE(cu, su);  // the commitment does not show the secret
  auto seed = RunTally({"inspect", "seed", "--round", "2026/t1/1", "--commit", "US=" + cu,
                        "--commit", "RU=" + cr, "--reveal", "US=" + su, "--reveal", "RU=" + sr});
  ASSERT_EQ(seed.exit_code, 0) << seed.err;
  const std::string s = seed.out.substr(0, 64);
  auto a = RunTally({"inspect", "select", "--seed", s, "--count", "2", "--from", "-"},
                    "MM3-004\nMM3-001\nMM3-003\nMM3-002\n");
  auto b = RunTally({"inspect", "select", "--seed", s, "--count", "2", "--from", "-"},
                    "MM3-001\nMM3-002\nMM3-003\nMM3-004\n");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);  // anyone recomputes the same selection
  // A reveal that does not open its commitment is a finding (exit 1) naming the party.
  auto bad = RunTally({"inspect", "seed", "--round", "2026/t1/1", "--commit", "US=" + cu,
                       "--commit", "RU=" + cr, "--reveal", "US=" + sr, "--reveal", "RU=" + sr});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("revealed by US does not match its commitment"), std::string::npos)
      << bad.err;
}

TEST(InspectRandomCliTest, LooseSecretFileIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("s.sec", std::string(64, 'a') + "\n");
  auto r = RunTally({"inspect", "commit", "--round", "r", "--party", "US", "--secret-file", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("readable by others"), std::string::npos);
  EXPECT_EQ(r.out.find(std::string(64, 'a')), std::string::npos);
}

}  // namespace
}  // namespace tally::testing
