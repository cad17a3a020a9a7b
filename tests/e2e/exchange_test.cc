#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const std::string kInventory =
    std::string(TALLY_SOURCE_DIR) + "/data/inventories/us-2020-09-01.csv";

// The US 2020 inventory six months on: one silo's ICBM moved to storage (notified), one B-52H
// eliminated (notified late), one B-2A moved without notification, one new SLBM tube (not
// notified).
std::string NextRound() {
  std::istringstream in(ReadAll(kInventory));
  std::string line, out;
  std::getline(in, line);
  out = line + "\n";
  bool first = true;
  while (std::getline(in, line)) {
    if (first) {
      line = line.substr(0, line.rfind(',')) + ",2021-03-01";
      first = false;
    }
    if (line.starts_with("US-HB-0060,")) continue;  // eliminated
    if (line.starts_with("US-HB-0001,")) {
      line.replace(line.find("Whiteman AFB"), 12, "Edwards AFB");
    }
    out += line + "\n";
  }
  out += "US-SLBML-9999,US,slbm_launcher,Trident II D5 tube,non_deployed,Bangor,nuclear,,,,tube,\n";
  return out;
}

TEST(ExchangeCliTest, ContinuityFindsUnnotifiedChangesAndLateNotifications) {
  TempDir dir;
  ASSERT_EQ(RunTally({"declare", kInventory, "--out", dir.File("r1")}).exit_code, 0);
  const std::string next = dir.Write("next.csv", NextRound());
  auto d2 = RunTally({"declare", next, "--out", dir.File("r2")});
  ASSERT_EQ(d2.exit_code, 0) << d2.err;
  const std::string notes =
      dir.Write("notes.csv",
                "type,party,uid,event,notified,detail\n"
                "elimination,US,US-HB-0060,2020-11-02,2020-11-20,cut up at Davis-Monthan\n");
  auto r = RunTally({"exchange", "check", "--old", dir.File("r1"), "--new", dir.File("r2"),
                     "--notifications", notes, "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["removed"], 1);
  std::string kinds;
  for (const auto& f : doc["findings"]) {
    kinds += f["kind"].get<std::string>() + ":" + f["uid"].get<std::string>() + " ";
  }
  EXPECT_THAT(kinds, HasSubstr("missing-notification:US-HB-0001"));
  EXPECT_THAT(kinds, HasSubstr("missing-notification:US-SLBML-9999"));
  EXPECT_THAT(kinds, HasSubstr("late-notification:US-HB-0060"));

  // Partial openings: only what was opened is decided.
  ASSERT_EQ(RunTally({"declaration", "open", dir.File("r1"), "--facility", "Whiteman AFB", "--out",
                      dir.File("o1.json")})
                .exit_code,
            0);
  ASSERT_EQ(RunTally({"declaration", "open", dir.File("r2"), "--facility", "Whiteman AFB", "--out",
                      dir.File("o2.json")})
                .exit_code,
            0);
  r = RunTally({"exchange", "check", "--old", dir.File("r1") + "/declaration.json", "--old-bundle",
                dir.File("o1.json"), "--new", dir.File("r2") + "/declaration.json", "--new-bundle",
                dir.File("o2.json"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  doc = json::parse(r.out);
  EXPECT_FALSE(doc["new"]["complete"].get<bool>());
  EXPECT_THAT(doc["findings"].dump(), HasSubstr("unverified"));
}

TEST(ExchangeCliTest, RoundMarksAPartyWithoutDataNotProvided) {
  TempDir dir;
  ASSERT_EQ(RunTally({"declare", kInventory, "--out", dir.File("us")}).exit_code, 0);
  auto r = RunTally({"exchange", "round", "--date", "2020-09-01",
                     dir.File("us") + "/declaration.json", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  ASSERT_EQ(doc["parties"].size(), 2u);
  EXPECT_EQ(doc["parties"][0]["totals"]["deployed_warheads"], 1457);
  EXPECT_FALSE(doc["parties"][1]["provided"].get<bool>());
}

TEST(NotifyCliTest, DeadlinesAndLateFlags) {
  TempDir dir;
  const std::string notes = dir.Write("n.csv",
                                      "type,party,uid,event,notified,detail\n"
                                      "movement,US,US-HB-0001,2021-01-10,2021-01-15,\n"
                                      "movement,US,US-HB-0002,2021-01-10,2021-01-16,\n"
                                      "warhead-change,US,US-RV-0001,2020-10-01,2021-03-20,\n"
                                      "conversion,US,US-HB-0003,2021-01-10,,\n");
  auto r = RunTally({"notify", "check", notes, "--today", "2021-02-01", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  auto n = json::parse(r.out)["notifications"];
  EXPECT_EQ(n[0]["due"], "2021-01-15");
  EXPECT_FALSE(n[0]["late"].get<bool>());
  EXPECT_TRUE(n[1]["late"].get<bool>());
  EXPECT_EQ(n[2]["due"], "2021-03-31");  // with the six-month update: 1 March + 30 days
  EXPECT_FALSE(n[2]["late"].get<bool>());
  EXPECT_TRUE(n[3]["missing"].get<bool>());
  const std::string bad =
      dir.Write("bad.csv", "type,party,uid,event,notified\nteleport,US,X,2021-01-01,\n");
  r = RunTally({"notify", "check", bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.csv:2: field 'type'"));
}

}  // namespace
}  // namespace tally::testing
