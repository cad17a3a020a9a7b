// End to end: `tally log` as a user, a verifier, a witness and a monitor would run it, including
// the tamper suite (every kind of file damaged, entries dropped, reordered or truncated, a second
// checkpoint for one size).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

namespace fs = std::filesystem;

std::string Lines(int from, int n, const std::string& prefix = "entry ") {
  std::string out;
  for (int i = from; i < from + n; ++i) out += prefix + std::to_string(i) + "\n";
  return out;
}

void FlipByte(const std::string& path, size_t offset) {
  std::string data = ReadAll(path);
  ASSERT_LT(offset, data.size()) << path;
  data[offset] ^= 0x01;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

std::string Vkey(const std::string& dir) {
  std::string v = ReadAll(dir + "/vkey");
  if (!v.empty() && v.back() == '\n') v.pop_back();
  return v;
}

class LogCli : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = tmp_.path() + "/log";
    auto r = RunTally({"log", "init", log_, "--origin", "tally.example/us"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    vkey_ = r.out.substr(0, r.out.size() - 1);
  }
  TempDir tmp_;
  std::string log_;
  std::string vkey_;
};

TEST_F(LogCli, InitPrintsTheVkeyAndKeepsTheSecretPrivate) {
  EXPECT_EQ(vkey_.rfind("tally.example/us+", 0), 0u);
  EXPECT_EQ(vkey_, Vkey(log_));
  struct stat st {};
  ASSERT_EQ(::stat((log_ + ".private/log.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadAll(log_ + ".private/log.key").rfind("PRIVATE+KEY+", 0), 0u);
  auto again = RunTally({"log", "init", log_, "--origin", "tally.example/us"});
  EXPECT_EQ(again.exit_code, 2);
  auto append = RunTally({"log", "append", log_, "--raw"}, Lines(0, 3));
  for (const auto& r : {again, append}) {
    EXPECT_EQ(r.out.find("PRIVATE"), std::string::npos);
    EXPECT_EQ(r.err.find("PRIVATE"), std::string::npos);
  }
}

TEST_F(LogCli, AppendProveAndVerifyOffline) {
  auto r = RunTally({"log", "append", log_, "--raw"}, Lines(0, 5));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\n1\n2\n3\n4\n");
  const std::string old_cp = tmp_.Write("old.cp", RunTally({"log", "checkpoint", log_}).out);
  r = RunTally({"log", "append", log_, "--raw", "--batch", "7"}, Lines(5, 20));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto cp = RunTally({"log", "checkpoint", log_});
  ASSERT_EQ(cp.exit_code, 0);
  EXPECT_EQ(cp.out.rfind("tally.example/us\n25\n", 0), 0u) << cp.out;
  const std::string cp_file = tmp_.Write("new.cp", cp.out);

  auto prove = RunTally({"log", "prove", log_, "--index", "7"});
  ASSERT_EQ(prove.exit_code, 0) << prove.err;
  auto j = nlohmann::json::parse(prove.out);
  EXPECT_EQ(j["index"], 7);
  EXPECT_EQ(j["size"], 25);
  EXPECT_EQ(j["proof"].size(), 5u);
  const std::string proof = tmp_.Write("inc.json", prove.out);
  auto ok = RunTally({"log", "verify", "--vkey", vkey_, "--checkpoint", cp_file, "--proof", proof,
                      "--entry-text", "entry 7"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("verified inclusion"), std::string::npos);
  auto wrong = RunTally({"log", "verify", "--vkey", vkey_, "--checkpoint", cp_file, "--proof",
                         proof, "--entry-text", "entry 8"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("inclusion"), std::string::npos) << wrong.err;

  auto cons = RunTally({"log", "prove", log_, "--consistency", "5", "25"});
  ASSERT_EQ(cons.exit_code, 0) << cons.err;
  const std::string cons_file = tmp_.Write("cons.json", cons.out);
  auto c_ok = RunTally({"log", "verify", "--vkey", vkey_, "--old", old_cp, "--checkpoint", cp_file,
                        "--proof", cons_file, "--json"});
  EXPECT_EQ(c_ok.exit_code, 0) << c_ok.err;
  EXPECT_EQ(nlohmann::json::parse(c_ok.out)["verified"], "consistency");
  auto c_bad = RunTally({"log", "verify", "--vkey", vkey_, "--old", cp_file, "--checkpoint", old_cp,
                         "--proof", cons_file});
  EXPECT_NE(c_bad.exit_code, 0);

  auto bundle = RunTally({"log", "prove", log_, "--index", "24", "--bundle"});
  ASSERT_EQ(bundle.exit_code, 0) << bundle.err;
  EXPECT_EQ(bundle.out.rfind("c2sp.org/tlog-proof@v1\nextra ", 0), 0u);
  const std::string bundle_file = tmp_.Write("b.proof", bundle.out);
  EXPECT_EQ(RunTally({"log", "verify", "--vkey", vkey_, "--bundle", bundle_file}).exit_code, 0);
  EXPECT_EQ(RunTally({"log", "verify", "--vkey", vkey_, "--bundle", "-"}, bundle.out).exit_code, 0);
  std::string forged = bundle.out;
  forged.replace(forged.find("index 24"), 8, "index 23");
  EXPECT_EQ(RunTally({"log", "verify", "--vkey", vkey_, "--bundle", "-"}, forged).exit_code, 1);

  // The note alone, with an unrelated key: rejected.
  TempDir other;
  auto other_key = RunTally({"log", "init", other.path(), "--origin", "tally.example/ru"}).out;
  other_key.pop_back();
  EXPECT_EQ(RunTally({"log", "verify", "--vkey", vkey_, "--note", cp_file}).exit_code, 0);
  auto bad_key = RunTally({"log", "verify", "--vkey", other_key, "--note", cp_file});
  EXPECT_EQ(bad_key.exit_code, 1);
  EXPECT_NE(bad_key.err.find("no signature by a known key"), std::string::npos) << bad_key.err;

  auto get = RunTally({"log", "get", log_, "--index", "13"});
  EXPECT_EQ(get.out, "entry 13\n");
}

TEST_F(LogCli, TypedEntriesAndBadInputWriteNothing) {
  // A typed entry speaks for the log's owner, whom only the network file names.
  auto no_network = RunTally({"log", "append", log_, "--kind", "notification", "--time",
                              "2026-02-05T12:00:00Z", "--network", tmp_.File("none.toml")},
                             "warhead moved\n");
  EXPECT_EQ(no_network.exit_code, 2);
  EXPECT_NE(no_network.err.find("none.toml"), std::string::npos) << no_network.err;
  const std::string net = tmp_.File("network.toml");
  ASSERT_EQ(RunTally({"network", "init", net, "--name", "t"}).exit_code, 0);
  ASSERT_EQ(RunTally({"network", "add", net, "--party", "US", "--log", log_}).exit_code, 0);
  auto r = RunTally({"log", "append", log_, "--kind", "notification", "--time",
                     "2026-02-05T12:00:00Z", "--network", net},
                    "warhead moved\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Time never goes back within a log: an entry dated before the last one is not written.
  auto back = RunTally(
      {"log", "append", log_, "--kind", "notification", "--time", "2026-02-04", "--network", net},
      "backdated\n");
  EXPECT_EQ(back.exit_code, 2);
  EXPECT_NE(back.err.find("time never goes back"), std::string::npos) << back.err;
  // And --party is no flag of a typed append any more.
  EXPECT_EQ(
      RunTally({"log", "append", log_, "--kind", "notification", "--party", "RU", "--network", net},
               "as RU\n")
          .exit_code,
      2);
  auto get = RunTally({"log", "get", log_, "--index", "0", "--json"});
  auto j = nlohmann::json::parse(get.out);
  EXPECT_EQ(j["kind"], "notification");
  EXPECT_EQ(j["party"], "US");
  EXPECT_EQ(j["time"], 1770292800);
  std::string big = Lines(0, 2) + std::string(70000, 'x') + "\n";
  auto too_big = RunTally({"log", "append", log_, "--raw"}, big);
  EXPECT_EQ(too_big.exit_code, 2);
  EXPECT_NE(too_big.err.find("stdin:3"), std::string::npos) << too_big.err;
  EXPECT_EQ(RunTally({"log", "checkpoint", log_}).out.find("tally.example/us\n1\n"), 0u);
  EXPECT_EQ(RunTally({"log", "append", log_, "--kind", "nonsense", "--network",
                      tmp_.File("network.toml")},
                     "x\n")
                .exit_code,
            2);
  EXPECT_EQ(RunTally({"log", "append", log_}, "x\n").exit_code, 2);
}

TEST_F(LogCli, LooseKeyPermissionsAreRefused) {
  ::chmod((log_ + ".private/log.key").c_str(), 0640);
  auto r = RunTally({"log", "append", log_, "--raw"}, "x\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("PRIVATE"), std::string::npos);
}

TEST_F(LogCli, WitnessCosignsGrowthAndKeepsForkEvidence) {
  const std::string fork = tmp_.path() + "/fork";
  fs::copy(log_, fork, fs::copy_options::recursive);  // same key, later diverges
  fs::copy(log_ + ".private", fork + ".private", fs::copy_options::recursive);
  const std::string w = tmp_.path() + "/witness";
  auto init = RunTally({"log", "witness", "init", w, "--name", "tally.example/witness-ru"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string wkey = init.out.substr(0, init.out.size() - 1);
  ASSERT_EQ(RunTally({"log", "append", log_, "--raw"}, Lines(0, 10)).exit_code, 0);
  auto c1 = RunTally(
      {"log", "witness", "cosign", w, "--log", log_, "--log-vkey", vkey_, "--time", "1770000000"});
  ASSERT_EQ(c1.exit_code, 0) << c1.err;
  const std::string cosigned = tmp_.Write("cosigned", c1.out);
  auto both =
      RunTally({"log", "verify", "--vkey", vkey_, "--vkey", wkey, "--note", cosigned, "--json"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_EQ(nlohmann::json::parse(both.out)["signers"].size(), 2u);
  ASSERT_EQ(RunTally({"log", "append", log_, "--raw"}, Lines(10, 300)).exit_code, 0);
  auto c2 = RunTally({"log", "witness", "cosign", w, "--log", log_, "--log-vkey", vkey_});
  ASSERT_EQ(c2.exit_code, 0) << c2.err;
  // The raw add-checkpoint protocol: a stale old size is a conflict naming the held size.
  const std::string req = "old 10\n\n" + RunTally({"log", "checkpoint", log_}).out;
  auto stale = RunTally({"log", "witness", "add", w, "--log-vkey", vkey_}, req);
  EXPECT_EQ(stale.exit_code, 2);
  EXPECT_NE(stale.err.find("holds size 310"), std::string::npos) << stale.err;
  // The fork signs a different tree of the same size.
  ASSERT_EQ(RunTally({"log", "append", fork, "--raw"}, Lines(0, 310, "other ")).exit_code, 0);
  auto f = RunTally({"log", "witness", "cosign", w, "--log", fork, "--log-vkey", vkey_});
  EXPECT_EQ(f.exit_code, 1);
  EXPECT_NE(f.err.find("fork"), std::string::npos) << f.err;
  ASSERT_TRUE(fs::exists(w + "/evidence"));
  const auto evidence = fs::directory_iterator(w + "/evidence")->path().string();
  const std::string text = ReadAll(evidence);
  EXPECT_NE(text.find("tally.example/us\n310\n"), std::string::npos);
  // And growing the fork further cannot be proven consistent with what the witness holds.
  ASSERT_EQ(RunTally({"log", "append", fork, "--raw"}, Lines(0, 5, "more ")).exit_code, 0);
  EXPECT_EQ(RunTally({"log", "witness", "cosign", w, "--log", fork, "--log-vkey", vkey_}).exit_code,
            1);
}

TEST_F(LogCli, MonitorResumesAndTheTamperSuiteIsDetected) {
  const std::string fork_ = tmp_.path() + "/fork";
  fs::copy(log_, fork_, fs::copy_options::recursive);  // same key, diverges later
  fs::copy(log_ + ".private", fork_ + ".private", fs::copy_options::recursive);
  ASSERT_EQ(RunTally({"log", "append", log_, "--raw", "--batch", "300"}, Lines(0, 700)).exit_code,
            0);
  const std::string early_cp = ReadAll(log_ + "/checkpoint");
  const std::string state = tmp_.path() + "/monitor.state";
  auto m = RunTally({"log", "monitor", log_, "--vkey", vkey_, "--state", state, "--json"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(nlohmann::json::parse(m.out)["entries_checked"], 700);
  ASSERT_EQ(RunTally({"log", "append", log_, "--raw"}, Lines(700, 20)).exit_code, 0);
  m = RunTally({"log", "monitor", log_, "--vkey", vkey_, "--state", state, "--json"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(nlohmann::json::parse(m.out)["from_size"], 700);
  EXPECT_EQ(nlohmann::json::parse(m.out)["entries_checked"], 20);

  const auto monitor = [&] { return RunTally({"log", "monitor", log_, "--vkey", vkey_}); };
  const auto expect_detected = [&](const std::string& what, const std::string& where) {
    auto r = monitor();
    EXPECT_EQ(r.exit_code, 1) << what << ": " << r.out << r.err;
    EXPECT_NE(r.err.find(where), std::string::npos) << what << ": " << r.err;
  };
  // Flip one byte in each kind of file, then restore it.
  for (const auto& [file, offset] :
       std::vector<std::pair<std::string, size_t>>{{"tile/0/001", 300},
                                                   {"tile/0/002.p/208", 31},
                                                   {"tile/1/000.p/2", 33},
                                                   {"tile/entries/000", 77},
                                                   {"tile/entries/002.p/208", 5},
                                                   {"checkpoint", 0},
                                                   {"checkpoint", 25}}) {
    const std::string path = log_ + "/" + file;
    const std::string before = ReadAll(path);
    FlipByte(path, offset);
    expect_detected("flip " + file, file.substr(0, 10));
    std::ofstream(path, std::ios::binary | std::ios::trunc) << before;
  }
  ASSERT_EQ(monitor().exit_code, 0);
  const std::string bundle = log_ + "/tile/entries/001";
  const std::string good = ReadAll(bundle);
  // Reorder: swap entries 256 and 257 (same lengths, so only the order changes).
  const std::string e0 = good.substr(0, 11), e1 = good.substr(11, 11);
  ASSERT_EQ(e0.substr(2), "entry 256");
  std::ofstream(bundle, std::ios::binary | std::ios::trunc) << e1 + e0 + good.substr(22);
  expect_detected("reorder", "tile/0/001");
  // Drop an entry, truncate the bundle.
  std::ofstream(bundle, std::ios::binary | std::ios::trunc) << good.substr(11);
  expect_detected("drop", "tile/entries/001");
  std::ofstream(bundle, std::ios::binary | std::ios::trunc) << good.substr(0, good.size() - 3);
  expect_detected("truncate", "tile/entries/001");
  fs::remove(bundle);
  expect_detected("delete", "tile/entries/001");
  std::ofstream(bundle, std::ios::binary | std::ios::trunc) << good;
  ASSERT_EQ(monitor().exit_code, 0);
  // A second, different checkpoint for the same size, signed with the log's key (by a copy of
  // the log that diverged): the resumed monitor remembers the root it verified and calls it a
  // fork; a smaller checkpoint is a rollback.
  ASSERT_EQ(RunTally({"log", "append", fork_, "--raw"}, Lines(0, 720, "other ")).exit_code, 0);
  const std::string real_cp = ReadAll(log_ + "/checkpoint");
  fs::copy_file(fork_ + "/checkpoint", log_ + "/checkpoint", fs::copy_options::overwrite_existing);
  auto forked = RunTally({"log", "monitor", log_, "--vkey", vkey_, "--state", state});
  EXPECT_EQ(forked.exit_code, 1);
  EXPECT_NE(forked.err.find("fork"), std::string::npos) << forked.err;
  std::ofstream(log_ + "/checkpoint", std::ios::binary | std::ios::trunc) << early_cp;
  auto rolled = RunTally({"log", "monitor", log_, "--vkey", vkey_, "--state", state});
  EXPECT_EQ(rolled.exit_code, 1);
  EXPECT_NE(rolled.err.find("rollback"), std::string::npos) << rolled.err;
  std::ofstream(log_ + "/checkpoint", std::ios::binary | std::ios::trunc) << real_cp;
  EXPECT_EQ(RunTally({"log", "monitor", log_, "--vkey", vkey_, "--state", state}).exit_code, 0);
}

}  // namespace
}  // namespace tally::testing
