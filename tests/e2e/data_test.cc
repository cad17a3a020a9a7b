// End to end: `tally data import|list|export` and the store, including kill -9 during an import.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using ::testing::HasSubstr;

std::string DatasetText(const std::string& name, int value, int rows = 3) {
  std::string s = "# tally-dataset: 1\n# name: " + name +
                  "\n# title: Test set\n# publisher: Tests\n# published: 2026-04-01\n"
                  "# source: e2e test\nstate,category,as_of,value,low,high,confidence,source,"
                  "notes\n";
  for (int i = 0; i < rows; ++i) {
    s += "CN,military_stockpile," + std::to_string(1900 + i) + "," + std::to_string(value + i) +
         ",,,estimate,,\n";
  }
  return s;
}

class DataCli : public ::testing::Test {
 protected:
  CliResult Run(std::vector<std::string> args, std::vector<std::string> env = {}) {
    env.push_back("TALLY_STORE=" + store_);
    return RunTally(args, "", env);
  }
  nlohmann::json List() {
    auto r = Run({"data", "list", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  std::vector<nlohmann::json> Stored() {
    std::vector<nlohmann::json> out;
    const nlohmann::json list = List();  // the loop must not range over a temporary's member
    for (const auto& d : list["datasets"]) {
      if (d["version"] != 0) out.push_back(d);
    }
    return out;
  }
  TempDir tmp_;
  std::string store_ = tmp_.File("store/tally.db");
};

TEST_F(DataCli, ImportVersionsNeverOverwrite) {
  const std::string v1 = tmp_.Write("v1.csv", DatasetText("china-test", 500));
  auto first = Run({"data", "import", v1});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("imported china-test@1: 3 figures, sha256:"));

  auto again = Run({"data", "import", v1, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["already_present"], true);
  EXPECT_EQ(j["version"], 1);

  const std::string v2 = tmp_.Write("v2.csv", DatasetText("china-test", 600));
  auto second = Run({"data", "import", v2});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("china-test@2"));

  auto stored = Stored();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0]["origin"], v1);
  EXPECT_EQ(stored[1]["origin"], v2);
  EXPECT_NE(stored[0]["content_hash"], stored[1]["content_hash"]);
  EXPECT_FALSE(stored[0]["imported_at"].get<std::string>().empty());

  // Queries can ask for any version; the bare name is the newest.
  auto old = nlohmann::json::parse(
      Run({"forces", "--dataset", "china-test@1", "--year", "1900", "--json"}).out);
  EXPECT_EQ(old["figures"][0]["value"], 500);
  auto newest = nlohmann::json::parse(
      Run({"forces", "--dataset", "china-test", "--year", "1900", "--json"}).out);
  EXPECT_EQ(newest["figures"][0]["value"], 600);
  EXPECT_EQ(newest["figures"][0]["version"], 2);

  // Export gives back the exact bytes of each version.
  auto exported = Run({"data", "export", "china-test@1"});
  ASSERT_EQ(exported.exit_code, 0);
  EXPECT_EQ(exported.out, ReadAll(v1));
}

TEST_F(DataCli, BadInputWritesNothing) {
  std::string text = DatasetText("bad-test", 1);
  text.replace(text.rfind(",2,"), 3, ",2x,");
  const std::string bad = tmp_.Write("bad.csv", text);
  auto r = Run({"data", "import", bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(bad + ":9: field 'value': expected a whole number of warheads"));
  EXPECT_THAT(r.err, HasSubstr("got \"2x\""));
  EXPECT_FALSE(std::filesystem::exists(store_)) << "bad input created the store";

  // With a store in place: unchanged.
  ASSERT_EQ(Run({"data", "import", tmp_.Write("ok.csv", DatasetText("ok-test", 7))}).exit_code, 0);
  const auto before = List();
  EXPECT_EQ(Run({"data", "import", bad}).exit_code, 2);
  EXPECT_EQ(List(), before);

  auto missing = Run({"data", "import", tmp_.File("missing.csv")});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("missing.csv"));
  auto no_header = Run({"data", "import", tmp_.Write("plain.csv", "state,value\nUS,1\n")});
  EXPECT_EQ(no_header.exit_code, 2);
  EXPECT_THAT(no_header.err, HasSubstr("plain.csv:1: field 'tally-dataset'"));
}

// kill -9 between writing a dataset and COMMIT: the store holds the whole dataset or none of it.
TEST_F(DataCli, KilledImportIsAllOrNothing) {
  const std::string v1 = tmp_.Write("v1.csv", DatasetText("crash-test", 100, 500));
  const std::string v2 = tmp_.Write("v2.csv", DatasetText("crash-test", 200, 500));
  const std::vector<std::string> crash = {"TALLY_FAILPOINT=store-import-before-commit"};

  auto killed = Run({"data", "import", v1}, crash);
  EXPECT_EQ(killed.exit_code, -1) << "expected death by SIGKILL: " << killed.err;
  EXPECT_TRUE(Stored().empty());

  ASSERT_EQ(Run({"data", "import", v1}).exit_code, 0);
  killed = Run({"data", "import", v2}, crash);
  EXPECT_EQ(killed.exit_code, -1);
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0]["version"], 1);
  EXPECT_EQ(stored[0]["figures"], 500);
  auto figures = nlohmann::json::parse(Run({"forces", "--dataset", "crash-test", "--json"}).out);
  EXPECT_EQ(figures["figures"].size(), 500u);

  // The interrupted version imports cleanly afterwards.
  auto r = Run({"data", "import", v2});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("crash-test@2"));
}

TEST_F(DataCli, ListShowsCompiledInDatasets) {
  auto j = List();
  EXPECT_EQ(j["store_exists"], false);
  bool article = false;
  for (const auto& d : j["datasets"]) article = article || d["name"] == "article-2026-02-05";
  EXPECT_TRUE(article);
  auto table = Run({"data", "list"});
  EXPECT_THAT(table.out, HasSubstr("compiled in"));
  EXPECT_FALSE(std::filesystem::exists(store_));
}

}  // namespace
}  // namespace tally::testing
