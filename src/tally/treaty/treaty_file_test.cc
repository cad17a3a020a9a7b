#include "tally/treaty/treaty_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tally/treaty/treaty_set.h"
#include "tally/treaty/treaty_status.h"

namespace tally::treaty {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* s) { return *Date::Parse(s); }

constexpr char kMinimal[] = R"(id = "t"
name = "T"
parties = ["US", "RU"]

[dates]
signed = 2000-01-01
entry_into_force = 2001-01-01

[[quantities]]
id = "q"
name = "Q"

[[limits]]
id = "l"
quantity = "q"
name = "L"
max = 10
)";

std::string WithLine(const std::string& text, const std::string& after, const std::string& line) {
  std::string out = text;
  size_t at = out.find(after);
  EXPECT_NE(at, std::string::npos);
  at = out.find('\n', at) + 1;
  out.insert(at, line + "\n");
  return out;
}

TEST(TreatyFileTest, EveryDefaultTreatyLoads) {
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  for (const char* id : {"salt-i", "abm", "salt-ii", "inf", "start-i", "start-ii", "sort",
                         "new-start", "trilateral-example"}) {
    EXPECT_NE(set->Find(id), nullptr) << id;
  }
}

TEST(TreatyFileTest, NewStartFacts) {
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  const Treaty* t = set->Find("new-start");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->dates.signed_on, D("2010-04-08"));
  EXPECT_EQ(t->dates.entry_into_force, D("2011-02-05"));
  EXPECT_EQ(t->dates.limits_effective, D("2018-02-05"));
  EXPECT_EQ(t->dates.ended, D("2026-02-05"));
  ASSERT_EQ(t->limits.size(), 3u);
  EXPECT_EQ(t->limits[0].max, 700);
  EXPECT_EQ(t->limits[1].max, 1550);
  EXPECT_EQ(t->limits[2].max, 800);
  ASSERT_EQ(t->regime.inspections.size(), 2u);
  EXPECT_EQ(t->regime.inspections[0].per_year, 10);
  EXPECT_EQ(t->regime.inspections[1].per_year, 8);
  ASSERT_TRUE(t->regime.data_exchange.has_value());
  EXPECT_EQ(t->regime.data_exchange->as_of, (std::vector<std::string>{"03-01", "09-01"}));
  EXPECT_EQ(t->regime.data_exchange->due_within_days, 30);
  EXPECT_EQ(t->regime.notifications[0].due_within_days, 5);
  EXPECT_EQ(t->DefaultInterpretation()->id, "us");
  EXPECT_NE(t->FindInterpretation("conversions-not-confirmed"), nullptr);
  EXPECT_EQ(t->FindQuantity("warheads_on_deployed"), t->FindQuantity("deployed_warheads"));
  ASSERT_NE(t->DatesFor("RU"), nullptr);
  EXPECT_EQ(t->DatesFor("RU")->suspended, D("2023-02-28"));
}

TEST(TreatyFileTest, StartIBomberAttribution) {
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  const Treaty* t = set->Find("start-i");
  ASSERT_NE(t, nullptr);
  const Quantity* q = t->FindQuantity("accountable_warheads");
  ASSERT_NE(q, nullptr);
  const Term& bombers = q->terms[1];
  ASSERT_EQ(bombers.first.size(), 2u);
  EXPECT_EQ(bombers.first[0].party, "US");
  EXPECT_EQ(bombers.first[0].count, 150);
  EXPECT_EQ(bombers.first[0].each, 10);
  EXPECT_EQ(bombers.first[1].party, "RU");
  EXPECT_EQ(bombers.first[1].count, 180);
  EXPECT_EQ(bombers.first[1].each, 8);
}

// The issue's labels "4,900 / 1,100 / 1,540 (FAS)": the limits and the page they come from.
TEST(TreatyFileTest, StartILimitsCarryTheirSource) {
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  const Treaty* t = set->Find("start-i");
  ASSERT_NE(t, nullptr);
  std::map<std::string, int64_t> max;
  for (const Limit& l : t->limits) max[l.id] = *l.max;
  EXPECT_EQ(max["delivery-vehicles"], 1600);
  EXPECT_EQ(max["accountable-warheads"], 6000);
  EXPECT_EQ(max["ballistic-missile-warheads"], 4900);
  EXPECT_EQ(max["mobile-icbm-warheads"], 1100);
  EXPECT_EQ(max["heavy-icbm-warheads"], 1540);
  EXPECT_EQ(max["throw-weight"], 3600);
  EXPECT_EQ(t->LimitsEffective(), D("2001-12-05"));
  bool sourced = false;
  for (const std::string& s : t->sources) {
    if (s.find("nuke.fas.org/control/start1/news/startcen.htm") != std::string::npos &&
        s.find("4,900") != std::string::npos && s.find("1,100") != std::string::npos &&
        s.find("1,540") != std::string::npos) {
      sourced = true;
    }
  }
  EXPECT_TRUE(sourced);
}

