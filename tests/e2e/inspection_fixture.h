// The fixture the inspection end-to-end tests share (inspection_test.cc: the workflow and its
// named cheats; trust_attack_test.cc: the attacks of a party that does not play by the rules):
// one US declaration store for the suite, and per test a network file pinning fresh US and
// Russian logs, the US statement logged in treaty time, and the parties' CLI calls.
#ifndef TALLY_TESTS_E2E_INSPECTION_FIXTURE_H_
#define TALLY_TESTS_E2E_INSPECTION_FIXTURE_H_

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"

namespace tally::testing {

inline constexpr char kId[] = "RU-2020-07";

class InspectionFixture : public ::testing::Test {
 protected:
  // One US declaration for the whole suite: generating and committing 3,400 items is the slow part.
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto gen = RunTally({"inventory", "generate", "--party", "US", "--out", dir_->File("us.csv")});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    auto decl = RunTally({"declare", dir_->File("us.csv"), "--out", Store()});
    ASSERT_EQ(decl.exit_code, 0) << decl.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Store() { return dir_->File("us-store"); }

  // Fresh logs and a network file pinning them, per test; the US statement logged in treaty time
  // (data as of 2020-09-01).
  void SetUp() override {
    auto n = RunTally({"network", "init", Network(), "--name", "test", "--treaty", "new-start"});
    ASSERT_EQ(n.exit_code, 0) << n.err;
    for (const char* p : {"us", "ru"}) {
      auto r = RunTally({"log", "init", Log(p), "--origin", std::string("tally.example/") + p});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      std::string id = p;
      for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      r = RunTally({"network", "add", Network(), "--party", id, "--log", Log(p)});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    auto st =
        RunTally({"log", "append", Log("us"), "--kind", "declaration", "--time", "2020-09-20"},
                 ReadAll(Store() + "/declaration.json"), Env());
    ASSERT_EQ(st.exit_code, 0) << st.err;
  }
  std::string Network() const { return work_.File("network.toml"); }
  std::vector<std::string> Env() const { return {"TALLY_NETWORK=" + Network()}; }
  std::string Log(const std::string& p) const { return work_.File(p + "-log"); }
  std::string File(const std::string& name) const { return work_.File(name); }

  // A write command by `party` ("US" or "RU") on its own log, reading the other's.
  CliResult As(const std::string& party, std::vector<std::string> args) {
    const std::string me = party == "US" ? "us" : "ru";
    const std::string other = party == "US" ? "ru" : "us";
    std::vector<std::string> full = {"inspection"};
    full.insert(full.end(), args.begin(), args.end());
    for (const std::string& f : {std::string("--id"), std::string(kId), std::string("--log"),
                                 Log(me), std::string("--with"), Log(other)}) {
      full.push_back(f);
    }
    return RunTally(full, "", Env());
  }
  CliResult Read(const std::string& verb, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"inspection", verb,      "--id",  kId,
                                     "--log",      Log("ru"), "--log", Log("us")};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTally(args, "", Env());
  }

  // Request through designation; returns the designate JSON.
  nlohmann::json Designate() {
    auto r = As("RU", {"request", "--type", "type-one", "--inspected", "US", "--site", "Minot AFB",
                       "--time", "2020-10-01T08:00:00Z"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = As("US", {"open", "--phase", "site", "--store", Store(), "--out", File("site.json"),
                  "--time", "2020-10-01T09:00:00Z"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> site = {"--bundle", File("site.json")};
    for (auto [party, t] : {std::pair{"RU", "09:10"}, std::pair{"US", "09:11"}}) {
      std::vector<std::string> a = {"commit", "--secret", File(std::string(party) + ".secret"),
                                    "--time", std::string("2020-10-01T") + t + ":00Z"};
      a.insert(a.end(), site.begin(), site.end());
      r = As(party, a);
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    struct stat st;
    EXPECT_EQ(stat(File("RU.secret").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // The inspected party reveals first; the inspecting party last, which fixes the seed.
    r = As("US", {"reveal", "--secret", File("US.secret"), "--bundle", File("site.json"), "--time",
                  "2020-10-01T09:20:00Z"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = As("RU", {"reveal", "--secret", File("RU.secret"), "--bundle", File("site.json"), "--time",
                  "2020-10-01T09:21:00Z"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto d = Read("designate", {"--bundle", File("site.json"), "--json"});
    EXPECT_EQ(d.exit_code, 0) << d.err;
    return nlohmann::json::parse(d.out);
  }

  // The designated opening, then the declared record as the inspectors see it.
  nlohmann::json OpenDesignated() {
    auto r = As("US", {"open", "--phase", "designated", "--store", Store(), "--out",
                       File("designated.json"), "--time", "2020-10-01T10:00:00Z"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto s = Read("status",
                  {"--bundle", File("site.json"), "--bundle", File("designated.json"), "--json"});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    return nlohmann::json::parse(s.out);
  }

  std::vector<std::string> Docs() const {
    return {"--bundle",   File("site.json"),    "--bundle", File("designated.json"),
            "--findings", File("findings.json")};
  }

  static inline TempDir* dir_ = nullptr;
  TempDir work_;
};

}  // namespace tally::testing

#endif  // TALLY_TESTS_E2E_INSPECTION_FIXTURE_H_
