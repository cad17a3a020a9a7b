#include "tally/estimate/evidence.h"

#include <gtest/gtest.h>

namespace tally::estimate {
namespace {

constexpr char kHeader[] = "state,category,date,kind,relation,value,low,high,sd,source,note\n";

TEST(EvidenceTest, ParsesPointsBoundsAndRanges) {
  const std::string text = std::string(kHeader) +
                           "China,stockpile,2025,independent,=,600,,,,FAS 2025,\n"
                           "CN,stockpile,2030,government,>=,1000,,,,DoD CMPR 2024,\n"
                           "RU,deployed_strategic,2025-05,independent,in,,1600,1800,,x,\n";
  auto obs = ParseEvidenceCsv(text, "e.csv");
  ASSERT_TRUE(obs.ok()) << obs.error().ToString();
  ASSERT_EQ(obs->size(), 3u);
  EXPECT_EQ((*obs)[0].state, "CN");
  EXPECT_EQ((*obs)[0].date.ToString(), "2025-01-01");
  EXPECT_EQ((*obs)[1].relation, Relation::kAtLeast);
  EXPECT_EQ((*obs)[2].relation, Relation::kBetween);
  EXPECT_DOUBLE_EQ((*obs)[2].value, 1700);
  EXPECT_EQ((*obs)[2].where, "e.csv:4");
}

TEST(EvidenceTest, BadInputNamesFileLineAndField) {
  struct Case {
    std::string row;
    std::string expect;
  };
  const Case cases[] = {
      {"CN,stockpile,2025,independent,=,-5,,,,FAS,\n", "e.csv:2: field 'value'"},
      {"CN,stockpile,2023-02-29,independent,=,5,,,,FAS,\n", "e.csv:2: field 'date'"},
      {"XX,stockpile,2025,independent,=,5,,,,FAS,\n", "e.csv:2: field 'state'"},
      {"CN,warheads,2025,independent,=,5,,,,FAS,\n", "e.csv:2: field 'category'"},
      {"CN,stockpile,2025,rumour,=,5,,,,FAS,\n", "e.csv:2: field 'kind'"},
      {"CN,stockpile,2025,independent,~,5,,,,FAS,\n", "e.csv:2: field 'relation'"},
      {"CN,stockpile,2025,independent,=,5,,,,,\n", "e.csv:2: field 'source'"},
      {"CN,stockpile,2025,independent,in,,,7,,FAS,\n", "e.csv:2: field 'low'"},
  };
  for (const auto& c : cases) {
    auto obs = ParseEvidenceCsv(std::string(kHeader) + c.row, "e.csv");
    ASSERT_FALSE(obs.ok()) << c.row;
    EXPECT_NE(obs.error().message().find(c.expect), std::string::npos) << obs.error().message();
  }
  auto unknown = ParseEvidenceCsv(
      "state,category,date,kind,relation,value,low,high,sd,source,note,colour\n", "e.csv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("colour"), std::string::npos);
}

TEST(EvidenceTest, InconsistentCategoriesAreAnError) {
  const std::string text = std::string(kHeader) +
                           "RU,deployed_strategic,2025,independent,=,1718,,,,FAS 2025,\n"
                           "RU,reserve,2025,independent,=,2591,,,,FAS 2025,\n"
                           "RU,stockpile,2025,independent,=,4300,,,,FAS 2025,\n";
  auto obs = ParseEvidenceCsv(text, "e.csv");
  ASSERT_FALSE(obs.ok());
  EXPECT_NE(obs.error().message().find("e.csv:4: field 'value'"), std::string::npos)
      << obs.error().message();
  const std::string fixed = std::string(kHeader) +
                            "RU,deployed_strategic,2025,independent,=,1718,,,,FAS 2025,\n"
                            "RU,reserve,2025,independent,=,2591,,,,FAS 2025,\n"
                            "RU,stockpile,2025,independent,=,4309,,,,FAS 2025,\n";
  EXPECT_TRUE(ParseEvidenceCsv(fixed, "e.csv").ok());
}

TEST(EvidenceTest, NewStartTableBecomesDeclaredObservations) {
  const std::string text =
      "as_of_date,party,deployed_icbm_slbm_hb,warheads_on_deployed,"
      "deployed_and_nondeployed_launchers,confidence,notes,source\n"
      "2022-09-01,Russian Federation,540,1549,759,confirmed,,MFA\n"
      "2023-03-01,Russian Federation,,,,not provided,,\n";
  auto obs = ParseNewStartAggregates(text, "ns.csv");
  ASSERT_TRUE(obs.ok()) << obs.error().ToString();
  ASSERT_EQ(obs->size(), 3u);
  EXPECT_EQ((*obs)[1].category, "new_start_warheads");
  EXPECT_EQ((*obs)[1].kind, SourceKind::kDeclared);
  EXPECT_DOUBLE_EQ((*obs)[1].value, 1549);
}

}  // namespace
}  // namespace tally::estimate
