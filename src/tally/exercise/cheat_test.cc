// Cheats in a treaty year: each is caught by what should catch it, the rest of the year stays
// consistent, and the rate at which the statistical ones are caught over many seeds agrees with
// the probability the detection model computes for the same regime.
#include "tally/exercise/cheat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/exercise/detection_model.h"
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

Cheat Parse(const std::string& text) { return ParseCheat(text, {"US", "RU"}).value(); }

TreatyYearRun RunWith(const std::vector<std::string>& cheats, uint64_t seed = 1) {
  TreatyYearOptions o;
  o.notifications_per_party = 40;
  o.seed = seed;
  for (const std::string& c : cheats) o.cheats.push_back(Parse(c));
  auto run = RunTreatyYear(o, Lookup());
  EXPECT_TRUE(run.ok()) << run.error().message();
  return run.ok() ? std::move(*run) : TreatyYearRun{};
}

TEST(CheatTest, ParsesPartyKindAndSizeAndNamesWhatIsWrong) {
  const Cheat c = Parse("ru:overloaded-missile:12");
  EXPECT_EQ(c.party, "RU");
  EXPECT_EQ(c.kind, CheatKind::kOverloadedMissile);
  EXPECT_EQ(c.amount, 12);
  EXPECT_EQ(Parse("US:late-notification").amount, 3);
  EXPECT_EQ(CheatToString(c), "RU:overloaded-missile:12");
  EXPECT_THAT(ParseCheat("CN:refuse-reveal", {"US", "RU"}).error().message(),
              HasSubstr("party \"CN\" is not in the exercise (US, RU)"));
  EXPECT_THAT(ParseCheat("RU:hidden", {"US", "RU"}).error().message(),
              HasSubstr("unknown kind \"hidden\" (known: overloaded-missile"));
  EXPECT_THAT(ParseCheat("RU:hidden-reserve:-3", {"US", "RU"}).error().message(),
              HasSubstr("whole number from 1 to 100000"));
  EXPECT_THAT(ParseCheat("RU", {"US", "RU"}).error().message(), HasSubstr("PARTY:KIND"));
  EXPECT_FALSE(ParseCheat("RU:swap-declaration:2", {"US", "RU"}).ok());
}

TEST(DetectionModelTest, MatchesHandComputedCases) {
  // One site of 10 candidates, 1 defective, one visit designating one: 1/10.
  EXPECT_NEAR(YearDetectionProbability({{"a", 10, 1}}, 1, 1).value(), 0.1, 1e-12);
  // Two visits of one site: two independent designations.
  EXPECT_NEAR(YearDetectionProbability({{"a", 10, 1}}, 2, 1).value(), 1 - 0.81, 1e-12);
  // Two sites, one visit: half the time the right site, then 1/10.
  EXPECT_NEAR(YearDetectionProbability({{"a", 10, 1}, {"b", 5, 0}}, 1, 1).value(), 0.05, 1e-12);
  // Three visits over two sites: both once, then one of them again.
  EXPECT_NEAR(YearDetectionProbability({{"a", 10, 1}, {"b", 5, 0}}, 3, 1).value(),
              1 - 0.9 * (0.5 * 0.9 + 0.5), 1e-12);
  EXPECT_FALSE(YearDetectionProbability({{"a", 1, 2}}, 1, 1).ok());
  EXPECT_EQ(YearDetectionProbability({}, 3, 1).value(), 0.0);
}

TEST(CheatTest, ProceduralCheatsAreAlwaysCaughtAndNamed) {
  const TreatyYearRun run =
      RunWith({"RU:refuse-reveal", "RU:swap-declaration", "US:late-notification:2"});
  ASSERT_EQ(run.outcomes.size(), 3u);
  const CheatOutcome& refuse = run.outcomes[0];
  EXPECT_TRUE(refuse.caught) << refuse.finding;
  EXPECT_THAT(refuse.by, HasSubstr("inspection US-Y11-"));
  EXPECT_THAT(refuse.evidence, HasSubstr("US log entry"));
  const CheatOutcome& swap = run.outcomes[1];
  EXPECT_TRUE(swap.caught) << swap.finding;
  EXPECT_THAT(swap.evidence, HasSubstr("RU log entry"));
  EXPECT_FALSE(swap.finding.empty());
  const CheatOutcome& late = run.outcomes[2];
  EXPECT_TRUE(late.caught);
  EXPECT_THAT(late.finding, HasSubstr("days late (2 late notifications in all)"));
  for (const CheatOutcome& o : run.outcomes) EXPECT_EQ(o.probability, 1.0);
  // The refusing inspection is inconsistent; every inspection of the honest party is not.
  for (const std::string& id : run.inspections) {
    auto rec = inspection::Replay(Lookup(), run.source, id, 0);
    ASSERT_TRUE(rec.ok()) << rec.error().message();
    if (rec->request.inspected == "US") {
      EXPECT_EQ(rec->Verdict(), "consistent") << id;
    }
  }
}

TEST(CheatTest, OverloadedMissilesShowInTheActualCountsNotTheDeclaredOnes) {
  const TreatyYearRun run = RunWith({"RU:overloaded-missile:25"});
  bool seen = false;
  for (const ComplianceRow& row : run.compliance) {
    if (row.party != "RU") continue;
    for (const LimitCount& l : row.limits) {
      if (l.limit.find("warheads") == std::string::npos) continue;
      EXPECT_EQ(l.actual - l.declared, 25) << l.limit << " " << row.as_of.ToString();
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
  ASSERT_EQ(run.outcomes.size(), 1u);
  EXPECT_GT(run.outcomes[0].probability, 0.0);
  EXPECT_LT(run.outcomes[0].probability, 1.0);
  if (run.outcomes[0].caught) {
    EXPECT_THAT(run.outcomes[0].finding, HasSubstr("reentry"));
  }
}

// The whole system against its own statistics: over many seeds the share of years in which a
// cheat is caught lies in the 95 % interval around the mean probability the model computes.
void ExpectCatchRateAgrees(const std::string& cheat, int runs) {
  int caught = 0;
  double p = 0;
  for (int k = 0; k < runs; ++k) {
    TreatyYearOptions o;
    o.notifications_per_party = 0;
    o.seed = 100 + static_cast<uint64_t>(k);
    o.cheats.push_back(Parse(cheat));
    auto run = RunTreatyYear(o, Lookup());
    ASSERT_TRUE(run.ok()) << run.error().message();
    caught += run->outcomes[0].caught ? 1 : 0;
    p += run->outcomes[0].probability;
  }
  p /= runs;
  double low = 0, high = 0;
  inspect::WilsonInterval(static_cast<uint64_t>(caught), static_cast<uint64_t>(runs), low, high);
  EXPECT_LE(low, p) << cheat << ": caught " << caught << "/" << runs << ", model " << p;
  EXPECT_GE(high, p) << cheat << ": caught " << caught << "/" << runs << ", model " << p;
}

TEST(CheatRateSlow, OverloadedMissilesAgreeWithTheModel) {
  ExpectCatchRateAgrees("RU:overloaded-missile:40", 40);
}

TEST(CheatRateSlow, AHiddenReserveAgreesWithTheModel) {
  ExpectCatchRateAgrees("US:hidden-reserve:5", 10);
}

}  // namespace
}  // namespace tally::exercise
