// Bad input end to end (issue 11): no input crashes the CLI or exits 3; every refusal names the
// file, line (or JSON path) and field in tally's words, is bounded, and leaves nothing written;
// reads verify what they serve.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

TEST(Robustness, DeeplyNestedJsonIsRefusedWithItsPlace) {
  TempDir dir;
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string path = dir.Write("d.json", deep);
  CliResult r = RunTally({"check", "--treaty", "new-start", "--posture", path});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("d.json:1:65: invalid JSON: nested deeper than 64"));
  std::string objects;
  for (int i = 0; i < 60000; ++i) objects += "{\"a\":";
  const std::string opath = dir.Write("o.json", objects + "1" + std::string(60000, '}'));
  CliResult i = RunTally({"check", "--treaty", "new-start", "--inventory", opath});
  EXPECT_EQ(i.exit_code, 2) << i.err;
  EXPECT_THAT(i.err, HasSubstr("o.json:1:"));
  EXPECT_THAT(i.err, HasSubstr("nested deeper than 64"));
  CliResult s = RunTally({"declaration", "verify", "--statement", path, path});
  EXPECT_EQ(s.exit_code, 2) << s.err;
  EXPECT_THAT(s.err, HasSubstr("d.json:1:65"));
}

TEST(Robustness, JsonErrorsSpeakTallysWords) {
  TempDir dir;
  const std::string path = dir.Write("n.json", "[{\"party\": \"US\", \"x\": -1e99999}]");
  CliResult r = RunTally({"check", "--treaty", "new-start", "--posture", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("n.json:1:"));
  EXPECT_THAT(r.err, HasSubstr("a number too large"));
  EXPECT_THAT(r.err, Not(HasSubstr("json.exception")));
}

TEST(Robustness, NonUtf8CellIsRefusedAtTheBoundaryAndNothingIsWritten) {
  TempDir dir;
  CliResult gen = RunTally({"inventory", "generate", "--party", "US", "--seed", "1"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::string inv = gen.out;
  const size_t at = inv.find("Minot AFB");
  ASSERT_NE(at, std::string::npos);
  inv.replace(at, 5, "Min\xff");
  const std::string path = dir.Write("bad.csv", inv);
  CliResult c = RunTally({"check", "--treaty", "new-start", "--inventory", path});
  EXPECT_EQ(c.exit_code, 2) << c.err;
  EXPECT_THAT(c.err, HasSubstr("bad.csv:"));
  EXPECT_THAT(c.err, HasSubstr("field 'facility': expected UTF-8 text, got byte 0xff"));
  CliResult d = RunTally({"declare", path, "--out", dir.File("decl")});
  EXPECT_EQ(d.exit_code, 2) << d.err;
  EXPECT_FALSE(fs::exists(dir.File("decl")));

  const std::string notes = dir.Write(
      "notes.csv", "type,party,uid,event,notified,detail\nmovement,US,A,2021-01-10,,caf\xe9\n");
  CliResult n = RunTally({"notify", "check", notes, "--today", "2021-02-01"});
  EXPECT_EQ(n.exit_code, 2) << n.err;
  EXPECT_THAT(n.err, HasSubstr("notes.csv:2: field 'detail'"));
}

TEST(Robustness, UnknownPartiesAreRefused) {
  TempDir dir;
  const std::string notes = dir.Write(
      "notes.csv", "type,party,uid,event,notified\nmovement,XX,A,2021-01-10,2021-01-12\n");
  CliResult n = RunTally({"notify", "check", notes, "--today", "2021-02-01"});
  EXPECT_EQ(n.exit_code, 2) << n.err;
  EXPECT_THAT(n.err, HasSubstr("notes.csv:2: field 'party': expected a state code"));
  CliResult g = RunTally({"inventory", "generate", "--party", "XX"});
  EXPECT_EQ(g.exit_code, 2) << g.err;
  EXPECT_THAT(g.err, HasSubstr("--party"));
  const std::string s =
      dir.Write("s.csv",
                "party,system,leg,facility,deployed,non_deployed,warheads,max_warheads,colour\n"
                "US,MM,icbm,base,1,0,1,1,red\n");
  CliResult u = RunTally({"inventory", "generate", "--structure", s});
  EXPECT_EQ(u.exit_code, 2) << u.err;
  EXPECT_THAT(u.err, HasSubstr("s.csv:1: header: unknown column 'colour'"));
}

TEST(Robustness, StructureSizesAreBounded) {
  TempDir dir;
  const std::string s =
      dir.Write("s.csv",
                "party,system,leg,facility,deployed,non_deployed,warheads,max_warheads\n"
                "US,MM,icbm,base,10000000,0,10000000,1\n");
  CliResult r = RunTally({"inventory", "generate", "--structure", s});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("s.csv:2: field 'deployed': expected an integer 0..50000"));
  CliResult c = RunTally({"inventory", "generate", "--copies", "100000"});
  EXPECT_EQ(c.exit_code, 2) << c.err;
  EXPECT_THAT(c.err, HasSubstr("--copies"));
}

TEST(Robustness, HeaderErrorsNameTheHeaderLineAndTheUnknownColumn) {
  TempDir dir;
  const std::string path = dir.Write("typo.csv",
                                     "# tally-dataset: 1\n# name: typo\n# title: t\n"
                                     "# publisher: p\n# published: 2025-01-01\n# source: s\n"
                                     "\n\nstate,category,as_of,value,confidnce,source\n"
                                     "US,military_stockpile,2025-01,3700,confirmed,x\n");
  CliResult r = RunTally({"data", "import", path, "--store", dir.File("s.db")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("typo.csv:9: header:"));
  EXPECT_THAT(r.err, HasSubstr("confidnce"));
}

TEST(Robustness, DatesThatDoNotExistSaySo) {
  CliResult r = RunTally({"report", "--date", "2026-02-30"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr("--date: the date \"2026-02-30\" does not exist (2026-02 has 28 days)"));
}

TEST(Robustness, MinusZeroIsNoCount) {
  TempDir dir;
  const std::string path =
      dir.Write("p.csv", "party,as_of,deployed_icbm_slbm_hb\nUS,2020-09-01,-0\n");
  CliResult r = RunTally({"check", "--treaty", "new-start", "--posture", path});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("p.csv:2:"));
}

TEST(Robustness, ACorruptStoreIsBadInput) {
  TempDir dir;
  const std::string store = dir.Write("garbage.db", std::string(4096, 'g'));
  CliResult r = RunTally({"data", "list", "--store", store});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("garbage.db"));
  fs::create_directories(dir.File("adir"));
  CliResult d = RunTally({"data", "list", "--store", dir.File("adir")});
  EXPECT_EQ(d.exit_code, 2) << d.err;
}

TEST(Robustness, DidYouMean) {
  CliResult t = RunTally({"treaty", "show", "new-strat"});
  EXPECT_EQ(t.exit_code, 2) << t.err;
  EXPECT_THAT(t.err, HasSubstr("did you mean 'new-start'?"));
  CliResult c = RunTally({"forces", "--category", "deployd"});
  EXPECT_EQ(c.exit_code, 2) << c.err;
  EXPECT_THAT(c.err, HasSubstr("did you mean 'deployed'?"));
}

TEST(Robustness, LogGetVerifiesTheEntryAgainstTheCheckpoint) {
  TempDir dir;
  const std::string log = dir.File("log");
  ASSERT_EQ(RunTally({"log", "init", log, "--origin", "tally.example/t"}).exit_code, 0);
  ASSERT_EQ(RunTally({"log", "append", log, "--raw"}, "first\nsecond\n").exit_code, 0);
  CliResult ok = RunTally({"log", "get", log, "--index", "1"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "second\n");
  // Tamper with the bundle of entries (same length, different bytes).
  std::string bundle_path;
  for (const auto& e : fs::recursive_directory_iterator(log + "/tile/entries")) {
    if (e.is_regular_file()) bundle_path = e.path().string();
  }
  ASSERT_FALSE(bundle_path.empty());
  std::string bytes = ReadAll(bundle_path);
  const size_t at = bytes.find("second");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 6, "SECOND");
  std::ofstream(bundle_path, std::ios::binary | std::ios::trunc) << bytes;
  CliResult bad = RunTally({"log", "get", log, "--index", "1"});
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("does not match the signed checkpoint"));
  EXPECT_EQ(bad.out, "");
}

TEST(Robustness, ProofJsonHasOneEncoding) {
  TempDir dir;
  const std::string log = dir.File("log");
  ASSERT_EQ(RunTally({"log", "init", log, "--origin", "tally.example/t"}).exit_code, 0);
  ASSERT_EQ(RunTally({"log", "append", log, "--raw"}, "first\nsecond\n").exit_code, 0);
  const std::string cp = dir.Write("cp.txt", RunTally({"log", "checkpoint", log}).out);
  const std::string proof = RunTally({"log", "prove", log, "--index", "1"}).out;
  const std::string vkey = ReadAll(log + "/vkey");
  auto verify = [&](const std::string& text) {
    const std::string p = dir.Write("p.json", text);
    return RunTally({"log", "verify", "--vkey", vkey.substr(0, vkey.find('\n')), "--checkpoint", cp,
                     "--proof", p, "--entry-text", "second"});
  };
  EXPECT_EQ(verify(proof).exit_code, 0) << verify(proof).err;
  std::string extra = proof;
  extra.insert(proof.find('{') + 1, "\"colour\": 1,");
  CliResult e = verify(extra);
  EXPECT_EQ(e.exit_code, 2) << e.err;
  EXPECT_THAT(e.err, HasSubstr("p.json: field 'colour'"));
  std::string wrong_type = proof;
  const size_t lh = wrong_type.find("\"leaf_hash\"");
  ASSERT_NE(lh, std::string::npos);
  const size_t colon = wrong_type.find(':', lh);
  const size_t end = wrong_type.find(',', colon);
  wrong_type.replace(colon + 1, end - colon - 1, " 1.5");
  CliResult w = verify(wrong_type);
  EXPECT_EQ(w.exit_code, 2) << w.err;
  EXPECT_THAT(w.err, HasSubstr("field 'leaf_hash'"));
  std::string wrong_root = proof;
  const size_t r = wrong_root.find("\"root\": \"");
  ASSERT_NE(r, std::string::npos);
  wrong_root[r + 9] = wrong_root[r + 9] == 'A' ? 'B' : 'A';
  CliResult wr = verify(wrong_root);
  EXPECT_NE(wr.exit_code, 0) << wr.err;
  EXPECT_THAT(wr.err, HasSubstr("root"));
}

}  // namespace
}  // namespace tally::testing
