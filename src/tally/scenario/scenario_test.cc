#include "tally/scenario/scenario.h"

#include <gtest/gtest.h>

namespace tally::scenario {
namespace {

constexpr char kGood[] = R"(# A small scenario
[scenario]
name = "test"
start = 2025-01-01
end = "2027-01-01"
members = 50
seed = 7
treaties = ["new-start"]

[[party]]
state = "China"
quantity = "stockpile"
initial = 600
growth = { dist = "normal", mean = 100, sd = 20 }
max = 1_500
source = "FAS 2025"

[[party]]
id = "US"
state = "US"
quantity = "deployed_warheads"
initial = 1670
source = "FAS 2025"

[[reaction]]
party = "US"
to = "CN"
coefficient = { dist = "uniform", low = 0.0, high = 0.1 }
source = "assumption"

[[phase]]
party = "US"
from = 2026-02-05
until = 2027-02-05
cap = 1550
source = "Russian offer, Sept 2025"

[[limit]]
id = "tri"
quantity = "deployed_warheads"
parties = ["US", "RU", "CN"]
max = 1550
from = 2026-06-01
source = "hypothetical"
)";

TEST(ScenarioTest, ParsesEveryTable) {
  auto sc = ParseScenario(kGood, "s.toml");
  ASSERT_TRUE(sc.ok()) << sc.error().ToString();
  EXPECT_EQ(sc->name, "test");
  EXPECT_EQ(sc->members, 50);
  EXPECT_EQ(sc->seed, 7u);
  ASSERT_EQ(sc->series.size(), 2u);
  EXPECT_EQ(sc->series[0].id, "CN");
  EXPECT_EQ(sc->series[0].growth.kind, Param::Kind::kNormal);
  EXPECT_EQ(sc->series[0].growth.Describe(), "normal(100, 20)");
  EXPECT_EQ(*sc->series[0].max, 1500);
  ASSERT_EQ(sc->reactions.size(), 1u);
  ASSERT_EQ(sc->phases.size(), 1u);
  EXPECT_EQ(*sc->phases[0].cap, 1550);
  ASSERT_EQ(sc->limits.size(), 1u);
  EXPECT_TRUE(sc->limits[0].Applies("CN", *Date::Parse("2026-06-01")));
  EXPECT_FALSE(sc->limits[0].Applies("CN", *Date::Parse("2026-05-31")));
  EXPECT_FALSE(sc->limits[0].Applies("FR", *Date::Parse("2030-01-01")));
  EXPECT_EQ(sc->Dates().size(), 25u);
}

void ExpectError(const std::string& from, const std::string& to, const std::string& expect) {
  std::string text = kGood;
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  auto sc = ParseScenario(text, "s.toml");
  ASSERT_FALSE(sc.ok()) << to;
  EXPECT_NE(sc.error().message().find(expect), std::string::npos) << sc.error().message();
}

TEST(ScenarioTest, BadInputNamesFileLineAndKey) {
  ExpectError("members = 50", "member = 50",
              "s.toml:6: field 'scenario.member': expected a known key");
  ExpectError("initial = 600", "initial = -600",
              "s.toml:13: field 'party[0].initial': expected a non-negative number, got -600");
  ExpectError("end = \"2027-01-01\"", "end = \"2027-02-30\"", "s.toml:5: field 'scenario.end'");
  ExpectError("end = \"2027-01-01\"", "end = \"2024-01-01\"",
              "s.toml:5: field 'scenario.end': expected a date after start 2025-01-01");
  ExpectError("state = \"China\"", "state = \"Atlantis\"",
              "s.toml:11: field 'party[0].state': expected a known state");
  ExpectError("to = \"CN\"", "to = \"FR\"",
              "s.toml:27: field 'reaction[0].to': expected the id of a [[party]], got \"FR\"");
  ExpectError("[[limit]]", "[[limits]]", "s.toml:38: field 'limits': expected [scenario]");
  ExpectError("source = \"FAS 2025\"\n\n[[party]]", "\n\n[[party]]",
              "s.toml:10: field 'party[0].source': expected a non-empty string");
  ExpectError("sd = 20", "sd = -20", "field 'party[0].growth.sd': expected sd >= 0, got -20");
  ExpectError("cap = 1550", "cap = -1550", "s.toml:35: field 'phase[0].cap'");
  ExpectError("until = 2027-02-05", "until = 2026-01-01", "field 'phase[0].until'");
  ExpectError("high = 0.1", "high = 0.1, dist2 = 1",
              "field 'reaction[0].coefficient.dist2': expected one of the distribution's keys");
  ExpectError("members = 50", "members = 2.5",
              "s.toml:6: field 'scenario.members': expected an integer 1..1000000, got 2.5");
  ExpectError("start = 2025-01-01", "start = 2025-01-01T10:00:00",
              "s.toml:4: field 'scenario.start': expected a date");
  ExpectError("members = 50", "members = 50\nmembers = 51", "s.toml:7: invalid TOML");
  ExpectError("[scenario]", "[[scenario]]", "field 'scenario': expected a table [scenario]");
  ExpectError("name = \"test\"", "name = \"test\"\nname2 = [[[[1]]]]", "field 'scenario.name2'");
}

TEST(ScenarioTest, LooseDatesAndIntegersAsNumbers) {
  std::string text = kGood;
  text.replace(text.find("end = \"2027-01-01\""), 18, "end = \"2027-06\"");
  auto sc = ParseScenario(text, "s.toml");
  ASSERT_TRUE(sc.ok()) << sc.error().ToString();
  EXPECT_EQ(sc->end.ToString(), "2027-06-01");
  EXPECT_EQ(sc->series[0].line, 10);
  EXPECT_EQ(sc->series[1].line, 18);
  EXPECT_EQ(sc->reactions[0].coefficient.Describe(), "uniform(0, 0.1)");
}

TEST(ScenarioTest, MissingTablesAreNamed) {
  auto no_header = ParseScenario("[[party]]\nstate = \"CN\"\n", "s.toml");
  ASSERT_FALSE(no_header.ok());
  EXPECT_NE(no_header.error().message().find("field 'scenario': expected a [scenario] table"),
            std::string::npos)
      << no_header.error().message();
  auto no_party =
      ParseScenario("[scenario]\nname = \"x\"\nstart = 2025-01-01\nend = 2026-01-01\n", "s.toml");
  ASSERT_FALSE(no_party.ok());
  EXPECT_NE(no_party.error().message().find("field 'party': expected at least one [[party]]"),
            std::string::npos)
      << no_party.error().message();
}

}  // namespace
}  // namespace tally::scenario
