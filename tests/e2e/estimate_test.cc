// End-to-end: `tally estimate` and `tally estimate calibrate` on the embedded evidence and on
// user evidence files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kHeader[] = "state,category,date,kind,relation,value,low,high,sd,source,note\n";

// The question the issue asks: how wide is the uncertainty about Russia's deployed warheads N
// months after the last data exchange? It grows with N.
TEST(EstimateE2e, RussianWarheadsWidenAfterTheLastExchange) {
  CliResult r = RunTally({"estimate", "--state", "RU", "--category", "new_start_warheads", "--step",
                          "month", "--from", "2011-02", "--to", "2028-09", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["estimates"].size(), 1u);
  const json& e = doc["estimates"][0];
  EXPECT_EQ(e["method"], "kalman");
  EXPECT_EQ(e["last_declared"], "2022-09-01");
  EXPECT_EQ(e["sources_used"].size(), 24u);  // every Russian exchange 2011-2022
  EXPECT_EQ(e["sources_rejected"].size(), 0u);
  double w12 = 0, w48 = 0, w0 = 0;
  for (const auto& p : e["points"]) {
    const double width = p["p95"].get<double>() - p["p05"].get<double>();
    if (!p.contains("months_since_last_declared")) continue;
    const int m = p["months_since_last_declared"];
    if (m == 0) w0 = width;
    if (m == 12) w12 = width;
    if (m == 48) w48 = width;
  }
  EXPECT_GT(w0, 0);
  EXPECT_GT(w12, w0);
  EXPECT_GT(w48, 1.5 * w12);
}

TEST(EstimateE2e, ChinaUsesDoDBoundsThroughTheParticleMethod) {
  CliResult r = RunTally({"estimate", "--state", "CN", "--from", "2019", "--to", "2027",
                          "--particles", "400", "--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("state,category,date,median,p05,p25,p75,p95,method"));
  EXPECT_THAT(r.out, HasSubstr("CN,military_stockpile,2025-01-01,"));
  EXPECT_THAT(r.out, HasSubstr(",particle"));
  // Yearly rows only.
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("2025-02-01")));
}

TEST(EstimateE2e, RejectedSourcesAreListedWithReasons) {
  TempDir dir;
  const std::string f =
      dir.Write("ev.csv", std::string(kHeader) +
                              "FR,military_stockpile,2024,independent,=,290,,,,A,\n"
                              "FR,military_stockpile,2025,independent,=,290,,,,B,\n"
                              "FR,military_stockpile,2025,independent,>=,280,,,,C,\n"
                              "FR,military_stockpile,1990,independent,=,505,,,,D,\n");
  CliResult r = RunTally({"estimate", "--no-defaults", "--evidence", f, "--state", "FR", "--method",
                          "kalman", "--from", "2020", "--to", "2026", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  const json& e = doc["estimates"][0];
  EXPECT_EQ(e["sources_used"].size(), 2u);
  ASSERT_EQ(e["sources_rejected"].size(), 2u);
  std::string reasons = e["sources_rejected"].dump();
  EXPECT_THAT(reasons, HasSubstr("cannot enter the Kalman filter"));
  EXPECT_THAT(reasons, HasSubstr("outside the estimate window"));
  // The text form says so too.
  CliResult text = RunTally({"estimate", "--no-defaults", "--evidence", f, "--state", "FR",
                             "--method", "kalman", "--from", "2020", "--to", "2026"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("2 used, 2 rejected"));
}

TEST(EstimateE2e, BadEvidenceIsExitTwoWithFileLineField) {
  TempDir dir;
  struct Case {
    std::string row, expect;
  };
  const Case cases[] = {
      {"FR,military_stockpile,2024,independent,=,-290,,,,A,\n", "ev.csv:2: field 'value'"},
      {"FR,military_stockpile,2024-02-30,independent,=,290,,,,A,\n", "ev.csv:2: field 'date'"},
      {"FR,warheads,2024,independent,=,290,,,,A,\n", "ev.csv:2: field 'category'"},
      {"FR,deployed_strategic,2024,independent,=,280,,,,A,\n"
       "FR,reserve,2024,independent,=,10,,,,A,\n"
       "FR,military_stockpile,2024,independent,=,300,,,,A,\n",
       "ev.csv:4: field 'value': stockpile 300"},
  };
  for (const auto& c : cases) {
    const std::string f = dir.Write("ev.csv", std::string(kHeader) + c.row);
    CliResult r = RunTally({"estimate", "--no-defaults", "--evidence", f});
    EXPECT_EQ(r.exit_code, 2) << c.row;
    EXPECT_THAT(r.err, HasSubstr(c.expect));
    EXPECT_TRUE(r.out.empty());
  }
  const std::string unknown = dir.Write("ev.csv", std::string("state,category,date,kind,relation,"
                                                              "value,low,high,sd,source,note,x\n"));
  CliResult r = RunTally({"estimate", "--no-defaults", "--evidence", unknown});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("'x'"));
  EXPECT_EQ(RunTally({"estimate", "--step", "fortnight"}).exit_code, 2);
  EXPECT_EQ(RunTally({"estimate", "--category", "warheads"}).exit_code, 2);
}

// Withholding the last k New START exchanges: the 90 % intervals hold most withheld values, the
// 50 % intervals about half.
TEST(EstimateE2e, CalibrationTableOnNewStartData) {
  CliResult r = RunTally({"estimate", "calibrate", "--k", "6", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["series"], 6);
  int n = 0, in50 = 0, in90 = 0;
  for (const auto& row : doc["rows"]) {
    n += row["withheld"].get<int>();
    in50 += row["in50"].get<int>();
    in90 += row["in90"].get<int>();
  }
  EXPECT_EQ(n, 6 * (1 + 2 + 3 + 4 + 5 + 6));
  EXPECT_GE(in90, 0.80 * n);
  EXPECT_GE(in50, 0.30 * n);
  EXPECT_LE(in50, 0.75 * n);
}

}  // namespace
}  // namespace tally::testing
