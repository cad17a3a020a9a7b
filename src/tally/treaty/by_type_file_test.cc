#include "tally/treaty/by_type_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/data/embedded.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::treaty {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHeader =
    "as_of_date,party,category,system,deployed,non_deployed,launchers,deployed_launchers,"
    "non_deployed_launchers,test,non_nuclear,confidence,notes,source\n";

std::optional<int64_t> Value(const model::Posture& p, const char* q) {
  const model::Count* c = p.Find(q);
  return c ? c->value : std::nullopt;
}

const ByTypeSums* At(const std::vector<ByTypeSums>& sums, const char* date) {
  for (const ByTypeSums& s : sums) {
    if (s.posture.as_of.ToString() == date) return &s;
  }
  return nullptr;
}

// The sums data/new_start/README.md lists: deployed 673 (2017-03-01), 675 (2020-09-01);
// launchers 800 (2019-09-01, 2020-09-01); nothing summable at the other four exchanges.
TEST(ByTypeFileTest, TheShippedTableSumsToWhatItsReadmeSays) {
  auto table = NewStartByType();
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  EXPECT_EQ(table->rows.size(), 21u);
  std::vector<ByTypeSums> sums = SumByType(*table);
  ASSERT_EQ(sums.size(), 7u);
  for (size_t i = 1; i < sums.size(); ++i) EXPECT_LT(sums[i - 1].posture.as_of, sums[i].posture.as_of);
  EXPECT_EQ(Value(At(sums, "2017-03-01")->posture, "deployed_delivery_vehicles"), 673);
  EXPECT_EQ(Value(At(sums, "2017-03-01")->posture, "launchers"), std::nullopt);
  EXPECT_EQ(Value(At(sums, "2019-09-01")->posture, "launchers"), 800);
  EXPECT_EQ(Value(At(sums, "2020-09-01")->posture, "deployed_delivery_vehicles"), 675);
  EXPECT_EQ(Value(At(sums, "2020-09-01")->posture, "launchers"), 800);
  for (const char* d : {"2013-09-01", "2014-03-01", "2014-09-01", "2017-09-01"}) {
    EXPECT_EQ(Value(At(sums, d)->posture, "deployed_delivery_vehicles"), std::nullopt) << d;
    EXPECT_EQ(Value(At(sums, d)->posture, "launchers"), std::nullopt) << d;
  }
  for (const ByTypeSums& s : sums) {
    EXPECT_EQ(Value(s.posture, "deployed_warheads"), std::nullopt);
    EXPECT_EQ(s.posture.party, "US");
  }
  EXPECT_THAT(At(sums, "2013-09-01")->gaps[0], HasSubstr("no slbm row published"));
}

