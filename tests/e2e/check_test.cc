// End-to-end: `tally check` on postures, inventories and the New START aggregate table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_runner.h"
#include "tally/base/file.h"

namespace tally::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string SourceFile(const std::string& rel) { return std::string(TALLY_SOURCE_DIR) + "/" + rel; }
std::string Aggregates() { return SourceFile("data/new_start/aggregates.csv"); }
std::string UsInventory() { return SourceFile("data/inventories/us-2020-09-01.csv"); }
std::string StartIAggregates() { return SourceFile("data/start_i/aggregates.csv"); }

// Every row at its own date: no violation before 2018-02-05, every row compliant after (Russia's
// "not provided" row of 2023 is no_data, not zero).
void ExpectReplay(const std::string& path) {
  CliResult r = RunTally({"check", "--treaty", "new-start", "--aggregates", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["results"].size(), 50u);
  for (const auto& row : doc["results"]) {
    std::string date = row["date"];
    std::string status = row["status"];
    if (date < "2018-02-05") {
      EXPECT_EQ(status, "limits_not_yet_effective") << date;
    } else if (date == "2023-03-01" && row["party"] == "RU") {
      EXPECT_EQ(status, "no_data");
      EXPECT_TRUE(row["limits"][0]["counted"].is_null());
    } else {
      EXPECT_EQ(status, "compliant") << date << " " << row["party"];
    }
  }
}

TEST(CheckCliTest, ReplayTheNewStartTable) { ExpectReplay(Aggregates()); }

TEST(CheckCliTest, ReplayTheReferenceTableAsItIs) {
  std::string shared = std::string(TALLY_SHARED_DIR) + "/reference/data/new_start_aggregates.csv";
  if (!std::filesystem::exists(shared)) GTEST_SKIP() << "no " << shared;
  ExpectReplay(shared);
}

TEST(CheckCliTest, ARowChangedToExceedALimitIsAViolationWithItsMargin) {
  TempDir dir;
  std::string text = ReadAll(Aggregates());
  const std::string row = "2020-09-01,Russian Federation,510,1447,764";
  size_t at = text.find(row);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, row.size(), "2020-09-01,Russian Federation,510,1600,764");
  std::string path = dir.Write("changed.csv", text);
  CliResult r = RunTally({"check", "--treaty", "new-start", "--aggregates", path, "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["status"], "violation");
  int violations = 0;
  for (const auto& res : doc["results"]) {
    if (res["status"] != "violation") continue;
    ++violations;
    EXPECT_EQ(res["date"], "2020-09-01");
    EXPECT_EQ(res["party"], "RU");
    EXPECT_EQ(res["limits"][1]["counted"], 1600);
    EXPECT_EQ(res["limits"][1]["margin"], -50);
    EXPECT_EQ(res["limits"][1]["ok"], false);
  }
  EXPECT_EQ(violations, 1);
  // The human table says so too.
  CliResult h = RunTally({"check", "--treaty", "new-start", "--aggregates", path, "--party", "RU",
                          "--date", "2020-09-01"});
  EXPECT_EQ(h.exit_code, 1);
  EXPECT_THAT(h.out, HasSubstr("violation"));
  EXPECT_THAT(h.out, HasSubstr("-50"));
}

TEST(CheckCliTest, BeforeTheLimitsDateIsNotAViolation) {
  CliResult r = RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(), "--party",
                          "US", "--date", "2011-02-05"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("limits_not_yet_effective"));
}

// START I: the 1990 MOU rows predate signature; Russia's 2001-12-05 statement gives two of the six
// limited counts, so the row is no_data (missing is not zero) with both given counts within limits.
TEST(CheckCliTest, ReplayTheStartITable) {
  CliResult r =
      RunTally({"check", "--treaty", "start-i", "--aggregates", StartIAggregates(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["treaty"], "start-i");
  EXPECT_EQ(doc["status"], "no_data");
  ASSERT_EQ(doc["results"].size(), 3u);
  EXPECT_EQ(doc["results"][0]["party"], "US");
  EXPECT_EQ(doc["results"][0]["status"], "not_in_force");
  EXPECT_EQ(doc["results"][1]["party"], "RU");
  EXPECT_EQ(doc["results"][1]["status"], "not_in_force");
  const json& ru = doc["results"][2];
  EXPECT_EQ(ru["date"], "2001-12-05");
  EXPECT_EQ(ru["status"], "no_data");
  EXPECT_EQ(ru["limits"][0]["counted"], 1136);
  EXPECT_EQ(ru["limits"][0]["margin"], 464);
  EXPECT_EQ(ru["limits"][1]["counted"], 5518);
  EXPECT_EQ(ru["limits"][1]["ok"], true);
  EXPECT_TRUE(ru["limits"][2]["counted"].is_null());

  CliResult h = RunTally({"check", "--treaty", "start-i", "--aggregates", StartIAggregates()});
  EXPECT_EQ(h.exit_code, 0) << h.err;
  EXPECT_THAT(h.out, HasSubstr("delivery-vehicles  accountable-warheads"));
  EXPECT_THAT(h.out, HasSubstr("1,136 (+464)"));
  EXPECT_THAT(h.out, HasSubstr("overall: no_data (1 no_data, 2 not_in_force)"));
}

// The US forces of the 1990 MOU, checked inside the treaty's life: margins but no violation before
// the seven-year limits (2001-12-05), a violation from that day.
TEST(CheckCliTest, StartIBeforeAndAfterTheLimitsDate) {
  CliResult before = RunTally({"check", "--treaty", "start-i", "--aggregates", StartIAggregates(),
                               "--party", "US", "--date", "2001-12-04"});
  EXPECT_EQ(before.exit_code, 0) << before.err;
  EXPECT_THAT(before.out, HasSubstr("limits_not_yet_effective"));
  EXPECT_THAT(before.out, HasSubstr("-646"));

  CliResult after = RunTally({"check", "--treaty", "start-i", "--aggregates", StartIAggregates(),
                              "--party", "US", "--date", "2001-12-05", "--json"});
  EXPECT_EQ(after.exit_code, 1) << after.err;
  json doc = json::parse(after.out);
  EXPECT_EQ(doc["status"], "violation");
  const json& us = doc["results"][0];
  EXPECT_EQ(us["limits"][0]["counted"], 2246);
  EXPECT_EQ(us["limits"][0]["margin"], -646);
  EXPECT_EQ(us["limits"][1]["margin"], 6000 - 10563);
  EXPECT_EQ(us["limits"][3]["ok"], true);  // mobile ICBM warheads: 0
}

TEST(CheckCliTest, StartIFileWithAWrongColumnNamesFileLineAndField) {
  TempDir dir;
  std::string path = dir.Write("start1.csv",
                               "as_of_date,party,delivery_vehicle,accountable_warheads\n"
                               "2001-12-05,Russian Federation,1136,5518\n");
  CliResult r = RunTally({"check", "--treaty", "start-i", "--aggregates", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(path + ":2: field 'delivery_vehicle': expected a quantity of "
                                      "treaty start-i"));
  EXPECT_TRUE(r.out.empty());
  // A New START column is not a START I quantity either.
  r = RunTally({"check", "--treaty", "start-i", "--aggregates", Aggregates()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(":2: field 'deployed_icbm_slbm_hb'"));
}

TEST(CheckCliTest, InventoryUsSeptember2020) {
  CliResult r =
      RunTally({"check", "--treaty", "new-start", "--inventory", UsInventory(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["results"].size(), 1u);
  const json& res = doc["results"][0];
  EXPECT_EQ(res["date"], "2020-09-01");
  EXPECT_EQ(res["status"], "compliant");
  EXPECT_EQ(res["limits"][0]["counted"], 675);
  EXPECT_EQ(res["limits"][1]["counted"], 1457);
  EXPECT_EQ(res["limits"][2]["counted"], 800);
  EXPECT_EQ(doc["interpretation"], "us");
}

TEST(CheckCliTest, InterpretationConversionsNotConfirmedGives901) {
  CliResult r = RunTally({"check", "--treaty", "new-start", "--inventory", UsInventory(),
                          "--interpretation", "conversions-not-confirmed", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["results"][0]["limits"][2]["counted"], 901);
  EXPECT_EQ(doc["results"][0]["limits"][2]["margin"], -101);
  EXPECT_EQ(doc["status"], "violation");
}

// Russia's reading of the declared US aggregates: the disputed items on record added from
// 2018-02-05 on (901 launchers, over by 101), launchers not provided before a group's first
// record, Russia's own rows unchanged; the record file comes from the interpretation.
TEST(CheckCliTest, AggregatesReCountedUnderRussiasReading) {
  CliResult r = RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(),
                          "--interpretation", "conversions-not-confirmed", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["status"], "violation");
  EXPECT_EQ(doc["disputed_items"], "data/new_start/disputed_items.csv");
  int over = 0;
  for (const auto& row : doc["results"]) {
    const std::string date = row["date"];
    const json& launchers = row["limits"][2];
    if (row["party"] == "RU") {
      EXPECT_TRUE(row["recount"]["changes"].empty()) << date;
      continue;
    }
    if (date >= "2018-02-05") {
      EXPECT_EQ(launchers["counted"], 901) << date;
      EXPECT_EQ(row["status"], "violation") << date;
      EXPECT_EQ(row["recount"]["changes"][0]["added"], 101);
      ++over;
    } else {
      EXPECT_TRUE(launchers["counted"].is_null()) << date;
      EXPECT_FALSE(row["recount"]["unknown_groups"].empty()) << date;
    }
  }
  EXPECT_EQ(over, 11);

  CliResult one =
      RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(), "--interpretation",
                "conversions-not-confirmed", "--party", "US", "--date", "2022-03-01"});
  EXPECT_EQ(one.exit_code, 1);
  CliResult table = RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(),
                              "--interpretation", "conversions-not-confirmed", "--party", "US"});
  EXPECT_THAT(table.out, HasSubstr("launchers +101 (3 groups, records to 2022-03-01)"));
  EXPECT_THAT(table.out, HasSubstr("launchers unknown (3 of 3 groups not yet on record)"));

  // The default reading is the one the aggregates were declared under: nothing to re-count.
  CliResult us = RunTally(
      {"check", "--treaty", "new-start", "--aggregates", Aggregates(), "--interpretation", "us"});
  EXPECT_EQ(us.exit_code, 0) << us.err;
  EXPECT_THAT(us.err, HasSubstr("nothing to re-count"));
}

TEST(CheckCliTest, DisputedRecordFromAFileAndItsErrors) {
  TempDir dir;
  std::string record =
      dir.Write("r.csv",
                "as_of_date,party,kind,system,status,equipment,tags,count,confidence,notes,source\n"
                "2018-02-05,US,heavy_bomber,B-52H,converted,conventional,,41,reported,,src\n");
  CliResult r =
      RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(), "--interpretation",
                "conversions-not-confirmed", "--disputed", record, "--party", "US", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  for (const auto& row : doc["results"]) {
    if (row["date"] >= "2018-02-05") EXPECT_EQ(row["limits"][2]["counted"], 841);
  }
  std::string bad =
      dir.Write("bad.csv",
                "as_of_date,party,kind,system,status,equipment,tags,count,confidence,notes,source\n"
                "2018-02-05,US,warhead,W88,deployed,nuclear,,4,reported,,src\n");
  CliResult e = RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(),
                          "--interpretation", "conversions-not-confirmed", "--disputed", bad});
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_TRUE(e.out.empty());
  EXPECT_THAT(e.err, HasSubstr("bad.csv:2: field 'kind'"));
  CliResult missing =
      RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(), "--interpretation",
                "conversions-not-confirmed", "--disputed", dir.path() + "/none.csv"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("none.csv"));
  CliResult alone = RunTally(
      {"check", "--treaty", "new-start", "--aggregates", Aggregates(), "--disputed", record});
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_THAT(alone.err, HasSubstr("--interpretation"));
  CliResult items =
      RunTally({"check", "--treaty", "new-start", "--inventory", UsInventory(), "--interpretation",
                "conversions-not-confirmed", "--disputed", record});
  EXPECT_EQ(items.exit_code, 2);
}

