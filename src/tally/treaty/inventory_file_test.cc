#include "tally/treaty/inventory_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tally::treaty {
namespace {

using ::testing::HasSubstr;

constexpr char kHeader[] =
    "uid,party,kind,system,status,facility,equipment,host,capacity,tags,as_of\n";

TEST(InventoryFileTest, CsvParsesEveryField) {
  std::string text = std::string(kHeader) +
                     "L1,US,icbm_launcher,MM-III silo,deployed,Minot,,,,silo,2020-09-01\n"
                     "M1,USA,icbm,Minuteman III,deployed,Minot,nuclear,L1,3,,\n"
                     "W1,US,warhead,W87,deployed,Minot,,M1,,,2020-09-01\n"
                     "B1,US,heavy_bomber,B-52H,converted,Minot,conventional,,0,a b,\n";
  auto inv = ParseInventoryCsv(text, "i.csv");
  ASSERT_TRUE(inv.ok()) << inv.error().ToString();
  ASSERT_EQ(inv->items.size(), 4u);
  EXPECT_EQ(inv->as_of, *Date::Parse("2020-09-01"));
  const model::Item& m = inv->items[1];
  EXPECT_EQ(m.party, "US");
  EXPECT_EQ(m.kind, model::ItemKind::kIcbm);
  EXPECT_EQ(m.host, "L1");
  EXPECT_EQ(m.capacity, 3);
  const model::Item& b = inv->items[3];
  EXPECT_EQ(b.status, model::ItemStatus::kConverted);
  EXPECT_EQ(b.equipment, model::Equipment::kConventional);
  EXPECT_EQ(b.tags, (std::vector<std::string>{"a", "b"}));
}

TEST(InventoryFileTest, CsvErrors) {
  struct Case {
    std::string rows;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {"A,US,icbm,,deployed,,,,,,2020-01-01\nA,US,icbm,,deployed,,,,,,\n",
            "i.csv:3: field 'uid': expected a unique identifier (also at i.csv:2)"},
           {"A,US,rocket,,deployed,,,,,,2020-01-01\n", "i.csv:2: field 'kind'"},
           {"A,US,icbm,,ready,,,,,,2020-01-01\n", "i.csv:2: field 'status'"},
           {"A,US,icbm,,deployed,,wooden,,,,2020-01-01\n", "i.csv:2: field 'equipment'"},
           {"A,US,icbm,,deployed,,,,x,,2020-01-01\n", "i.csv:2: field 'capacity'"},
           {"W,US,warhead,,deployed,,,M,,,2020-01-01\n", "i.csv:2: field 'host'"},
           {"A,US,icbm,,deployed,,,,,,2020-01-01\nB,US,icbm,,deployed,,,,,,2020-01-02\n",
            "i.csv:3: field 'as_of'"},
           {"A,US,icbm,,deployed,,,,,,\n", "as_of date in the file or given with --date"},
           {"A,US,icbm,,non_deployed,,,,,,2020-01-01\nW,US,warhead,,deployed,,,A,,,\n",
            "i.csv:3: item W: deployed warhead on host 'A'"},
           {"A,US,icbm_launcher,,deployed,,,,,,2020-01-01\nW,US,warhead,,deployed,,,A,,,\n",
            "not a missile"},
           // A warhead on a deployed missile is deployed (New START): declaring it otherwise
           // would keep it out of the deployed count.
           {"A,US,icbm,,deployed,,,,,,2020-01-01\nW,US,warhead,,non_deployed,,,A,,,\n",
            "i.csv:3: item W: non_deployed warhead on deployed missile 'A'"},
           {"A,US,slbm,,deployed,,,,,,2020-01-01\nW,US,warhead,,eliminated,,,A,,,\n",
            "item W: eliminated warhead on deployed missile 'A'"},
       }) {
    auto inv = ParseInventoryCsv(std::string(kHeader) + c.rows, "i.csv");
    ASSERT_FALSE(inv.ok()) << c.rows;
    EXPECT_THAT(inv.error().message(), HasSubstr(c.want)) << c.rows;
  }
  auto unknown =
      ParseInventoryCsv("uid,party,kind,status,colour\nA,US,icbm,deployed,red\n", "i.csv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message(), HasSubstr("unknown column 'colour'"));
}

TEST(InventoryFileTest, DateFlagSuppliesOrOverrides) {
  std::string text = std::string(kHeader) + "A,US,icbm,,deployed,,,,,,\n";
  auto inv = ParseInventoryCsv(text, "i.csv", *Date::Parse("2021-03-01"));
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->as_of, *Date::Parse("2021-03-01"));
}

TEST(InventoryFileTest, Json) {
  auto inv = ParseInventory(R"({"as_of": "2018-01-01", "party": "RU", "source": "declared",
      "items": [{"uid": "G1", "kind": "glcm", "status": "deployed", "range_km": 2500,
                 "tags": ["9M729"]},
                {"uid": "U1", "party": "US", "kind": "icbm", "status": "test"}]})",
                            "i.json");
  ASSERT_TRUE(inv.ok()) << inv.error().ToString();
  EXPECT_EQ(inv->source, "declared");
  EXPECT_EQ(inv->items[0].party, "RU");
  EXPECT_EQ(inv->items[0].range_km, 2500);
  EXPECT_EQ(inv->items[1].party, "US");
  EXPECT_EQ(inv->Parties(), (std::vector<std::string>{"RU", "US"}));
  for (const char* bad : {R"({"as_of": "2018-01-01", "items": [{"uid": "G1", "kind": "glcm"}]})",
                          R"({"as_of": "2018-01-01", "party": "RU", "items": [{"uid": "G1",
                              "kind": "glcm", "status": "deployed", "range_km": "far"}]})",
                          R"({"as_of": "2018-01-01", "items": [], "extra": 1})",
                          R"({"items": [1]})", "[", R"({"as_of": "2018-01-01"})"}) {
    auto r = ParseInventory(bad, "i.json");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error().message(), HasSubstr("i.json")) << bad;
  }
}

}  // namespace
}  // namespace tally::treaty
