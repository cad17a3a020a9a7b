// End-to-end: `tally upload` on the embedded force structure and on user files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST(UploadE2e, ReproducesPublishedOrdersOfMagnitudeWithBreakdown) {
  CliResult r = RunTally({"upload", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["uploads"].size(), 3u);  // US fas-2025, RU fas-2022, RU fas-2025
  const json& us = doc["uploads"][0];
  EXPECT_EQ(us["state"], "US");
  EXPECT_NEAR(us["total"].get<double>(), 3500, 50);
  EXPECT_EQ(us["systems"].size(), 3u);
  for (const auto& s : us["systems"]) EXPECT_FALSE(s["source"].get<std::string>().empty());
  EXPECT_FALSE(us["published"].empty());
  bool new_start = false;
  for (const auto& l : us["limits"]) {
    if (l["id"] == "new-start/deployed-warheads") {
      new_start = true;
      EXPECT_LT(l["after_upload_margin"].get<double>(), 0);
    }
  }
  EXPECT_TRUE(new_start);
  for (int i : {1, 2}) {
    const double total = doc["uploads"][i]["total"];
    EXPECT_GE(total, 2500);
    EXPECT_LE(total, 2850);
  }
}

TEST(UploadE2e, TextShowsEveryAssumptionAndRatesChangeTheTimeline) {
  CliResult r = RunTally({"upload", "--state", "US", "--rate", "Minuteman III (LGM-30G)=10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1,670 -> 3,500"));
  EXPECT_THAT(r.out, HasSubstr("in 40 months"));
  EXPECT_THAT(r.out, HasSubstr("assumptions:"));
  EXPECT_THAT(r.out, HasSubstr("pool bomber-weapons"));
  EXPECT_EQ(RunTally({"upload", "--rate", "Nonexistent=5"}).exit_code, 2);
  EXPECT_EQ(RunTally({"upload", "--rate", "Minuteman III (LGM-30G)=-5"}).exit_code, 2);
  EXPECT_EQ(RunTally({"upload", "--state", "IL"}).exit_code, 2);  // no structure for Israel
}

// Issue 12: the other states run on request; the default stays US and Russia.
TEST(UploadE2e, OtherStatesRunOnRequest) {
  CliResult r = RunTally({"upload", "--state", "FR,GB,CN,IN,PK,KP", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["uploads"].size(), 6u);
  for (const auto& u : doc["uploads"]) {
    EXPECT_GE(u["total"].get<double>(), u["baseline"].get<double>()) << u["state"];
    for (const auto& s : u["systems"]) EXPECT_FALSE(s["source"].get<std::string>().empty());
  }
  EXPECT_EQ(doc["uploads"][0]["state"], "FR");
  EXPECT_EQ(doc["uploads"][0]["total"].get<double>(), 290);
  CliResult text = RunTally({"upload", "--state", "KP"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("50 -> 50 (+0)"));  // no reserve: zero headroom
}

TEST(UploadE2e, BadStructureFilesAreExitTwo) {
  TempDir dir;
  const std::string pools =
      dir.Write("pools.csv", "state,case,pool,warheads,confidence,source,note\nUS,c,p,100,x,s,\n");
  const std::string header =
      "state,case,system,leg,as_of,launchers,warheads_loaded,max_per_launcher,capacity,"
      "upload_per_month,pools,confidence,source,note\n";
  const std::string bad = dir.Write("sys.csv", header + "US,c,s,ICBM,2025,4,-4,1,,1,p,x,src,\n");
  CliResult r = RunTally({"upload", "--structure", bad, "--pools", pools});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("sys.csv:2: field 'warheads_loaded'"));
  const std::string good = dir.Write("ok.csv", header + "US,c,s,ICBM,2025,4,4,3,,2,p,x,src,\n");
  CliResult ok =
      RunTally({"upload", "--structure", good, "--pools", pools, "--state", "US", "--csv"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("US,c,s,ICBM,4,4,12,8,8,capacity,4"));
}

}  // namespace
}  // namespace tally::testing
