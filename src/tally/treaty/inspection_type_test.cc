// [[regime.inspections]]: the fields the inspection workflow reads, their strict parsing and the
// treaties shipped in data/treaties.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/treaty/treaty_file.h"
#include "tally/treaty/treaty_json.h"
#include "tally/treaty/treaty_set.h"

namespace tally::treaty {
namespace {

using ::testing::HasSubstr;

constexpr char kBase[] = R"(id = "t"
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

[[regime.inspections]]
id = "type-one"
name = "Type One"
)";

Result<Treaty> WithInspection(const std::string& lines) {
  return ParseTreatyToml(std::string(kBase) + lines, "m.toml");
}

TEST(InspectionTypeTest, ParsesEveryField) {
  auto t = WithInspection(
      "per_year = 10\nper_party = { RU = 7 }\npurposes = [\"reentry-vehicle\"]\n"
      "site_rule = \"deployed\"\nitems_per_inspection = 1\ndesignate_kinds = [\"icbm\", "
      "\"slbm\"]\ndesignate_statuses = [\"deployed\"]\nbegins_days_after_entry_into_force = "
      "60\nrestriction_begins_hours = 1\npre_inspection_restriction = \"nothing moves\"\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  const InspectionType& it = t->regime.inspections.at(0);
  EXPECT_EQ(it.QuotaFor("US"), 10);
  EXPECT_EQ(it.QuotaFor("RU"), 7);
  EXPECT_EQ(it.site_rule, SiteRule::kDeployed);
  EXPECT_EQ(it.items_per_inspection, 1);
  EXPECT_EQ(it.designate_kinds,
            (std::vector<model::ItemKind>{model::ItemKind::kIcbm, model::ItemKind::kSlbm}));
  EXPECT_EQ(it.designate_statuses, std::vector<model::ItemStatus>{model::ItemStatus::kDeployed});
  EXPECT_EQ(it.begins_days_after_entry_into_force, 60);
  EXPECT_EQ(it.restriction_begins_hours, 1);
  EXPECT_EQ(it.pre_inspection_restriction, "nothing moves");
}

TEST(InspectionTypeTest, StrictSchemaNamesFileLineAndKey) {
  struct Case {
    std::string lines;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"per_yaer = 3\n", "m.toml:22: field 'regime.inspections[0].per_yaer': expected a known key"},
      {"site_rule = \"bases\"\n",
       "m.toml:22: field 'regime.inspections[0].site_rule': expected \"any\", \"deployed\" or "
       "\"non-deployed-only\", got \"bases\""},
      {"purposes = [\"looking\"]\n", "m.toml:22: field 'regime.inspections[0].purposes[0]'"},
      {"items_per_inspection = -1\n",
       "field 'regime.inspections[0].items_per_inspection': expected a non-negative integer, "
       "got -1"},
      {"items_per_inspection = \"one\"\n",
       "field 'regime.inspections[0].items_per_inspection': expected a non-negative integer"},
      {"designate_kinds = [\"rocket\"]\n", "field 'regime.inspections[0].designate_kinds[0]'"},
      {"designate_statuses = [\"ready\"]\n", "field 'regime.inspections[0].designate_statuses[0]'"},
      {"begins_days_after_entry_into_force = 1.5\n",
       "field 'regime.inspections[0].begins_days_after_entry_into_force'"},
      {"per_party = { CN = 3 }\n",
       "field 'regime.inspections[0].per_party.CN': expected one of the treaty's parties"},
      {"per_party = { RU = true }\n", "field 'regime.inspections[0].per_party.RU'"},
      {"\n[[regime.inspections]]\nid = \"type-one\"\nname = \"again\"\n",
       "field 'regime.inspections[1].id': expected an inspection id not used before"},
  };
  for (const Case& c : cases) {
    auto t = WithInspection(c.lines);
    ASSERT_FALSE(t.ok()) << c.lines;
    EXPECT_THAT(t.error().message(), HasSubstr(c.want)) << c.lines;
  }
}

TEST(InspectionTypeTest, ShippedTreatiesCarryTheRegime) {
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok()) << set.error().message();
  const Treaty* ns = set->Find("new-start");
  ASSERT_NE(ns, nullptr);
  const InspectionType& one = ns->regime.inspections.at(0);
  EXPECT_EQ(one.id, "type-one");
  EXPECT_EQ(one.QuotaFor("US"), 10);
  EXPECT_EQ(one.site_rule, SiteRule::kDeployed);
  EXPECT_EQ(one.items_per_inspection, 1);
  EXPECT_EQ(one.begins_days_after_entry_into_force, 60);
  const InspectionType& two = ns->regime.inspections.at(1);
  EXPECT_EQ(two.QuotaFor("RU"), 8);
  EXPECT_EQ(two.site_rule, SiteRule::kNonDeployedOnly);

  const Treaty* inf = set->Find("inf");
  ASSERT_NE(inf, nullptr);
  for (const InspectionType& it : inf->regime.inspections) {
    EXPECT_EQ(it.per_year, 0) << it.id << ": the reference gives no INF quota";
  }
  const Treaty* tri = set->Find("trilateral-example");
  ASSERT_NE(tri, nullptr);
  EXPECT_EQ(tri->regime.inspections.at(0).QuotaFor("CN"), 6);
  EXPECT_EQ(tri->regime.inspections.at(0).QuotaFor("US"), 10);

  // `tally treaty show --json` carries every field.
  const auto j = TreatyToJson(*tri)["regime"]["inspections"][0];
  EXPECT_EQ(j["site_rule"], "deployed");
  EXPECT_EQ(j["items_per_inspection"], 2);
  EXPECT_EQ(j["per_party"]["CN"], 6);
  EXPECT_EQ(j["designate_kinds"], (std::vector<std::string>{"icbm", "slbm"}));
  EXPECT_EQ(j["designate_statuses"], std::vector<std::string>{"deployed"});
  EXPECT_EQ(j["begins_days_after_entry_into_force"], 60);
  EXPECT_EQ(j["restriction_begins_hours"], 1);
  EXPECT_EQ(j["purposes"][1], "reentry-vehicle");
}

}  // namespace
}  // namespace tally::treaty
