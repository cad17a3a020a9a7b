// End to end: `tally report`, the main job, on the compiled-in data and with an imported dataset.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using ::testing::HasSubstr;

class ReportCli : public ::testing::Test {
 protected:
  CliResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), "report");
    return RunTally(args, "", {"TALLY_STORE=" + tmp_.File("store/tally.db")});
  }
  TempDir tmp_;
};

TEST_F(ReportCli, TerminalReport) {
  auto r = Run({"--date", "2026-11-27"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1. World nuclear forces today"));
  EXPECT_THAT(r.out, HasSubstr("12,241"));
  EXPECT_THAT(r.out, HasSubstr("70,374"));
  // The article's "about 5,000" is filed as the total inventory it is (issue 12).
  EXPECT_THAT(r.out, HasSubstr("US total_inventory 2026: ~5,000 (article-2026-02-05)"));
  EXPECT_THAT(r.out, HasSubstr("3. Treaties on 2026-11-27"));
  EXPECT_THAT(r.out, HasSubstr("never_in_force"));
  EXPECT_THAT(r.out, HasSubstr("1,419 (+131)"));
  EXPECT_THAT(r.out, HasSubstr("no_data"));
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(ReportCli, JsonDocument) {
  auto r = Run({"--date", "2026-11-27", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["today"]["dataset"], "fas-sipri-2025@0");
  EXPECT_EQ(j["today"]["states"].size(), 10u);
  EXPECT_EQ(j["today"]["states"][9]["figures"]["total_inventory"]["value"], 12241);
  std::map<std::string, std::string> status;
  for (const auto& t : j["treaties"]) status[t["id"]] = t["status"];
  EXPECT_EQ(status["new-start"], "ended");
  EXPECT_EQ(status["start-ii"], "never_in_force");
  EXPECT_FALSE(j["new_start"]["verdicts"].contains("violation"));
  auto before = nlohmann::json::parse(Run({"--date", "2025-06-01", "--json"}).out);
  EXPECT_EQ(before["new_start"]["status"], "in_force");
}

TEST_F(ReportCli, ANewerImportedSnapshotBecomesToday) {
  auto exported = RunTally({"data", "export", "fas-sipri-2025"}, "",
                           {"TALLY_STORE=" + tmp_.File("store/tally.db")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::string text = exported.out;
  for (size_t p; (p = text.find(",2025-01,")) != std::string::npos;)
    text.replace(p, 9, ",2026-01,");
  text.replace(text.find("# name: fas-sipri-2025"), 22, "# name: my-2026-update");
  const std::string file = tmp_.Write("update.csv", text);
  auto imported =
      RunTally({"data", "import", file}, "", {"TALLY_STORE=" + tmp_.File("store/tally.db")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto j = nlohmann::json::parse(Run({"--date", "2026-11-27", "--json"}).out);
  EXPECT_EQ(j["today"]["dataset"], "my-2026-update@1");
}

TEST_F(ReportCli, BadDate) {
  auto r = Run({"--date", "2026-13-01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--date"));
}

}  // namespace
}  // namespace tally::testing
