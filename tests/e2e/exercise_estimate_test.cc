// End-to-end: the year-end estimates of `tally exercise` — what each side can estimate of the
// other's forces with the regime and without it (exercise/year_end_estimate.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using ::testing::HasSubstr;

const nlohmann::json* Row(const nlohmann::json& doc, const std::string& party,
                          const std::string& limit) {
  for (const auto& y : doc["year_end_estimates"]) {
    if (y["party"] == party && y["limit"] == limit) return &y;
  }
  return nullptr;
}

TEST(ExerciseEstimateTest, TheRegimeNarrowsTheEstimateAroundAnHonestParty) {
  CliResult r = RunTally({"exercise", "--in-process", "--notifications", "50", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["year_end_estimates"].size(), 6u);  // 2 parties x New START's 3 limits
  for (const auto& y : doc["year_end_estimates"]) {
    ASSERT_TRUE(y["available"].get<bool>()) << y.dump();
    EXPECT_EQ(y["at"], doc["ends"]);
    const auto& with = y["with_regime"];
    const auto& without = y["without_regime"];
    const double actual = y["actual"].get<double>();
    // Honest parties: both intervals cover what is there; the regime's is much narrower.
    EXPECT_LE(with["p05"].get<double>(), actual) << y.dump();
    EXPECT_GE(with["p95"].get<double>(), actual) << y.dump();
    EXPECT_LE(without["p05"].get<double>(), actual) << y.dump();
    EXPECT_GE(without["p95"].get<double>(), actual) << y.dump();
    const double w_with = with["p95"].get<double>() - with["p05"].get<double>();
    const double w_without = without["p95"].get<double>() - without["p05"].get<double>();
    EXPECT_LT(1.5 * w_with, w_without) << y.dump();
    // Without the regime nothing dated in the run is used.
    EXPECT_LT(without["last_observation"].get<std::string>(), doc["begins"].get<std::string>());
    EXPECT_GE(with["last_observation"].get<std::string>(), doc["begins"].get<std::string>());
  }
}

TEST(ExerciseEstimateTest, AHiddenCheatMovesTheRegimeEstimateWithTheDeclaration) {
  CliResult r = RunTally({"exercise", "--in-process", "--notifications", "50", "--json", "--cheat",
                          "RU:overloaded-missile:120"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const nlohmann::json* y = Row(doc, "RU", "Deployed warheads");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ((*y)["actual"].get<int64_t>() - (*y)["declared"].get<int64_t>(), 120);
  // The regime's estimate rests on the declaration: 120 warheads above it are outside it.
  EXPECT_LT((*y)["with_regime"]["p95"].get<double>(), (*y)["actual"].get<double>());

  CliResult text = RunTally({"exercise", "--in-process", "--notifications", "50", "--cheat",
                             "RU:overloaded-missile:120"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Year-end estimates of each party's forces"));
  EXPECT_THAT(text.out, HasSubstr("RU Deployed warheads: the actual"));
  EXPECT_THAT(text.out, HasSubstr("outside the interval with the regime"));
}

TEST(ExerciseEstimateTest, TreatiesNoPublicSeriesCountsAreNotEstimated) {
  CliResult r = RunTally({"exercise", "--in-process", "--notifications", "50", "--json", "--treaty",
                          "trilateral-example"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["parties"].size(), 3u);
  ASSERT_FALSE(doc["year_end_estimates"].empty());
  for (const auto& y : doc["year_end_estimates"]) {
    EXPECT_FALSE(y["available"].get<bool>());
    EXPECT_THAT(y["reason"].get<std::string>(), HasSubstr("no public series"));
  }
}

// `--html FILE` and `--out DIR`: one self-contained page with a chart per party and limit.
TEST(ExerciseEstimateTest, TheHtmlReportIsSelfContainedWithAChartPerEstimate) {
  const std::string dir =
      ::testing::TempDir() + "tally_exercise_html_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  const std::string html = dir + ".html";
  CliResult r = RunTally({"exercise", "--in-process", "--notifications", "50", "--html", html,
                          "--out", dir, "--cheat", "RU:overloaded-missile:120"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(html);
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ifstream in2(dir + "/report.html");
  const std::string copy((std::istreambuf_iterator<char>(in2)), std::istreambuf_iterator<char>());
  EXPECT_EQ(page, copy);
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = page.find(needle); at != std::string::npos; at = page.find(needle, at + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count("<svg"), 6u);             // 2 parties x New START's 3 limits
  EXPECT_EQ(count("class=\"band\""), 12u);  // with and without, each chart
  EXPECT_THAT(page, HasSubstr("default-src 'none'"));
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
  EXPECT_EQ(page.find("href=\"http"), std::string::npos);
  EXPECT_THAT(page, HasSubstr("RU:overloaded-missile:120"));
  // The cheat's actual count lies outside the regime's interval, flagged in the table.
  EXPECT_THAT(page, HasSubstr("class=\"bad\""));
  std::filesystem::remove_all(dir);
  std::filesystem::remove(html);

  CliResult bad = RunTally(
      {"exercise", "--in-process", "--notifications", "50", "--html", "/nonexistent-dir/x.html"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("--html"));
}

}  // namespace
}  // namespace tally::testing