// The per-type table summed per exchange and checked, every sum beside the declared aggregate;
// a copy with one count changed disagrees (exit 1, the difference named); under Russia's reading
// the summed launchers are re-counted like the aggregates (901).
TEST(CheckCliTest, ByTypeTableBesideTheAggregates) {
  const std::string by_type = SourceFile("data/new_start/by_type.csv");
  CliResult r = RunTally({"check", "--treaty", "new-start", "--by-type", by_type, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["results"].size(), 7u);
  EXPECT_EQ(doc["by_type_disagreements"], 0);
  int agreeing = 0;
  for (const auto& row : doc["results"]) {
    EXPECT_TRUE(row["limits"][1]["counted"].is_null());  // per-type tables give no warheads
    for (const auto& c : row["by_type"]["aggregates"]) agreeing += c["agrees"].get<bool>();
  }
  EXPECT_EQ(agreeing, 4);
  const json& last = doc["results"][6];
  EXPECT_EQ(last["date"], "2020-09-01");
  EXPECT_EQ(last["limits"][0]["counted"], 675);
  EXPECT_EQ(last["limits"][2]["counted"], 800);
  EXPECT_EQ(last["status"], "no_data");

  CliResult table = RunTally({"check", "--treaty", "new-start", "--by-type", by_type});
  EXPECT_THAT(table.out, HasSubstr("deployed_delivery_vehicles 675 = 675; launchers 800 = 800"));
  EXPECT_THAT(table.out, HasSubstr("2013-09-01 US not provided: launchers: no slbm row published"));

  TempDir dir;
  auto read = ReadFile(by_type);
  ASSERT_TRUE(read.ok());
  std::string text = *read;
  const std::string b2 = "2020-09-01,United States,heavy_bomber,B-2A,12,8,";
  ASSERT_NE(text.find(b2), std::string::npos);
  text.replace(text.find(b2), b2.size(), "2020-09-01,United States,heavy_bomber,B-2A,13,7,");
  std::string changed = dir.Write("changed.csv", text);
  CliResult d = RunTally({"check", "--treaty", "new-start", "--by-type", changed});
  EXPECT_EQ(d.exit_code, 1) << d.err;
  EXPECT_THAT(d.out, HasSubstr("deployed_delivery_vehicles 676 ≠ 675 (+1)"));
  EXPECT_THAT(d.out, HasSubstr("per-type sums disagree with the declared aggregates: 1 count(s)"));

  CliResult ru = RunTally({"check", "--treaty", "new-start", "--by-type", by_type,
                           "--interpretation", "conversions-not-confirmed", "--json"});
  EXPECT_EQ(ru.exit_code, 1) << ru.err;
  json rd = json::parse(ru.out);
  EXPECT_EQ(rd["results"][6]["limits"][2]["counted"], 901);
  EXPECT_EQ(rd["results"][6]["status"], "violation");

  std::string bad = dir.Write("bad.csv",
                              "as_of_date,party,category,system,deployed\n"
                              "2020-09-01,US,cruise,all,1\n");
  CliResult e = RunTally({"check", "--treaty", "new-start", "--by-type", bad});
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_TRUE(e.out.empty());
  EXPECT_THAT(e.err, HasSubstr("bad.csv:2: field 'category'"));
  CliResult other = RunTally({"check", "--treaty", "start-i", "--by-type", by_type});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.err, HasSubstr("per-type tables are New START's"));
  CliResult two = RunTally(
      {"check", "--treaty", "new-start", "--by-type", by_type, "--aggregates", Aggregates()});
  EXPECT_EQ(two.exit_code, 2);
}

