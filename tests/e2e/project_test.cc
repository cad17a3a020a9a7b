// End-to-end: `tally project` on shipped and user scenario files, bad input, and the MPI split.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kScenario[] = R"([scenario]
name = "e2e"
start = 2026-01-01
end = 2031-01-01
members = 300
seed = 11
treaties = ["trilateral-example"]

[[party]]
state = "CN"
quantity = "total_warheads"
initial = 600
growth = { dist = "uniform", low = 50, high = 150 }
source = "test"

[[limit]]
id = "x"
quantity = "total_warheads"
parties = ["CN"]
max = 900
from = 2028-01-01
source = "test"
)";

TEST(ProjectE2e, EnsembleBandsLimitsAndScenarioHash) {
  TempDir dir;
  const std::string f = dir.Write("s.toml", kScenario);
  CliResult r = RunTally({"project", f, "--ensemble", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["scenario"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(doc["ensemble"]["members"], 300);
  ASSERT_EQ(doc["series"].size(), 1u);
  const json& cn = doc["series"][0];
  EXPECT_EQ(cn["p50"].size(), doc["dates"].size());
  EXPECT_NEAR(cn["central"].back().get<double>(), 1100, 2);
  bool own = false, treaty = false;
  for (const auto& l : doc["limits"]) {
    own |= l["limit"] == "x" && l["central_first_over"] == "2029-01-01";
    treaty |= l["limit"].get<std::string>().rfind("trilateral-example/", 0) == 0;
  }
  EXPECT_TRUE(own) << doc["limits"].dump();
  EXPECT_TRUE(treaty);
  // The hash changes with the file; the CSV carries it on every row.
  CliResult csv = RunTally({"project", f, "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr(doc["scenario"]["sha256"].get<std::string>() + ",CN,CN,"));
  const std::string g = dir.Write("t.toml", std::string(kScenario) + "# edited\n");
  CliResult other = RunTally({"project", g, "--json"});
  ASSERT_EQ(other.exit_code, 0);
  EXPECT_NE(json::parse(other.out)["scenario"]["sha256"], doc["scenario"]["sha256"]);
  // Same seed, same bands; thread count does not matter.
  CliResult again = RunTally({"project", f, "--ensemble", "--json", "--threads", "1"});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_EQ(json::parse(again.out)["series"], doc["series"]);
}

TEST(ProjectE2e, ShippedScenariosRun) {
  for (const char* s : {"china-buildup", "upload-after-new-start", "new-start-observance",
                        "trilateral-treaty", "arms-race-3party"}) {
    CliResult r = RunTally({"project", s, "--ensemble", "--members", "200"});
    ASSERT_EQ(r.exit_code, 0) << s << ": " << r.err;
    EXPECT_THAT(r.out, HasSubstr("sha256: "));
    EXPECT_THAT(r.out, HasSubstr("assumptions"));
  }
  CliResult missing = RunTally({"project", "no-such-scenario"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("china-buildup"));
}

TEST(ProjectE2e, BadScenarioFilesAreExitTwoWithFileLineKey) {
  TempDir dir;
  struct Case {
    std::string from, to, expect;
  };
  const Case cases[] = {
      {"seed = 11", "sed = 11", "s.toml:6: field 'scenario.sed': expected a known key"},
      {"initial = 600", "initial = -600", "s.toml:12: field 'party[0].initial'"},
      {"end = 2031-01-01", "end = 2031-02-29", "s.toml:4: invalid TOML: Error while parsing date"},
      {"state = \"CN\"", "state = \"XX\"", "s.toml:10: field 'party[0].state'"},
      {"max = 900", "max = -900", "s.toml:20: field 'limit[0].max'"},
      {"[[limit]]", "[[limits]]", "s.toml:16: field 'limits'"},
      {"treaties = [\"trilateral-example\"]", "treaties = [\"nope\"]", "treaty 'nope'"},
  };
  for (const auto& c : cases) {
    std::string text = kScenario;
    text.replace(text.find(c.from), c.from.size(), c.to);
    const std::string f = dir.Write("s.toml", text);
    CliResult r = RunTally({"project", f, "--ensemble"});
    EXPECT_EQ(r.exit_code, 2) << c.to;
    EXPECT_THAT(r.err, HasSubstr(c.expect));
    EXPECT_TRUE(r.out.empty());
  }
}

// `mpirun -n 2 tally project --ensemble` equals the single-process run with the same seed.
TEST(ProjectE2e, MpiTwoRanksEqualOneProcess) {
#ifdef __SANITIZE_ADDRESS__
  // Open MPI's runtime (memory hooks, leaked singletons) is not clean under ASan; the Release
  // suite runs this test.
  GTEST_SKIP() << "MPI run skipped under AddressSanitizer";
#endif
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0) GTEST_SKIP() << "no mpirun";
  TempDir dir;
  const std::string f = dir.Write("s.toml", kScenario);
  CliResult single = RunTally({"project", f, "--ensemble", "--members", "1000", "--json"});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  const std::string out = dir.File("mpi.json"), err = dir.File("mpi.err");
  const std::string cmd =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "OMPI_MCA_rmaps_base_oversubscribe=1 "
      "ASAN_OPTIONS=detect_leaks=0 timeout 120 mpirun -n 2 '" +
      std::string(TALLY_BIN) + "' project '" + f + "' --ensemble --members 1000 --json >'" + out +
      "' 2>'" + err + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadAll(err);
  json a = json::parse(ReadAll(out));
  json b = json::parse(single.out);
  if (a["ensemble"]["ranks"] == 1) GTEST_SKIP() << "tally built without MPI";
  EXPECT_EQ(a["ensemble"]["ranks"], 2);
  EXPECT_EQ(a["series"], b["series"]);
  EXPECT_EQ(a["limits"], b["limits"]);
  EXPECT_EQ(a["scenario"], b["scenario"]);
}

}  // namespace
}  // namespace tally::testing
