// The [escrow] section of a treaty file: the opening policy's stages and the errors a drafter
// gets for a wrong one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/treaty/treaty_file.h"

namespace tally::treaty {
namespace {

using ::testing::HasSubstr;

constexpr char kTreaty[] = R"(id = "t"
name = "T"
parties = ["US", "RU"]

[dates]
signed = 2000-01-01
entry_into_force = 2001-01-01

[[quantities]]
id = "deployed_launchers"
name = "Deployed launchers"
aliases = ["dl"]

[[quantities.terms]]
kinds = ["icbm_launcher"]
status = ["deployed"]

[[quantities]]
id = "declared_only"
name = "A figure only aggregates give"

[[limits]]
id = "l"
quantity = "deployed_launchers"
name = "L"
max = 10
)";

Result<Treaty> WithEscrow(const std::string& escrow) {
  return ParseTreatyToml(std::string(kTreaty) + "\n[escrow]\n" + escrow, "t.toml");
}

constexpr char kStages[] = R"(summary = "s"

[[escrow.stages]]
id = "eif"
name = "Launchers"
trigger = "entry-into-force"
within_days = 45
open = "categories"
categories = ["dl"]

[[escrow.stages]]
id = "site"
name = "Inspected site"
trigger = "inspection"
open = "site"

[[escrow.stages]]
id = "end"
name = "Everything"
trigger = "expiry"
open = "all"
)";

TEST(OpeningPolicyFileTest, StagesParseAndAliasesResolve) {
  auto t = WithEscrow(kStages);
  ASSERT_TRUE(t.ok()) << t.error().message();
  ASSERT_TRUE(t->opening.has_value());
  ASSERT_EQ(t->opening->stages.size(), 3u);
  const OpeningStage* eif = t->opening->Find("eif");
  ASSERT_NE(eif, nullptr);
  EXPECT_EQ(eif->within_days, 45);
  EXPECT_EQ(eif->categories, std::vector<std::string>{"deployed_launchers"});
  EXPECT_EQ(t->opening->Find("site")->scope, OpeningScope::kSite);
  EXPECT_EQ(t->opening->Find("end")->trigger, OpeningTrigger::kExpiry);
  EXPECT_EQ(t->opening->Find("nope"), nullptr);
  // A treaty without [escrow] has no policy.
  EXPECT_FALSE(ParseTreatyToml(kTreaty, "t.toml")->opening.has_value());
}

void ExpectError(const std::string& stages, const std::string& what) {
  auto t = WithEscrow(stages);
  ASSERT_FALSE(t.ok()) << stages;
  EXPECT_EQ(t.error().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(t.error().message(), HasSubstr("t.toml:")) << t.error().message();
  EXPECT_THAT(t.error().message(), HasSubstr(what)) << t.error().message();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(OpeningPolicyFileTest, ErrorsNameTheFieldAndLine) {
  ExpectError(Replace(kStages, R"(trigger = "expiry")", R"(trigger = "someday")"),
              "escrow.stages[2].trigger");
  ExpectError(Replace(kStages, R"(open = "all")", R"(open = "most")"),
              "one of categories, site, designated, all");
  ExpectError(Replace(kStages, R"(categories = ["dl"])", R"(categories = ["warheads"])"),
              "escrow.stages[0].categories[0]");
  // A quantity only aggregates give cannot be opened item by item.
  ExpectError(Replace(kStages, R"(categories = ["dl"])", R"(categories = ["declared_only"])"),
              "with counting terms");
  ExpectError(Replace(kStages, R"(categories = ["dl"])", ""), "escrow.stages[0].categories");
  ExpectError(Replace(kStages, R"(open = "all")", "open = \"all\"\ncategories = [\"dl\"]"),
              "no categories unless");
  ExpectError(Replace(kStages, R"(trigger = "inspection")", R"(trigger = "entry-into-force")"),
              "needs trigger");
  ExpectError(Replace(kStages, R"(id = "end")", R"(id = "eif")"), "not used by another stage");
  ExpectError(Replace(kStages, R"(within_days = 45)", R"(within_days = -1)"),
              "escrow.stages[0].within_days");
  ExpectError(Replace(kStages, R"(within_days = 45)", R"(within_dayz = 45)"), "unknown key");
  // No [regime.data_exchange] in this treaty, so no data-exchange trigger.
  ExpectError(Replace(kStages, R"(trigger = "expiry")", R"(trigger = "data-exchange")"),
              "[regime.data_exchange]");
  ExpectError("summary = \"no stages\"\n", "escrow.stages");
}

}  // namespace
}  // namespace tally::treaty