TEST(TreatyFileTest, StatusThroughTheYears) {
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  const Treaty& ns = **set->Get("new-start");
  EXPECT_EQ(StatusAt(ns, D("2010-01-01")).state, TreatyState::kNotYetSigned);
  EXPECT_EQ(StatusAt(ns, D("2010-06-01")).state, TreatyState::kSignedNotInForce);
  EXPECT_EQ(StatusAt(ns, D("2011-02-05")).state, TreatyState::kLimitsNotYetEffective);
  EXPECT_EQ(StatusAt(ns, D("2018-02-04")).state, TreatyState::kLimitsNotYetEffective);
  EXPECT_EQ(StatusAt(ns, D("2018-02-05")).state, TreatyState::kInForce);
  EXPECT_EQ(StatusAt(ns, D("2026-02-04")).state, TreatyState::kInForce);
  EXPECT_EQ(StatusAt(ns, D("2026-02-05")).state, TreatyState::kEnded);
  EXPECT_EQ(StatusAt(ns, D("2020-01-01"), "CN").state, TreatyState::kNotAParty);
  // A purported suspension is named but does not end the treaty for the party.
  EXPECT_EQ(StatusAt(ns, D("2024-01-01"), "RU").state, TreatyState::kInForce);
  EXPECT_THAT(StatusAt(ns, D("2024-01-01"), "RU").reason, HasSubstr("suspension on 2023-02-28"));
  EXPECT_THAT(StatusAt(ns, D("2022-01-01"), "RU").reason, Not(HasSubstr("suspension")));
  EXPECT_EQ(StatusAt(**set->Get("salt-ii"), D("1982-01-01")).state, TreatyState::kNeverInForce);
  EXPECT_EQ(StatusAt(**set->Get("start-ii"), D("2001-01-01"), "US").state,
            TreatyState::kNeverInForce);
  const Treaty& abm = **set->Get("abm");
  EXPECT_EQ(StatusAt(abm, D("2002-06-12"), "US").state, TreatyState::kInForce);
  EXPECT_EQ(StatusAt(abm, D("2002-06-13"), "US").state, TreatyState::kEnded);
  EXPECT_EQ(StatusAt(**set->Get("sort"), D("2012-12-31")).state, TreatyState::kEnded);
}

TEST(TreatyFileTest, MinimalParses) {
  auto t = ParseTreatyToml(kMinimal, "m.toml");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->id, "t");
  EXPECT_EQ(t->parties, (std::vector<std::string>{"US", "RU"}));
}

TEST(TreatyFileTest, UnknownKeyNamesFileLineAndKey) {
  auto t = ParseTreatyToml(WithLine(kMinimal, "max = 10", "maxx = 11"), "m.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(t.error().message(), HasSubstr("m.toml:18: field 'limits[0].maxx'"));
  EXPECT_THAT(t.error().message(), HasSubstr("unknown key"));
}

TEST(TreatyFileTest, WrongTypeNamesExpectedAndGot) {
  std::string text = kMinimal;
  text.replace(text.find("max = 10"), 8, "max = \"10\"");
  auto t = ParseTreatyToml(text, "m.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(),
            "m.toml:17: field 'limits[0].max': expected a non-negative integer, got \"10\"");
}

TEST(TreatyFileTest, ImpossibleAndOutOfOrderDates) {
  std::string text = kMinimal;
  text.replace(text.find("2001-01-01"), 10, "2001-02-30");
  auto t = ParseTreatyToml(text, "m.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.error().message(), HasSubstr("m.toml:7"));

  text = kMinimal;
  text.replace(text.find("2001-01-01"), 10, "1999-01-01");
  t = ParseTreatyToml(text, "m.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(),
            "m.toml:7: field 'dates.entry_into_force': expected a date on or after signature "
            "(2000-01-01), got 1999-01-01");
}

TEST(TreatyFileTest, SemanticErrors) {
  struct Case {
    std::string text;
    std::string want;
  };
  std::string m = kMinimal;
  std::vector<Case> cases = {
      {[&] {
         std::string s = m;
         s.replace(s.find("\"RU\"]"), 5, "\"XX\"]");
         return s;
       }(),
       "m.toml:3: field 'parties[1]'"},
      {[&] {
         std::string s = m;
         s.replace(s.find("quantity = \"q\""), 14, "quantity = \"r\"");
         return s;
       }(),
       "m.toml:15: field 'limits[0].quantity': expected the id of a quantity"},
      {m + "\n[[quantities]]\nid = \"q2\"\nname = \"Q2\"\n[[quantities.terms]]\nkinds = "
           "[\"rocket\"]\n",
       "field 'quantities[1].terms[0].kinds[0]'"},
      {m + "\n[regime.data_exchange]\nas_of = [\"02-30\"]\ndue_within_days = 30\n",
       "field 'regime.data_exchange.as_of[0]'"},
      {std::string("id = \"T!\"\n") + m.substr(m.find('\n') + 1), "field 'id'"},
      {"id = \"t\"\nname = ", "m.toml:2: invalid TOML"},
  };
  for (const Case& c : cases) {
    auto t = ParseTreatyToml(c.text, "m.toml");
    ASSERT_FALSE(t.ok()) << c.want;
    EXPECT_THAT(t.error().message(), HasSubstr(c.want));
  }
}

TEST(TreatyFileTest, TreatySetRejectsDuplicatesAndNamesKnownIds) {
  TreatySet set;
  ASSERT_TRUE(set.Add(*ParseTreatyToml(kMinimal, "a.toml")).ok());
  EXPECT_EQ(set.Add(*ParseTreatyToml(kMinimal, "b.toml")).code(), StatusCode::kAlreadyExists);
  auto missing = set.Get("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("known: t"));
}

}  // namespace
}  // namespace tally::treaty
