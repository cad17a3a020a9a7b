// A treaty year between three parties (the hypothetical trilateral-example treaty: US, RU, CN):
// every party inspects each other party with its quota shared between them, every inspection of an
// honest year is consistent, China's inventory comes from its own (estimated) structure and the
// compliance rows say what it counts to, a cheat by China is caught as the detection model
// predicts, and bad parties are refused with their reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tally/exercise/force_structure.h"
#include "tally/exercise/treaty_year.h"
#include "tally/inspect/monte_carlo.h"
#include "tally/treaty/treaty_set.h"

namespace tally::exercise {
namespace {

using ::testing::HasSubstr;

const treaty::TreatySet& Treaties() {
  static auto* set = new treaty::TreatySet(treaty::LoadDefaultTreaties().value());
  return *set;
}

inspection::TreatyLookup Lookup() {
  return [](const std::string& id) { return Treaties().Find(id); };
}

TreatyYearOptions Trilateral() {
  TreatyYearOptions o;
  o.treaty = "trilateral-example";
  o.parties = {"US", "RU", "CN"};
  o.year = DefaultTreatyYear(*Treaties().Find("trilateral-example"));
  o.notifications_per_party = 30;
  return o;
}

TEST(TrilateralTest, TheDefaultYearIsTheFirstInWhichTheLimitsBind) {
  EXPECT_EQ(DefaultTreatyYear(*Treaties().Find("trilateral-example")), 8);
  EXPECT_EQ(DefaultTreatyYear(*Treaties().Find("new-start")), 11);
}

TEST(TrilateralTest, AnHonestYearOfThreePartiesIsConsistentThroughout) {
  auto run = RunTreatyYear(Trilateral(), Lookup());
  ASSERT_TRUE(run.ok()) << run.error().message();
  EXPECT_EQ(run->begins.ToString(), "2035-02-05");
  ASSERT_EQ(run->source.logs.size(), 3u);
  // Who inspected whom, by type: each party each other party, its quota shared evenly (US and RU
  // 10 Type One a year, CN 6; Type Two 8 each). China declares no site with only non-deployed
  // systems, so nobody makes a Type Two inspection of China.
  std::map<std::string, int> count;
  for (const std::string& id : run->inspections) {
    auto rec = inspection::Replay(Lookup(), run->source, id, 0);
    ASSERT_TRUE(rec.ok()) << id << ": " << rec.error().message();
    EXPECT_EQ(rec->Verdict(), "consistent") << id;
    EXPECT_EQ(rec->stage, inspection::Stage::kRecorded) << id;
    ++count[rec->inspecting + ">" + rec->request.inspected + " " + rec->request.type];
  }
  EXPECT_EQ(count["US>RU type-one"], 5);
  EXPECT_EQ(count["US>CN type-one"], 5);
  EXPECT_EQ(count["RU>US type-one"], 5);
  EXPECT_EQ(count["RU>CN type-one"], 5);
  EXPECT_EQ(count["CN>US type-one"], 3);
  EXPECT_EQ(count["CN>RU type-one"], 3);
  EXPECT_EQ(count["US>RU type-two"], 4);
  EXPECT_EQ(count["CN>US type-two"], 4);
  EXPECT_EQ(count["US>CN type-two"], 0);
  EXPECT_EQ(count["RU>CN type-two"], 0);
  for (const auto& log : run->source.logs) EXPECT_TRUE(log.refused().empty()) << log.owner();
  // China's inventory is its own structure's, dated early 2025 and so extrapolated to 2035.
  ASSERT_EQ(run->structures.size(), 3u);
  EXPECT_EQ(run->structures[2].party, "CN");
  EXPECT_THAT(run->structures[2].file, HasSubstr("structure-cn-2025-03-12.csv"));
  EXPECT_LT(run->structures[2].as_of, run->begins);
}

// What China's structure counts to under the example treaty, truthfully: the midpoints give 267
// deployed missiles and bombers and 44 deployed warheads (24 RVs + 1 per bomber), within its
// ceilings, but the ~305 empty silos of the three silo fields are non-deployed launchers, as New
// START counts them: 572 launchers over the example's 500 for China.
TEST(TrilateralTest, TheComplianceRowsSayWhatChinaCountsTo) {
  auto run = RunTreatyYear(Trilateral(), Lookup());
  ASSERT_TRUE(run.ok()) << run.error().message();
  std::map<std::string, int64_t> cn;
  std::map<std::string, std::string> verdict;
  for (const ComplianceRow& row : run->compliance) {
    verdict[row.party] = row.declared_verdict;
    EXPECT_EQ(row.declared_verdict, row.actual_verdict) << row.party;
    if (row.party != "CN") continue;
    for (const LimitCount& l : row.limits) {
      cn[l.limit] = l.declared;
      EXPECT_EQ(l.declared, l.actual);
    }
  }
  EXPECT_EQ(cn["Deployed ICBMs + SLBMs + heavy bombers"], 267);
  EXPECT_EQ(cn["Deployed warheads"], 44);
  EXPECT_EQ(cn["Deployed + non-deployed launchers"], 572);
  EXPECT_EQ(verdict["CN"], "violation");
  EXPECT_EQ(verdict["US"], "compliant");
  EXPECT_EQ(verdict["RU"], "compliant");
}

// China's 24 loaded DF-5s (one RV each, room for five): 20 of them carrying one more than
// declared. Over seeds, the share of years the regime catches it lies in the 95 % interval around
// the probability the model computes (US and RU each make 5 Type One inspections of China's 8
// deployed sites a year, designating two missiles each).
TEST(TrilateralTest, AChineseCheatIsCaughtAsTheModelPredicts) {
  const int runs = 30;
  int caught = 0;
  double p = 0;
  for (int k = 0; k < runs; ++k) {
    TreatyYearOptions o = Trilateral();
    o.notifications_per_party = 0;
    o.seed = 200 + static_cast<uint64_t>(k);
    o.cheats.push_back(ParseCheat("CN:overloaded-missile:20", o.parties).value());
    auto run = RunTreatyYear(o, Lookup());
    ASSERT_TRUE(run.ok()) << run.error().message();
    ASSERT_EQ(run->outcomes.size(), 1u);
    EXPECT_EQ(run->outcomes[0].applied, 20);
    if (run->outcomes[0].caught) {
      EXPECT_THAT(run->outcomes[0].by, HasSubstr("inspection"));
      EXPECT_THAT(run->outcomes[0].finding, HasSubstr("reentry"));
    }
    caught += run->outcomes[0].caught ? 1 : 0;
    p += run->outcomes[0].probability;
  }
  p /= runs;
  EXPECT_GT(p, 0.3);
  EXPECT_LT(p, 1.0);
  double low = 0, high = 0;
  inspect::WilsonInterval(static_cast<uint64_t>(caught), static_cast<uint64_t>(runs), low, high);
  EXPECT_LE(low, p + 1e-9) << "caught " << caught << "/" << runs << ", model " << p;
  EXPECT_GE(high + 1e-9, p) << "caught " << caught << "/" << runs << ", model " << p;
}

// China declares no storage site (no count of its non-deployed missiles is published): a hidden
// reserve finds nowhere to hide, and the run says so rather than claiming a catch.
TEST(TrilateralTest, AChineseHiddenReserveIsNotAppliedAndSaysWhy) {
  TreatyYearOptions o = Trilateral();
  o.cheats.push_back(ParseCheat("CN:hidden-reserve:10", o.parties).value());
  auto run = RunTreatyYear(o, Lookup());
  ASSERT_TRUE(run.ok()) << run.error().message();
  ASSERT_EQ(run->outcomes.size(), 1u);
  EXPECT_EQ(run->outcomes[0].applied, 0);
  EXPECT_FALSE(run->outcomes[0].not_applied.empty());
  EXPECT_FALSE(run->outcomes[0].caught);
}

TEST(TrilateralTest, ItemsPerPartyBringsEveryPartyToAboutThatSize) {
  auto s = LoadExerciseStructure({"US", "RU", "CN"}, 1, 10000);
  ASSERT_TRUE(s.ok()) << s.error().message();
  ASSERT_EQ(s->parties.size(), 3u);
  for (const PartyStructure& p : s->parties) {
    EXPECT_GT(p.items, 9000u) << p.party;
    EXPECT_LT(p.items, 11000u) << p.party;
    EXPECT_EQ(p.items, GeneratedItems(s->rows, p.party));
  }
  EXPECT_GT(s->parties[2].scale, s->parties[0].scale);  // China's structure is the smallest
  EXPECT_FALSE(LoadExerciseStructure({"US"}, 2, 10000).ok());
  EXPECT_FALSE(LoadExerciseStructure({"US"}, 1, -1).ok());
}

TEST(TrilateralTest, BadPartiesAreRefusedWithTheirReason) {
  auto refused = [](std::vector<std::string> parties, const std::string& treaty = "") {
    TreatyYearOptions o = Trilateral();
    if (!treaty.empty()) {
      o.treaty = treaty;
      o.year = 11;
    }
    o.parties = std::move(parties);
    auto run = RunTreatyYear(o, Lookup());
    EXPECT_FALSE(run.ok());
    return run.ok() ? std::string() : run.error().message();
  };
  EXPECT_THAT(refused({"US"}), HasSubstr("at least two"));
  EXPECT_THAT(refused({"US", "RU", "XX"}), HasSubstr("\"XX\""));
  EXPECT_THAT(refused({"US", "RU", "RU"}), HasSubstr("RU twice"));
  EXPECT_THAT(refused({"US", "RU", "FR"}), HasSubstr("FR is not a party of trilateral-example"));
  EXPECT_THAT(refused({"US", "RU", "CN"}, "new-start"),
              HasSubstr("CN is not a party of new-start"));
  // Treaty years past the treaty's end (trilateral-example ends 2038-02-05: years 1 to 10).
  TreatyYearOptions o = Trilateral();
  o.years = 4;
  auto run = RunTreatyYear(o, Lookup());
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.error().message(), HasSubstr("its treaty years are 1 to 10"));
}

}  // namespace
}  // namespace tally::exercise
