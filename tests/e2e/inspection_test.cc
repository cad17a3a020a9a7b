// End to end: a New START Type One inspection through the CLI, with the US and Russian logs —
// declare, request, site opening, joint randomness, designated opening, findings, verdict — and
// the cheats the workflow must name: an overloaded missile, a reveal that does not match its
// commitment, findings about an item that was not designated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/inspection_fixture.h"

namespace tally::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

using InspectionCliTest = InspectionFixture;

TEST_F(InspectionCliTest, AConsistentTypeOneInspection) {
  json d = Designate();
  EXPECT_EQ(d["stage"], "designated");
  ASSERT_EQ(d["designated"].size(), 1u);  // one deployed ICBM at Minot AFB
  EXPECT_EQ(d["population"], 132);        // Minot's 150 silos hold 132 deployed Minuteman III
  json s = OpenDesignated();
  ASSERT_EQ(s["stage"], "opened");
  const json& item = s["declared"][0];
  EXPECT_EQ(item["uid"], d["designated"][0]);
  const std::string obs = item["uid"].get<std::string>() + ":" + item["status"].get<std::string>() +
                          ":" + std::to_string(item["warheads"].get<int>());
  auto r = As("RU", {"record", "--observe", obs, "--out", File("findings.json"), "--bundle",
                     File("site.json"), "--bundle", File("designated.json"), "--time",
                     "2020-10-01T12:00:00Z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = Read("verdict", Docs());
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_THAT(v.out, HasSubstr("verdict:    consistent"));
  // Visibility (docs/formats/inspection.md): the logs, which witnesses and the public mirror,
  // carry hashes only: never an item's uid, record, salt, or a leaf position.
  const json site = json::parse(ReadAll(File("site.json")));
  const std::string salt_hex = site["opened"][0]["salt"];
  std::string salt;  // its bytes, as a leak would carry them
  for (size_t i = 0; i + 1 < salt_hex.size(); i += 2) {
    salt.push_back(static_cast<char>(std::stoi(salt_hex.substr(i, 2), nullptr, 16)));
  }
  for (const char* p : {"us", "ru"}) {
    for (const auto& f : std::filesystem::recursive_directory_iterator(Log(p))) {
      if (!f.is_regular_file()) continue;
      const std::string bytes = ReadAll(f.path().string());
      EXPECT_EQ(bytes.find("US-ICBM"), std::string::npos) << f.path();
      EXPECT_EQ(bytes.find(salt), std::string::npos) << f.path();
      EXPECT_EQ(bytes.find(salt_hex), std::string::npos) << f.path();
      EXPECT_EQ(bytes.find("\"leaves\":["), std::string::npos) << f.path();
      EXPECT_EQ(bytes.find("\"observed\""), std::string::npos) << f.path();
      EXPECT_EQ(bytes.find("\"index\""), std::string::npos) << f.path();
    }
  }
  for (const char* doc : {"site.json", "designated.json", "findings.json"}) {
    struct stat mode;
    ASSERT_EQ(stat(File(doc).c_str(), &mode), 0) << doc;
    EXPECT_EQ(mode.st_mode & 0777, 0600u) << doc;  // partner-only
  }
  // An entry put on a log by other means is checked all the same: a finding by the inspected
  // party is rejected, named, and makes the verdict inconsistent.
  auto raw =
      RunTally({"log", "append", Log("us"), "--kind", "finding", "--time", "2020-10-01T13:00:00Z"},
               std::string(R"({"inspection":"RU-2020-07"})") + "\n", Env());
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  v = Read("verdict", Docs());
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.out, HasSubstr("rejected entry: US log entry 5 (finding): findings by the "
                               "inspected party US; only RU records findings\n"));
  auto docs = Docs();
  std::vector<std::string> list_args = {"inspection", "list",    "--log", Log("ru"),
                                        "--log",      Log("us"), "--json"};
  list_args.insert(list_args.end(), docs.begin(), docs.end());
  auto list = RunTally(list_args, "", Env());
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out)["inspections"][0]["verdict"], "inconsistent");  // as above
  auto q = RunTally({"inspection", "quota", "--log", Log("ru"), "--log", Log("us"), "--at",
                     "2020-12-01", "--json"},
                    "", Env());
  ASSERT_EQ(q.exit_code, 0) << q.err;
  const json quotas =
      json::parse(q.out)["quotas"];  // a named value: the loop outlives no temporary
  bool seen = false;
  for (const json& row : quotas) {
    if (row["party"] == "RU" && row["type"] == "type-one") {
      EXPECT_EQ(row["used"], 1);
      EXPECT_EQ(row["remaining"], 9);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

TEST_F(InspectionCliTest, AnOverloadedMissileIsNamedInTheVerdict) {
  Designate();
  json s = OpenDesignated();
  const json& item = s["declared"][0];
  const int declared = item["warheads"].get<int>();
  const std::string uid = item["uid"];
  // The inspectors count one reentry vehicle more than the declaration carries.
  auto r = As("RU", {"record", "--observe", uid + ":deployed:" + std::to_string(declared + 1),
                     "--out", File("findings.json"), "--bundle", File("site.json"), "--bundle",
                     File("designated.json"), "--time", "2020-10-01T12:00:00Z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = Read("verdict", Docs());
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.out, HasSubstr("discrepancy (warheads): " + uid + ": " +
                               std::to_string(declared + 1) + " reentry vehicles observed, " +
                               std::to_string(declared) + " warhead(s) counted on it"));
  auto j = Read("verdict", [&] {
    auto a = Docs();
    a.push_back("--json");
    return a;
  }());
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(json::parse(j.out)["verdict"], "inconsistent");
}

TEST_F(InspectionCliTest, ARevealThatDoesNotMatchIsRefusedAndNothingIsWritten) {
  auto r = As("RU", {"request", "--type", "type-one", "--inspected", "US", "--site", "Minot AFB",
                     "--time", "2020-10-01T08:00:00Z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = As("US", {"open", "--phase", "site", "--store", Store(), "--out", File("site.json"), "--time",
                "2020-10-01T09:00:00Z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* party : {"RU", "US"}) {
    r = As(party, {"commit", "--secret", File(std::string(party) + ".secret"), "--bundle",
                   File("site.json"), "--time", "2020-10-01T09:10:00Z"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::string before = ReadAll(Log("us") + "/checkpoint");
  // US reveals another secret than the one it committed to (a well-formed file of this round).
  std::string forged = ReadAll(File("US.secret"));
  forged.replace(forged.size() - 65, 64, std::string(64, 'c'));
  const std::string other = work_.Write("other.secret", forged);
  ASSERT_EQ(chmod(other.c_str(), 0600), 0);
  r = As("US", {"reveal", "--secret", other, "--bundle", File("site.json"), "--time",
                "2020-10-01T09:21:00Z"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("refused, nothing written"));
  EXPECT_THAT(r.err, HasSubstr("the secret revealed by US does not open its commitment"));
  EXPECT_EQ(ReadAll(Log("us") + "/checkpoint"), before);
}

TEST_F(InspectionCliTest, BadRequestsAndUnlistedFindingsAreRefused) {
  auto r = As("RU", {"request", "--type", "type-three", "--inspected", "US", "--site", "Minot AFB",
                     "--time", "2020-10-01T08:00:00Z"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("inspection type \"type-three\" is not in the regime"));
  r = As("RU", {"request", "--type", "type-one", "--inspected", "US", "--site", "Minot AFB",
                "--time", "2011-03-01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("begin 60 days after entry into force, on 2011-04-06"));
  r = As("RU", {"request", "--type", "type-two", "--inspected", "US", "--site", "Minot AFB",
                "--time", "2020-10-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Minot holds deployed systems: no Type Two there, and the site opening says so.
  r = As("US", {"open", "--phase", "site", "--store", Store(), "--out", File("site.json"), "--time",
                "2020-10-01T09:00:00Z"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("not eligible for type-two"));
  EXPECT_FALSE(std::filesystem::exists(File("site.json")));
  auto bad = RunTally({"inspection", "status", "--id", "nope", "--log", Log("ru")}, "", Env());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("no inspection-request \"nope\""));
}

TEST_F(InspectionCliTest, FindingsAboutAnItemNotDesignatedAreRefused) {
  json d = Designate();
  OpenDesignated();
  const std::string other =
      d["designated"][0] == "US-ICBM-000001" ? "US-ICBM-000002" : "US-ICBM-000001";
  auto r = As("RU", {"record", "--observe", other + ":deployed:1", "--out", File("findings.json"),
                     "--bundle", File("site.json"), "--bundle", File("designated.json"), "--time",
                     "2020-10-01T12:00:00Z"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("not a designated item"));
  EXPECT_FALSE(std::filesystem::exists(File("findings.json")));
}

}  // namespace
}  // namespace tally::testing