TEST(ByTypeFileTest, EverySumAgreesWithTheDeclaredAggregate) {
  auto set = LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  const Treaty& ns = **set->Get("new-start");
  auto table = NewStartByType();
  auto aggregates = NewStartAggregates();
  ASSERT_TRUE(table.ok() && aggregates.ok());
  int compared = 0;
  for (const ByTypeSums& s : SumByType(*table)) {
    for (const AggregateComparison& c : CompareWithAggregates(ns, s, *aggregates)) {
      EXPECT_TRUE(c.agrees()) << s.posture.as_of.ToString() << " " << c.quantity;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 4);

  // One count changed: the comparison says so.
  ByTypeTable changed = *table;
  for (ByTypeRow& r : changed.rows) {
    if (r.as_of.ToString() == "2020-09-01" && r.system == "B-2A") r.deployed = 13;
  }
  auto cmp = CompareWithAggregates(ns, *At(SumByType(changed), "2020-09-01"), *aggregates);
  ASSERT_EQ(cmp.size(), 2u);
  EXPECT_FALSE(cmp[0].agrees());
  EXPECT_EQ(cmp[0].by_type, 676);
  EXPECT_EQ(cmp[0].declared, 675);
  EXPECT_FALSE(cmp[1].agrees());  // the deployed bomber also counts among the launchers
}

TEST(ByTypeFileTest, HeavyBombersCountTheirSplitWhereNoTotalIsPublished) {
  auto t = ParseByTypeCsv(std::string(kHeader) +
                              "2020-09-01,US,icbm,all,400,,450,,,,,,,s\n"
                              "2020-09-01,US,slbm,all,230,,280,,,,,,,s\n"
                              "2020-09-01,US,heavy_bomber,B-2A,12,8,,,,1,,,,s\n"
                              "2020-09-01,US,heavy_bomber,B-52H,36,10,,,,4,41,,,s\n",
                          "t.csv");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  auto sums = SumByType(*t);
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(Value(sums[0].posture, "deployed_delivery_vehicles"), 400 + 230 + 12 + 36);
  // Test bombers are among the non-deployed ones, and converted ones are not accountable.
  EXPECT_EQ(Value(sums[0].posture, "launchers"), 450 + 280 + 20 + 46);
}

TEST(ByTypeFileTest, BadTablesNameTheLineAndField) {
  auto bad = [](const std::string& rows) {
    auto r = ParseByTypeCsv(std::string(kHeader) + rows, "bad.csv");
    EXPECT_FALSE(r.ok()) << rows;
    return r.ok() ? std::string() : r.error().message();
  };
  EXPECT_THAT(bad("2020-02-30,US,icbm,all,1,,,,,,,,,s\n"), HasSubstr("bad.csv:2: field 'as_of_date'"));
  EXPECT_THAT(bad("2020-09-01,Atlantis,icbm,all,1,,,,,,,,,s\n"), HasSubstr("field 'party'"));
  EXPECT_THAT(bad("2020-09-01,US,cruise,all,1,,,,,,,,,s\n"), HasSubstr("field 'category'"));
  EXPECT_THAT(bad("2020-09-01,US,icbm,,1,,,,,,,,,s\n"), HasSubstr("field 'system'"));
  EXPECT_THAT(bad("2020-09-01,US,icbm,all,-1,,,,,,,,,s\n"), HasSubstr("field 'deployed'"));
  EXPECT_THAT(bad("2020-09-01,US,icbm,all,,,1000001,,,,,,,s\n"), HasSubstr("field 'launchers'"));
  EXPECT_THAT(bad("2020-09-01,US,icbm,all,,,,,,,,,,s\n"), HasSubstr("at least one count"));
  EXPECT_THAT(bad("2020-09-01,US,icbm,all,1,,,,,,,,,s\n2020-09-01,US,icbm,all,2,,,,,,,,,s\n"),
              HasSubstr("bad.csv:3: field 'system': expected one row per date, party, category "
                        "and system (also at bad.csv:2)"));
  EXPECT_THAT(bad("2020-09-01,US,icbm,MM-III,397,,454,397,58,,,,,s\n"),
              HasSubstr("field 'launchers': expected deployed_launchers + non_deployed_launchers "
                        "(455), got 454"));
  EXPECT_THAT(bad("2020-09-01,US,icbm,MM-III,398,,,397,,,,,,s\n"), HasSubstr("field 'deployed'"));
  EXPECT_THAT(bad("2020-09-01,US,heavy_bomber,B-2A,12,3,,,,4,,,,s\n"), HasSubstr("field 'test'"));
  EXPECT_THAT(bad("2014-09-01,US,icbm,all,,307,,,,,,,,s\n"
                  "2014-09-01,US,icbm,MM-III,,251,,,,,,,,s\n"
                  "2014-09-01,US,icbm,Peacekeeper,,57,,,,,,,,s\n"),
              HasSubstr("bad.csv:2: field 'non_deployed': expected the sum of its types (308 at "
                        "bad.csv:3, bad.csv:4), got 307"));
  auto unknown = ParseByTypeCsv("as_of_date,party,category,system,colour\n", "u.csv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message(), HasSubstr("colour"));
}

}  // namespace
}  // namespace tally::treaty