TEST(CheckCliTest, PostureCsvJsonAndStdin) {
  TempDir dir;
  std::string csv = dir.Write("p.csv",
                              "party,as_of,deployed_delivery_vehicles,deployed_warheads,launchers\n"
                              "US,2024-09-01,662,1419,800\n");
  CliResult r = RunTally({"check", "--treaty", "new-start", "--posture", csv});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("compliant"));
  EXPECT_THAT(r.out, HasSubstr("+131"));

  std::string js = dir.Write(
      "p.json",
      R"({"postures": [{"party": "Russia", "as_of": "2023-09-01", "counts": {"deployed_warheads": null}, "provided": false}]})");
  r = RunTally({"check", "--treaty", "new-start", "--posture", js, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["status"], "no_data");

  r = RunTally({"check", "--treaty", "new-start", "--posture", "-", "--json"},
               "party,as_of,deployed_warheads\nCN,2020-01-01,350\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["results"][0]["status"], "not_a_party");

  r = RunTally({"check", "--treaty", "new-start", "--posture", "-", "--json"},
               "party,as_of,deployed_warheads\nUS,2027-01-01,5000\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["results"][0]["status"], "not_in_force");
}

TEST(CheckCliTest, UserTreatyFile) {
  TempDir dir;
  std::string text = ReadAll(SourceFile("data/treaties/trilateral-example.toml"));
  std::string treaty = dir.Write("t.toml", text);
  std::string posture = dir.Write("cn.csv",
                                  "party,as_of,deployed_warheads,total_warheads\n"
                                  "CN,2036-03-01,900,1600\n");
  CliResult r = RunTally({"check", "--treaty", "trilateral-example", "--treaty-file", treaty,
                          "--posture", posture, "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  // Missing counts stay missing; the total-warheads ceiling for China is 1,500.
  for (const auto& l : doc["results"][0]["limits"]) {
    if (l["id"] == "total-warheads") {
      EXPECT_EQ(l["margin"], -100);
    }
    if (l["id"] == "launchers") {
      EXPECT_TRUE(l["counted"].is_null());
    }
  }
}

TEST(CheckCliTest, BadInputExitsTwoAndNamesThePlace) {
  TempDir dir;
  std::string bad_cell = dir.Write(
      "bad.csv", "party,as_of,deployed_warheads\nUS,2020-09-01,1457\nUS,2021-03-01,\"1,357\"\n");
  CliResult r = RunTally({"check", "--treaty", "new-start", "--posture", bad_cell});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(bad_cell + ":3: field 'deployed_warheads': expected a "
                                          "non-negative integer or an empty cell, got \"1,357\""));
  EXPECT_TRUE(r.out.empty());

  std::string typo = dir.Write("typo.csv", "party,as_of,deployed_warhead\nUS,2020-09-01,1457\n");
  r = RunTally({"check", "--treaty", "new-start", "--posture", typo});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr("field 'deployed_warhead': expected a quantity of treaty new-start"));

  std::string dup = dir.Write(
      "inv.csv",
      "uid,party,kind,status,as_of\nA,US,icbm,deployed,2020-01-01\nA,US,icbm,deployed,\n");
  r = RunTally({"check", "--treaty", "new-start", "--inventory", dup});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(dup + ":3: field 'uid'"));

  std::string bad_kind = dir.Write("k.json", R"({"as_of": "2020-01-01", "party": "US",
      "items": [{"uid": "X", "kind": "rocket", "status": "deployed"}]})");
  r = RunTally({"check", "--treaty", "new-start", "--inventory", bad_kind});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("field 'items[0].kind'"));

  EXPECT_EQ(RunTally({"check", "--treaty", "nope", "--posture", bad_cell}).exit_code, 2);
  EXPECT_EQ(RunTally({"check", "--posture", bad_cell}).exit_code, 2);
  EXPECT_EQ(RunTally({"check", "--treaty", "new-start"}).exit_code, 2);
  EXPECT_EQ(
      RunTally({"check", "--treaty", "new-start", "--posture", typo, "--inventory", dup}).exit_code,
      2);
  EXPECT_EQ(RunTally({"check", "--treaty", "new-start", "--inventory", UsInventory(),
                      "--interpretation", "lenient"})
                .exit_code,
            2);
  EXPECT_EQ(RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(), "--date",
                      "2020-02-30"})
                .exit_code,
            2);
  EXPECT_EQ(RunTally({"check", "--treaty", "new-start", "--aggregates", Aggregates(), "--party",
                      "Atlantis"})
                .exit_code,
            2);
  EXPECT_EQ(
      RunTally({"check", "--treaty", "new-start", "--aggregates", "/nonexistent.csv"}).exit_code,
      2);
  CliResult help = RunTally({"check", "-h"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--interpretation"));
}

}  // namespace
}  // namespace tally::testing
