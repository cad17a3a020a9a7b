#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

const std::string kInventory =
    std::string(TALLY_SOURCE_DIR) + "/data/inventories/us-2020-09-01.csv";

class DeclarationCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunTally({"declare", kInventory, "--out", Store(), "--pad-to", "4096"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Store() const { return dir_.File("us"); }
  std::string Statement() const { return dir_.File("us") + "/declaration.json"; }
  TempDir dir_;
};

TEST_F(DeclarationCliTest, DeclareOpenVerify) {
  struct stat st;
  ASSERT_EQ(stat((Store() + "/secret.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto show = RunTally({"declaration", "show", Store(), "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto s = json::parse(show.out);
  EXPECT_EQ(s["totals"]["deployed_warheads"], 1457);
  EXPECT_EQ(s["leaves"], 4096);

  auto open = RunTally({"declaration", "open", Store(), "--facility", "Minot AFB", "--out",
                        dir_.File("minot.json")});
  ASSERT_EQ(open.exit_code, 0) << open.err;
  auto v = RunTally(
      {"declaration", "verify", "--statement", Statement(), dir_.File("minot.json"), "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  auto doc = json::parse(v.out);
  EXPECT_TRUE(doc["verified"].get<bool>());
  EXPECT_EQ(doc["facilities"][0]["facility"], "Minot AFB");
}

TEST_F(DeclarationCliTest, TamperedBundleIsAFinding) {
  auto open = RunTally({"declaration", "open", Store(), "--kind", "heavy_bomber"});
  ASSERT_EQ(open.exit_code, 0) << open.err;
  auto b = json::parse(open.out);
  // Always a change: the first opened bomber may already sit at any real facility, since the
  // leaf order follows the random salts.
  auto& facility = b["opened"][0]["record"]["facility"];
  facility = facility.get<std::string>() + " (moved)";
  const std::string path = dir_.Write("tampered.json", b.dump());
  auto v = RunTally({"declaration", "verify", "--statement", Statement(), path});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.err, HasSubstr("commitment mismatch"));

  // Edited in its canonical spelling (another spelling is refused before any check).
  auto st = nlohmann::ordered_json::parse(ReadAll(Statement()));
  st["totals"]["launchers"] = 700;
  const std::string forged = dir_.Write("forged.json", st.dump());
  const std::string good = dir_.Write("good.json", open.out);
  v = RunTally({"declaration", "verify", "--statement", forged, good});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.err, HasSubstr("declared total launchers = 700 disagrees with the root's sum 800"));
}

TEST_F(DeclarationCliTest, BadInputIsExit2AndWritesNothing) {
  const std::string bad = dir_.Write("bad.csv", "uid,party,kind,status\nA,US,rocket,deployed\n");
  auto r = RunTally({"declare", bad, "--out", dir_.File("bad")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.csv:2"));
  EXPECT_FALSE(fs::exists(dir_.File("bad")));
  EXPECT_FALSE(fs::exists(dir_.File("bad.partial")));
  r = RunTally({"declare", kInventory, "--out", Store()});
  EXPECT_EQ(r.exit_code, 2);  // never overwrites a store
  const std::string junk = dir_.Write("junk.json", R"({"format":"tally-opening-bundle/2"})");
  r = RunTally({"declaration", "verify", "--statement", Statement(), junk});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("junk.json: field 'declaration'"));
}

TEST_F(DeclarationCliTest, SecretReadableByOthersIsRefused) {
  fs::permissions(Store() + "/secret.key", fs::perms::others_read, fs::perm_options::add);
  auto r = RunTally({"declaration", "open", Store(), "--all"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("chmod 600"));
}

// Every command's every output (stdout, stderr, every file written outside the store) is scanned
// for items that were not opened and for the secret.
TEST_F(DeclarationCliTest, UnopenedItemsAndTheSecretNeverLeaveTheStore) {
  const std::string secret = ReadAll(Store() + "/secret.key");
  const std::string secret_hex = secret.substr(secret.rfind(' ') + 1, 64);
  std::vector<CliResult> outputs;
  outputs.push_back(RunTally({"declare", kInventory, "--out", dir_.File("us2"), "--json"}));
  outputs.push_back(RunTally({"declare", kInventory, "--out", dir_.File("us3")}));
  outputs.push_back(RunTally({"declaration", "show", Store()}));
  outputs.push_back(RunTally({"declaration", "show", Statement(), "--json"}));
  outputs.push_back(RunTally({"declaration", "open", Store(), "--facility", "Whiteman AFB", "--out",
                              dir_.File("b1.json")}));
  outputs.push_back(RunTally({"declaration", "open", Store(), "--uid", "US-ICBML-0001"}));
  outputs.push_back(RunTally({"declaration", "open", Store(), "--facility", "Nowhere"}));
  outputs.push_back(RunTally({"declaration", "open", Store(), "--uid", "NO-SUCH"}));
  outputs.push_back(
      RunTally({"declaration", "verify", "--statement", Statement(), dir_.File("b1.json")}));
  outputs.push_back(RunTally(
      {"declaration", "verify", "--statement", Statement(), dir_.File("b1.json"), "--json"}));
  std::set<std::string> opened = {"US-ICBML-0001"};
  const json b1 = json::parse(ReadAll(dir_.File("b1.json")));
  for (const auto& l : b1["opened"]) {
    opened.insert(l["record"]["uid"].get<std::string>());
  }
  std::vector<std::string> texts;
  for (const auto& r : outputs) {
    texts.push_back(r.out);
    texts.push_back(r.err);
  }
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    if (e.is_regular_file()) texts.push_back(ReadAll(e.path().string()));
    if (e.is_directory()) texts.push_back(ReadAll((e.path() / "declaration.json").string()));
  }
  std::vector<std::string> unopened;
  std::istringstream csv(ReadAll(kInventory));
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    const std::string uid = line.substr(0, line.find(','));
    if (!opened.count(uid)) unopened.push_back(uid);
  }
  ASSERT_GT(unopened.size(), 3000u);
  for (const std::string& t : texts) {
    EXPECT_EQ(t.find(secret_hex), std::string::npos);
    for (const std::string& uid : unopened) {
      ASSERT_EQ(t.find("\"" + uid + "\""), std::string::npos) << uid << " in " << t.substr(0, 300);
      ASSERT_EQ(t.find(uid + " "), std::string::npos) << uid;
    }
  }
}

TEST_F(DeclarationCliTest, DeclarationGoesOnTheLog) {
  auto init = RunTally({"log", "init", dir_.File("log"), "--origin", "tally.example/us"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  // The statement goes on its declaring party's own log, as the network file pins it.
  const std::string net = dir_.File("network.toml");
  ASSERT_EQ(RunTally({"network", "init", net, "--name", "t"}).exit_code, 0);
  ASSERT_EQ(RunTally({"network", "add", net, "--party", "RU", "--log", dir_.File("log")}).exit_code,
            0);
  auto wrong_owner = RunTally({"declare", kInventory, "--out", dir_.File("logged"), "--log",
                               dir_.File("log"), "--network", net});
  EXPECT_EQ(wrong_owner.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_.File("logged")));
  ASSERT_EQ(RunTally({"network", "init", dir_.File("us.toml"), "--name", "t"}).exit_code, 0);
  ASSERT_EQ(
      RunTally({"network", "add", dir_.File("us.toml"), "--party", "US", "--log", dir_.File("log")})
          .exit_code,
      0);
  auto r = RunTally({"declare", kInventory, "--out", dir_.File("logged"), "--log", dir_.File("log"),
                     "--network", dir_.File("us.toml"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["log_index"], 0);
  auto get = RunTally({"log", "get", dir_.File("log"), "--index", "0", "--json"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_THAT(get.out, HasSubstr("declaration"));
}

// The verifier takes the statement from the party's log: the entry, its inclusion proof and the
// signed checkpoint, checked against the log's key; a statement edited on the way fails.
TEST_F(DeclarationCliTest, VerifyTakesTheStatementFromTheLog) {
  ASSERT_EQ(RunTally({"log", "init", dir_.File("log"), "--origin", "tally.example/us"}).exit_code,
            0);
  const std::string net = dir_.File("network.toml");
  ASSERT_EQ(RunTally({"network", "init", net, "--name", "t"}).exit_code, 0);
  ASSERT_EQ(RunTally({"network", "add", net, "--party", "US", "--log", dir_.File("log")}).exit_code,
            0);
  // Dated in treaty time, as an exercise needs; a bad time writes neither store nor entry.
  auto bad = RunTally({"declare", kInventory, "--out", dir_.File("logged"), "--log",
                       dir_.File("log"), "--network", net, "--time", "2020-13-01"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_.File("logged")));
  ASSERT_EQ(RunTally({"declare", kInventory, "--out", dir_.File("logged"), "--log",
                      dir_.File("log"), "--network", net, "--time", "2020-09-20"})
                .exit_code,
            0);
  auto get = RunTally({"log", "get", dir_.File("log"), "--index", "0", "--json"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(json::parse(get.out)["time"], 1600560000);  // 2020-09-20T00:00:00Z
  auto prove = RunTally({"log", "prove", dir_.File("log"), "--index", "0", "--bundle"});
  ASSERT_EQ(prove.exit_code, 0) << prove.err;
  const std::string proof = dir_.Write("declaration.proof", prove.out);
  const std::string vkey = "@" + dir_.File("log") + "/vkey";
  auto open = RunTally({"declaration", "open", dir_.File("logged"), "--facility", "Minot AFB",
                        "--out", dir_.File("minot.json")});
  ASSERT_EQ(open.exit_code, 0) << open.err;
  auto v = RunTally({"declaration", "verify", "--proof", proof, "--vkey", vkey,
                     dir_.File("minot.json"), "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  auto doc = json::parse(v.out);
  EXPECT_EQ(doc["logged"]["index"], 0);
  EXPECT_EQ(doc["logged"]["origin"], "tally.example/us");

  // Another log's key: the checkpoint signature does not verify.
  ASSERT_EQ(RunTally({"log", "init", dir_.File("other"), "--origin", "tally.example/ru"}).exit_code,
            0);
  auto wrong = RunTally({"declaration", "verify", "--proof", proof, "--vkey",
                         "@" + dir_.File("other") + "/vkey", dir_.File("minot.json")});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.err;

  // The bundle of a different declaration (same items, fresh secret) is not for this root.
  auto other = RunTally({"declaration", "open", Store(), "--facility", "Minot AFB"});
  ASSERT_EQ(other.exit_code, 0);
  dir_.Write("other.json", other.out);
  auto mismatch = RunTally(
      {"declaration", "verify", "--proof", proof, "--vkey", vkey, dir_.File("other.json")});
  EXPECT_EQ(mismatch.exit_code, 1);

  // Exactly one source of the statement.
  auto both = RunTally({"declaration", "verify", "--proof", proof, "--vkey", vkey, "--statement",
                        Statement(), dir_.File("minot.json")});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("either"));
}

// Stages of the treaty's opening policy: open what a stage requires, and check that bundles
// satisfy it. The trilateral example's first stage opens every launcher, provably.
TEST_F(DeclarationCliTest, OpeningPolicyStages) {
  const std::string store = dir_.File("tri");
  auto d = RunTally({"declare", kInventory, "--out", store, "--treaty", "trilateral-example"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  auto open = RunTally(
      {"declaration", "open", store, "--stage", "eif-launchers", "--out", dir_.File("eif.json")});
  ASSERT_EQ(open.exit_code, 0) << open.err;
  auto v = RunTally({"declaration", "verify", "--statement", store + "/declaration.json", "--stage",
                     "eif-launchers", dir_.File("eif.json"), "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  auto doc = json::parse(v.out);
  EXPECT_TRUE(doc["stage"]["complete_provably"].get<bool>());
  auto show = RunTally({"declaration", "show", store, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const auto launchers = json::parse(show.out)["totals"]["launchers"].get<uint64_t>();
  EXPECT_EQ(doc["stage"]["opened"], launchers);

  // One facility's items do not satisfy the launcher stage: exit 1, naming the shortfall.
  auto part = RunTally(
      {"declaration", "open", store, "--facility", "Minot AFB", "--out", dir_.File("minot.json")});
  ASSERT_EQ(part.exit_code, 0) << part.err;
  auto short_v = RunTally({"declaration", "verify", "--statement", store + "/declaration.json",
                           "--stage", "eif-launchers", dir_.File("minot.json")});
  EXPECT_EQ(short_v.exit_code, 1);
  EXPECT_THAT(short_v.err, HasSubstr("of the declared " + std::to_string(launchers)));

  // Usage errors: unknown stage, a stage needing a site without one, a stage with a selection.
  auto unknown = RunTally({"declaration", "open", store, "--stage", "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("eif-launchers"));
  auto no_site = RunTally({"declaration", "open", store, "--stage", "inspected-site"});
  EXPECT_EQ(no_site.exit_code, 2);
  auto mixed = RunTally({"declaration", "open", store, "--stage", "expiry-all", "--all"});
  EXPECT_EQ(mixed.exit_code, 2);
  auto site = RunTally({"declaration", "open", store, "--stage", "inspected-site", "--site",
                        "Minot AFB", "--out", dir_.File("site.json")});
  ASSERT_EQ(site.exit_code, 0) << site.err;
  auto site_v =
      RunTally({"declaration", "verify", "--statement", store + "/declaration.json", "--stage",
                "inspected-site", "--site", "Minot AFB", dir_.File("site.json")});
  EXPECT_EQ(site_v.exit_code, 0) << site_v.err;
}

}  // namespace
}  // namespace tally::testing
