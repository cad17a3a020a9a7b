// The attack suite of the trust issue: each test runs, through the CLI, what a cheating party did
// to defeat an inspection before parties were pinned and entries bound to their log's owner — and
// asserts the refusal and its named reason, with the honest steps beside it still going through.
// A cheating party controls its own log completely (it holds the key), so where tally's write
// commands refuse, the attack goes around them with forge.h and every reader's replay refuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"
#include "e2e/forge.h"
#include "e2e/inspection_fixture.h"
#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/inspect/joint_randomness.h"
#include "tally/inspect/sampler.h"
#include "tally/inspection/payloads.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/cosignature.h"
#include "tally/tlog/key_file.h"
#include "tally/tlog/log_writer.h"
#include "tally/tlog/note.h"

namespace tally::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
namespace in = inspection;

constexpr uint16_t K(tlog::EntryKind k) { return static_cast<uint16_t>(k); }
constexpr int64_t kRequestTime = 1601539200;  // 2020-10-01T08:00:00Z

inspect::Secret Fill(uint8_t b) {
  inspect::Secret s;
  s.fill(b);
  return s;
}

class TrustAttackTest : public InspectionFixture {
 protected:
  void Request(const std::string& id = kId, const std::string& time = "2020-10-01T08:00:00Z") {
    auto r =
        RunTally({"inspection", "request", "--id", id, "--log", Log("ru"), "--with", Log("us"),
                  "--type", "type-one", "--inspected", "US", "--site", "Minot AFB", "--time", time},
                 "", Env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void SiteOpening(const std::string& id = kId, const std::string& time = "2020-10-01T09:00:00Z") {
    auto r = RunTally(
        {"inspection", "open", "--id", id, "--log", Log("us"), "--with", Log("ru"), "--phase",
         "site", "--store", Store(), "--out", File(id + ".site.json"), "--time", time},
        "", Env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CliResult Step(const std::string& party, const std::string& verb, const std::string& id,
                 const std::string& time, std::vector<std::string> extra = {}) {
    const std::string me = party == "US" ? "us" : "ru", other = party == "US" ? "ru" : "us";
    std::vector<std::string> args = {
        "inspection", verb,     "--id",     id,         "--log",
        Log(me),      "--with", Log(other), "--bundle", File(id + ".site.json"),
        "--time",     time};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTally(args, "", Env());
  }
  json Record(const std::string& id, std::vector<std::string> docs = {}) {
    std::vector<std::string> args = {
        "inspection", "status", "--id",    id,         "--log",
        Log("ru"),    "--log",  Log("us"), "--bundle", File(id + ".site.json"),
        "--json"};
    args.insert(args.end(), docs.begin(), docs.end());
    auto s = RunTally(args, "", Env());
    EXPECT_EQ(s.exit_code, 0) << s.err;
    return json::parse(s.out.empty() ? "{}" : s.out);
  }
  static std::vector<std::string> Reasons(const json& status) {
    std::vector<std::string> out;
    for (const json& r : status["rejected_entries"]) out.push_back(r["reason"]);
    return out;
  }
  void Forge(const std::string& log, uint16_t kind, const std::string& party, int64_t time,
             const std::string& payload) {
    tally::Status s = ForgeEntry(Log(log), tlog::Entry{kind, party, time, payload});
    ASSERT_TRUE(s.ok()) << s.message();
  }
};

// Row 1: the US appended Russia's commitment and reveal to its own log, with a secret ground until
// a missile of its choice came up. Now those entries speak for nobody: the US log's owner is the
// US, and Russia's real commitment goes through.
TEST_F(TrustAttackTest, TheOtherPartysRandomnessOnItsOwnLogIsRefused) {
  Request();
  SiteOpening();
  const std::string round = in::RoundId(kId);
  // The grind: a fake Russian secret that, with the US's own, designates the missile it wants.
  const inspect::Secret us_secret = Fill(0x55);
  inspect::Secret fake{};
  for (int i = 0; i < 2000; ++i) {
    fake = Fill(static_cast<uint8_t>(i));
    fake[1] = static_cast<uint8_t>(i >> 8);
    std::map<std::string, inspect::Secret> both = {{"RU", fake}, {"US", us_secret}};
    if (inspect::JointSeed(round, both)[0] == 0) break;  // stands in for "the missile it wants"
  }
  const in::Citation seen = CiteLog(Log("ru"));
  Forge("us", K(tlog::EntryKind::kRandomnessCommit), "RU", kRequestTime + 3000,
        in::EncodeCommit({kId, round, inspect::CommitmentFor(round, "RU", fake), seen}));
  Forge("us", K(tlog::EntryKind::kRandomnessReveal), "RU", kRequestTime + 3001,
        in::EncodeReveal({kId, round, fake, seen}));
  // Russia's real commitment is not "already designated": it goes through.
  auto real = Step("RU", "commit", kId, "2020-10-01T09:10:00Z");
  EXPECT_EQ(real.exit_code, 0) << real.err;
  json s = Record(kId);
  EXPECT_EQ(s["committed"], json::array({"RU"}));
  EXPECT_THAT(Reasons(s), ::testing::Each(HasSubstr("an entry by RU on US's log; an entry counts "
                                                    "only on its own party's log")));
  EXPECT_EQ(Reasons(s).size(), 2u);
  EXPECT_EQ(s["verdict"], "inconsistent");  // the forgery is evidence against the US
}

// Row 2: `tally inspection record --party RU --log us-log`. No write command takes the party from
// a flag any more, and findings forged in Russia's name on the US log are refused.
TEST_F(TrustAttackTest, FindingsInTheOtherPartysNameAreRefused) {
  Request();
  auto flag =
      RunTally({"inspection", "record", "--id", kId, "--party", "RU", "--log", Log("us"), "--with",
                Log("ru"), "--observe", "US-ICBM-000001:deployed:1", "--out", File("f.json")},
               "", Env());
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_THAT(flag.err, HasSubstr("--party"));
  Forge("us", K(tlog::EntryKind::kFinding), "RU", kRequestTime + 100,
        in::EncodeFinding({kId, in::Hash32{}, CiteLog(Log("us"))}));
  auto v = RunTally(
      {"inspection", "status", "--id", kId, "--log", Log("ru"), "--log", Log("us"), "--json"}, "",
      Env());
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const json s = json::parse(v.out);
  EXPECT_THAT(Reasons(s), ::testing::ElementsAre(HasSubstr("an entry by RU on US's log")));
  EXPECT_EQ(s["verdict"], "inconsistent");
}

// Row 3: ten requests in Russia's name on the US log used up Russia's quota. Requests count only
// from the inspecting party's own log, and ids are namespaced by it.
TEST_F(TrustAttackTest, RequestsInTheOtherPartysNameUseNoQuota) {
  const in::Citation seen = CiteLog(Log("us"));
  for (int i = 0; i < 10; ++i) {
    Forge("us", K(tlog::EntryKind::kInspectionRequest), "RU", kRequestTime - 100 + i,
          in::EncodeRequest(
              {"RU-fake-" + std::to_string(i), "new-start", "type-one", "US", "Minot AFB", seen}));
  }
  // And the US's own requests in Russia's namespace.
  Forge("us", K(tlog::EntryKind::kInspectionRequest), "US", kRequestTime - 50,
        in::EncodeRequest({"RU-2020-99", "new-start", "type-one", "RU", "Minot AFB", seen}));
  Request();  // Russia's real request: admitted
  auto q = RunTally({"inspection", "quota", "--log", Log("ru"), "--log", Log("us"), "--at",
                     "2020-12-01", "--json"},
                    "", Env());
  ASSERT_EQ(q.exit_code, 0) << q.err;
  const json doc = json::parse(q.out);
  for (const json& row : doc["quotas"]) {
    if (row["party"] == "RU" && row["type"] == "type-one") {
      EXPECT_EQ(row["used"], 1);
    }
    if (row["party"] == "US") {
      EXPECT_EQ(row["used"], 0);
    }
  }
  bool namespaced = false;
  for (const json& r : doc["refused_requests"]) {
    namespaced =
        namespaced || r.get<std::string>().find("not in US's namespace") != std::string::npos;
  }
  EXPECT_TRUE(namespaced) << doc.dump(2);
}

// Row 4: after a finished inspection with verdict inconsistent, Russia appended (as itself) a
// request with the same id dated an hour earlier, and the discrepancy vanished.
TEST_F(TrustAttackTest, ARequestDatedEarlierCannotEraseAVerdict) {
  Designate();
  json opened = OpenDesignated();
  const std::string uid = opened["declared"][0]["uid"];
  auto r = As("RU", {"record", "--observe", uid + ":deployed:9", "--out", File("findings.json"),
                     "--bundle", File("site.json"), "--bundle", File("designated.json"), "--time",
                     "2020-10-01T12:00:00Z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Through the CLI: refused, since time never goes back within a log.
  const std::string again =
      in::EncodeRequest({kId, "new-start", "type-one", "US", "Minot AFB", CiteLog(Log("us"))});
  auto cli = RunTally({"log", "append", Log("ru"), "--kind", "inspection-request", "--time",
                       "2020-10-01T07:00:00Z"},
                      again + "\n", Env());
  EXPECT_EQ(cli.exit_code, 2);
  EXPECT_THAT(cli.err, HasSubstr("time never goes back"));
  // Around the CLI: the replay refuses it, and the verdict stands.
  Forge("ru", K(tlog::EntryKind::kInspectionRequest), "RU", kRequestTime - 3600, again);
  auto v = Read("verdict", Docs());
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.out, HasSubstr("discrepancy (warheads)"));
  EXPECT_THAT(v.out, HasSubstr("time never goes back"));
  // Dated later it is a second request: refused, the first stands.
  Forge("ru", K(tlog::EntryKind::kInspectionRequest), "RU", kRequestTime + 86400, again);
  v = Read("verdict", Docs());
  EXPECT_THAT(v.out, HasSubstr("was already requested"));
  EXPECT_THAT(v.out, HasSubstr("discrepancy (warheads)"));
}

// Row 5: the US never committed, predicted the fallback seed from public values, and got the
// missile it wanted with a consistent verdict — the inspector listed as refusing too. Now the
// fallback is the inspector's fresh secret alone and only the US is recorded as refusing.
TEST_F(TrustAttackTest, ARefusalFallsBackToTheInspectorsSecretAlone) {
  Request();
  SiteOpening();
  ASSERT_EQ(Step("RU", "commit", kId, "2020-10-01T09:10:00Z").exit_code, 0);
  // Before the deadline the inspector waits: it reveals last.
  auto early = Step("RU", "reveal", kId, "2020-10-01T10:00:00Z");
  EXPECT_EQ(early.exit_code, 2) << early.err;  // out of turn: nothing written
  EXPECT_THAT(early.err, HasSubstr("the inspecting party reveals last"));
  auto late = Step("RU", "reveal", kId, "2020-10-02T08:00:01Z");
  ASSERT_EQ(late.exit_code, 0) << late.err;
  json s = Record(kId);
  EXPECT_EQ(s["fallback"], true);
  EXPECT_EQ(s["refused"], json::array({"US"}));
  ASSERT_EQ(s["procedural_violations"].size(), 1u);
  EXPECT_EQ(s["procedural_violations"][0]["party"], "US");
  EXPECT_EQ(s["procedural_violations"][0]["kind"], "refused-reveal");
  // Not the public fallback: no value anyone but Russia knew before its reveal.
  std::map<std::string, inspect::Secret> nobody;
  const std::string publicly =
      crypto::HexEncode(inspect::FallbackSeed(in::RoundId(kId), inspect::Digest{}, nobody));
  EXPECT_NE(s["seed"], publicly);
  EXPECT_EQ(s["verdict"], "inconsistent");
}

// Row 6: a secret file reused from an earlier round, whose secret was already public.
TEST_F(TrustAttackTest, ASecretFromAnotherRoundIsRefused) {
  Designate();  // RU.secret and US.secret now belong to round RU-2020-07, and are revealed
  Request("RU-2020-08", "2020-10-02T08:00:00Z");
  SiteOpening("RU-2020-08", "2020-10-02T09:00:00Z");
  auto reuse =
      Step("US", "commit", "RU-2020-08", "2020-10-02T09:10:00Z", {"--secret", File("US.secret")});
  EXPECT_EQ(reuse.exit_code, 2);
  EXPECT_THAT(reuse.err, HasSubstr("a fresh secret is drawn for every round"));
  ASSERT_EQ(Step("RU", "commit", "RU-2020-08", "2020-10-02T09:10:00Z").exit_code, 0);
  auto old_file =
      Step("US", "reveal", "RU-2020-08", "2020-10-02T09:20:00Z", {"--secret", File("US.secret")});
  EXPECT_EQ(old_file.exit_code, 2);
  EXPECT_THAT(old_file.err, HasSubstr("belongs to round tally/inspection/RU-2020-07/items"));
  // Around the CLI: commit to the old, public secret and reveal it. The replay refuses the reveal.
  const std::string text = ReadAll(File("US.secret"));
  auto old_secret = crypto::HexDecode(text.substr(text.size() - 65, 64));
  ASSERT_TRUE(old_secret.ok());
  inspect::Secret s;
  std::copy(old_secret->begin(), old_secret->end(), s.begin());
  const std::string round = in::RoundId("RU-2020-08");
  const in::Citation seen = CiteLog(Log("ru"));
  Forge("us", K(tlog::EntryKind::kRandomnessCommit), "US", kRequestTime + 86400 + 5400,
        in::EncodeCommit({"RU-2020-08", round, inspect::CommitmentFor(round, "US", s), seen}));
  Forge("us", K(tlog::EntryKind::kRandomnessReveal), "US", kRequestTime + 86400 + 5500,
        in::EncodeReveal({"RU-2020-08", round, s, seen}));
  json st = Record("RU-2020-08");
  EXPECT_THAT(Reasons(st), ::testing::Contains(HasSubstr("this secret was revealed before")));
}

// Row 7: a second inventory for the same data date, dated a minute before the request, appended
// after it; the site opening verified against the swapped declaration.
TEST_F(TrustAttackTest, ADeclarationSwappedAfterTheRequestIsNotUsed) {
  Request();
  // A smaller inventory: the US keeps what it wants to hide off it.
  const std::string small = work_.Write("small.csv", [&] {
    std::string csv = ReadAll(dir_->File("us.csv"));
    std::string out;
    size_t kept = 0;
    for (size_t pos = 0; pos < csv.size();) {
      size_t nl = csv.find('\n', pos);
      if (nl == std::string::npos) nl = csv.size();
      const std::string line = csv.substr(pos, nl - pos + 1);
      if (line.find("Minot AFB") == std::string::npos || kept++ < 10) out += line;
      pos = nl + 1;
    }
    return out;
  }());
  // Dated a minute before the request, logged after it: the US log takes it (its own time never
  // went back), but the request cited the US log before it, so it is not the declaration in force.
  auto backdated = RunTally({"declare", small, "--out", File("swapped"), "--log", Log("us"),
                             "--time", "2020-10-01T07:59:00Z"},
                            "", Env());
  ASSERT_EQ(backdated.exit_code, 0) << backdated.err;
  auto swapped = RunTally({"inspection", "open", "--id", kId, "--log", Log("us"), "--with",
                           Log("ru"), "--phase", "site", "--store", File("swapped"), "--out",
                           File("swapped-site.json"), "--time", "2020-10-01T09:00:00Z"},
                          "", Env());
  EXPECT_NE(swapped.exit_code, 0);
  EXPECT_THAT(swapped.err, HasSubstr("bundle is for another declaration"));
  EXPECT_FALSE(fs::exists(File("swapped-site.json")));
  SiteOpening();  // the declaration the request pinned still opens
}

// Row 8: a tuned commitment dated before the real one, appended after it.
TEST_F(TrustAttackTest, ATunedCommitmentDatedEarlierIsRefused) {
  Request();
  SiteOpening();
  ASSERT_EQ(Step("US", "commit", kId, "2020-10-01T09:11:00Z").exit_code, 0);
  const std::string round = in::RoundId(kId);
  Forge("us", K(tlog::EntryKind::kRandomnessCommit), "US", kRequestTime + 3500,
        in::EncodeCommit(
            {kId, round, inspect::CommitmentFor(round, "US", Fill(0x77)), CiteLog(Log("ru"))}));
  json s = Record(kId);
  EXPECT_EQ(s["committed"], json::array({"US"}));
  EXPECT_THAT(Reasons(s), ::testing::ElementsAre(HasSubstr("time never goes back")));
  // Dated after it, it is a second commitment: refused too.
  Forge("us", K(tlog::EntryKind::kRandomnessCommit), "US", kRequestTime + 5000,
        in::EncodeCommit(
            {kId, round, inspect::CommitmentFor(round, "US", Fill(0x78)), CiteLog(Log("ru"))}));
  EXPECT_THAT(Reasons(Record(kId)), ::testing::Contains(HasSubstr("a second commitment by US")));
}

// Row 9: Russia made its own tally.example/ru log with a fresh key and ran the whole inspection
// alone. Only the key the network file pins for that origin makes a log Russia's.
TEST_F(TrustAttackTest, ALogMadeWithAFreshKeyIsNotTheParty) {
  const std::string fake = work_.File("fake-ru-log");
  ASSERT_EQ(RunTally({"log", "init", fake, "--origin", "tally.example/ru"}).exit_code, 0);
  auto r = RunTally({"inspection", "list", "--log", fake, "--log", Log("us")}, "", Env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no signature by a known key (known: tally.example/ru)"));
  auto m = RunTally({"log", "monitor", fake}, "", Env());
  EXPECT_EQ(m.exit_code, 1);
  // A fresh origin is simply no party of the network.
  const std::string stranger = work_.File("stranger-log");
  ASSERT_EQ(RunTally({"log", "init", stranger, "--origin", "tally.example/xx"}).exit_code, 0);
  auto s = RunTally({"inspection", "list", "--log", stranger}, "", Env());
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_THAT(s.err, HasSubstr("is not the log of any party"));
}

// Row 10: a tally.example/ru checkpoint signed with the US key, verified with a keyring holding
// both: "verified inclusion". A checkpoint is the log's only under the key named after its origin.
TEST_F(TrustAttackTest, ACheckpointSignedByAnotherPartysKeyIsRefused) {
  auto skey = tlog::ReadSecretKeyFile(Log("us") + ".private/log.key");
  ASSERT_TRUE(skey.ok());
  auto us = tlog::Ed25519NoteSigner::FromSignerKey(crypto::AsText(skey->bytes()));
  ASSERT_TRUE(us.ok());
  const std::string entry = "a forged statement";
  tlog::Checkpoint cp{"tally.example/ru", 1, merkle::LeafHash(entry), {}};
  const tlog::NoteSigner* signers[] = {us->get()};
  const std::string note = *tlog::SignNote(cp.Format(), signers);
  const std::string cp_file = work_.Write("forged.cp", note);
  const std::string bundle = work_.Write(
      "forged.proof", "c2sp.org/tlog-proof@v1\nextra " +
                          crypto::Base64Encode(std::span<const uint8_t>(
                              reinterpret_cast<const uint8_t*>(entry.data()), entry.size())) +
                          "\nindex 0\n\n" + note);
  const std::string keyring =
      work_.Write("keyring", ReadAll(Log("us") + "/vkey") + ReadAll(Log("ru") + "/vkey"));
  auto with_keyring = RunTally({"log", "verify", "--vkey", "@" + keyring, "--bundle", bundle});
  EXPECT_EQ(with_keyring.exit_code, 1) << with_keyring.out;
  EXPECT_THAT(with_keyring.err, HasSubstr("no signature by a known key (known: tally.example/ru)"));
  auto with_network = RunTally({"log", "verify", "--checkpoint", cp_file}, "", Env());
  EXPECT_EQ(with_network.exit_code, 1);
  // The real RU checkpoint verifies, under the network or the pinned key.
  EXPECT_EQ(
      RunTally({"log", "verify", "--checkpoint", Log("ru") + "/checkpoint"}, "", Env()).exit_code,
      0);
}

// An entry copied byte for byte from Russia's log onto the US log: still Russia's, so refused.
TEST_F(TrustAttackTest, AnEntryCopiedFromTheOtherLogIsRefused) {
  Request();
  SiteOpening();
  ASSERT_EQ(Step("RU", "commit", kId, "2020-10-01T09:10:00Z").exit_code, 0);
  auto get = RunTally({"log", "get", Log("ru"), "--index", "1", "--json"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  auto bytes = crypto::Base64Decode(json::parse(get.out)["base64"].get<std::string>());
  ASSERT_TRUE(bytes.ok());
  ASSERT_TRUE(ForgeBytes(Log("us"), std::string(crypto::AsText(*bytes))).ok());
  EXPECT_THAT(Reasons(Record(kId)),
              ::testing::ElementsAre(HasSubstr("an entry by RU on US's log")));
}

// An entry citing a checkpoint of the other log that the log never had.
TEST_F(TrustAttackTest, AForgedCitationIsRefused) {
  Request();
  SiteOpening();
  in::Citation seen = CiteLog(Log("us"));
  seen.root[5] ^= 0x40;
  const std::string round = in::RoundId(kId);
  Forge("ru", K(tlog::EntryKind::kRandomnessCommit), "RU", kRequestTime + 4000,
        in::EncodeCommit({kId, round, inspect::CommitmentFor(round, "RU", Fill(1)), seen}));
  EXPECT_THAT(Reasons(Record(kId)),
              ::testing::ElementsAre(HasSubstr("a forged citation, or a fork")));
}

// A checkpoint cosigned by a witness the network does not list does not count towards k.
TEST_F(TrustAttackTest, ACosignatureByAnUnknownWitnessDoesNotCount) {
  const std::string wdir = work_.File("witness"), stranger = work_.File("stranger");
  auto w = RunTally({"log", "witness", "init", wdir, "--name", "tally.example/witness"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  auto x = RunTally({"log", "witness", "init", stranger, "--name", "tally.example/stranger"});
  ASSERT_EQ(x.exit_code, 0) << x.err;
  ASSERT_EQ(RunTally({"network", "add", Network(), "--witness", "tally.example/witness", "--key",
                      "@" + wdir + "/vkey", "--cosignatures", "1"})
                .exit_code,
            0);
  auto by_stranger = RunTally({"log", "witness", "cosign", stranger, "--log", Log("ru"),
                               "--log-vkey", "@" + Log("ru") + "/vkey", "--time", "2020-10-01"});
  ASSERT_EQ(by_stranger.exit_code, 0) << by_stranger.err;
  const std::string stranger_cp = work_.Write("stranger.cp", by_stranger.out);
  auto refused = RunTally({"log", "verify", "--checkpoint", stranger_cp}, "", Env());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("0 valid cosignatures by its witnesses, 1 required"));
  auto by_witness = RunTally(
      {"log", "witness", "cosign", wdir, "--log", Log("ru"), "--time", "2020-10-01"}, "", Env());
  ASSERT_EQ(by_witness.exit_code, 0) << by_witness.err;
  const std::string ok_cp = work_.Write("witnessed.cp", by_witness.out);
  auto ok = RunTally({"log", "verify", "--checkpoint", ok_cp, "--json"}, "", Env());
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("tally.example/witness"));
}

}  // namespace
}  // namespace tally::testing
