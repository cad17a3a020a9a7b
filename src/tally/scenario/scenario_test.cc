#include "tally/scenario/scenario.h"

#include <gtest/gtest.h>

#include "tally/scenario/toml_lite.h"

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

TEST(TomlLiteTest, ParsesTheSubsetWithLines) {
  auto doc = ParseTomlLite(kGood, "s.toml");
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  ASSERT_EQ(doc->tables.size(), 7u);
  EXPECT_EQ(doc->tables[1].name, "scenario");
  EXPECT_EQ(doc->tables[1].Find("start")->text, "2025-01-01");
  EXPECT_EQ(doc->tables[2].line, 10);
  EXPECT_EQ(doc->tables[2].Find("max")->number, 1500);
  EXPECT_EQ(doc->tables[2].Find("growth")->Find("sd")->number, 20);
}

TEST(TomlLiteTest, RejectsWhatItDoesNotSupport) {
  for (const char* bad : {"a.b = 1", "'k' = 1", "k = 'x'", "k = \"\"\"x\"\"\"", "k = 1\nk = 2",
                          "[t]\n[t]", "k = [1, 2", "k = \"open", "k = 1979-05-27T07:32:00",
                          "k = 1__0", "k = 1 2", "[t", "k = {a = 1"}) {
    EXPECT_FALSE(ParseTomlLite(bad, "x.toml").ok()) << bad;
  }
  auto dup = ParseTomlLite("\n\nk = 1\nk = 2\n", "x.toml");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message().find("x.toml:4: key 'k'"), std::string::npos);
}

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
  ExpectError("members = 50", "member = 50", "s.toml:6: key 'member': unknown key");
  ExpectError("initial = 600", "initial = -600", "s.toml:13: key 'initial'");
  ExpectError("end = \"2027-01-01\"", "end = \"2027-02-30\"", "s.toml:5: key 'end'");
  ExpectError("end = \"2027-01-01\"", "end = \"2024-01-01\"", "s.toml:5: key 'end'");
  ExpectError("state = \"China\"", "state = \"Atlantis\"", "s.toml:11: key 'state'");
  ExpectError("to = \"CN\"", "to = \"FR\"", "s.toml:25: key 'to'");
  ExpectError("[[limit]]", "[[limits]]", "s.toml:38: key 'limits': unknown table");
  ExpectError("source = \"FAS 2025\"\n\n[[party]]", "\n\n[[party]]",
              "s.toml:10: key 'source': expected a non-empty string");
  ExpectError("sd = 20", "sd = -20", "key 'growth.sd'");
  ExpectError("cap = 1550", "cap = -1550", "s.toml:35: key 'cap'");
  ExpectError("until = 2027-02-05", "until = 2026-01-01", "key 'until'");
}

}  // namespace
}  // namespace tally::scenario
