// tally against golang.org/x/mod/sumdb (an independent implementation): tree roots of every size,
// every proof of small trees, random proofs of a large tree, hash tiles byte for byte (and read
// back through Go's verifying tile reader), and signed notes made by either side and opened by
// the other.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/merkle/memory_tree.h"
#include "tally/tlog/cosignature.h"
#include "tally/tlog/log_writer.h"
#include "tally/tlog/note.h"
#include "tally/tlog/tile.h"

namespace tally {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("tally_interop_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

// Runs the Go reference; arguments must not contain single quotes.
std::string Go(const std::vector<std::string>& args, const std::string& input = "") {
  std::string cmd = TLOGREF_BIN;
  for (const auto& a : args) cmd += " '" + a + "'";
  const std::string in = TempPath("stdin");
  std::ofstream(in, std::ios::binary) << input;
  cmd += " < " + in;
  FILE* p = ::popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  EXPECT_EQ(::pclose(p), 0) << cmd;
  fs::remove(in);
  return out;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string Leaf(uint64_t i) { return "leaf " + std::to_string(i); }

merkle::MemoryTree Tree(uint64_t n) {
  merkle::MemoryTree t;
  for (uint64_t i = 0; i < n; ++i) t.Append(crypto::AsBytes(Leaf(i)));
  return t;
}

std::string Joined(const std::vector<merkle::Hash>& p) {
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) out += (i ? "," : "") + merkle::HashToBase64(p[i]);
  return out;
}

// Checks one "inc t i proof" or "con m t proof" line from Go against tally, both ways.
void CheckProofLine(const std::string& line, merkle::MemoryTree& tree) {
  const auto f = Split(line, ' ');
  ASSERT_GE(f.size(), 3u) << line;
  const uint64_t a = std::stoull(f[1]), b = std::stoull(f[2]);
  const std::string go_proof = f.size() > 3 ? f[3] : "";
  std::vector<merkle::Hash> go_hashes;
  if (!go_proof.empty()) {
    for (const auto& h : Split(go_proof, ','))
      go_hashes.push_back(*merkle::HashFromBase64(h, "go"));
  }
  if (f[0] == "inc") {
    auto ours = merkle::InclusionProof(b, a, tree);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(Joined(*ours), go_proof) << line;
    EXPECT_TRUE(merkle::VerifyInclusion(b, a, merkle::LeafHash(Leaf(b)), go_hashes,
                                        *merkle::TreeHash(a, tree))
                    .ok())
        << line;
  } else {
    auto ours = merkle::ConsistencyProof(a, b, tree);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(Joined(*ours), go_proof) << line;
    EXPECT_TRUE(merkle::VerifyConsistency(a, b, go_hashes, *merkle::TreeHash(a, tree),
                                          *merkle::TreeHash(b, tree))
                    .ok())
        << line;
  }
}

TEST(GoInterop, RootsOfEverySizeUpTo300) {
  const auto lines = SplitLines(Go({"roots", "300"}));
  ASSERT_EQ(lines.size(), 300u);
  merkle::CompactRange range;
  for (uint64_t n = 1; n <= 300; ++n) {
    range.Append(merkle::LeafHash(Leaf(n - 1)));
    EXPECT_EQ(lines[n - 1], std::to_string(n) + " " + merkle::HashToHex(range.Root()));
  }
}

TEST(GoInterop, EveryProofOfSmallTrees) {
  merkle::MemoryTree tree = Tree(48);
  const auto lines = SplitLines(Go({"proofs", "48"}));
  ASSERT_EQ(lines.size(), 48u * 49u);
  for (const auto& line : lines) CheckProofLine(line, tree);
}

TEST(GoInterop, RandomProofsOfALargeTree) {
  const uint64_t n = 200000;
  std::vector<std::string> leaves;
  for (uint64_t i = 0; i < n; ++i) leaves.push_back(Leaf(i));
  std::vector<std::span<const uint8_t>> spans;
  for (const auto& l : leaves) spans.push_back(crypto::AsBytes(l));
  merkle::MemoryTree tree = merkle::MemoryTree::FromLeaves(spans, 2);
  const auto lines = SplitLines(Go({"random", std::to_string(n), "300", "20261127"}));
  ASSERT_EQ(lines.size(), 900u);
  for (const auto& line : lines) {
    if (line.rfind("root ", 0) == 0) {
      const auto f = Split(line, ' ');
      EXPECT_EQ(merkle::HashToBase64(*merkle::TreeHash(std::stoull(f[1]), tree)), f[2]);
    } else {
      CheckProofLine(line, tree);
    }
  }
}

TEST(GoInterop, HashTilesAreByteIdenticalAndPassGosVerifyingReader) {
  const std::string ours = TempPath("log"), theirs = TempPath("go_tiles");
  fs::remove_all(ours);
  fs::remove_all(theirs);
  ASSERT_TRUE(tlog::LogWriter::Init(ours, "tally.example/interop").ok());
  const uint64_t n = 70000;
  {
    auto w = tlog::LogWriter::Open(ours);
    ASSERT_TRUE(w.ok());
    uint64_t next = 0;
    for (uint64_t batch : {1000u, 255u, 30000u, 38745u}) {
      std::vector<std::string> e;
      for (uint64_t i = 0; i < batch; ++i) e.push_back(Leaf(next + i));
      ASSERT_TRUE((*w)->Append(e).ok());
      next += batch;
    }
    ASSERT_EQ(next, n);
  }
  const auto paths = SplitLines(Go({"writetiles", theirs, std::to_string(n)}));
  ASSERT_FALSE(paths.empty());
  // The spec's example: size 70,000 has tile/0/273.p/112, tile/1/001.p/17 and tile/2/000.p/1.
  for (const char* p : {"tile/0/273.p/112", "tile/1/001.p/17", "tile/2/000.p/1"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end()) << p;
  }
  // Go lists every width a tile passes through; tally keeps the full tile or the current partial
  // one (older partial widths are pruned once the checkpoint moves on), so a narrower Go tile is
  // compared with the prefix of tally's.
  size_t exact = 0;
  for (const auto& p : paths) {
    auto id = tlog::ParseTilePath(p);
    ASSERT_TRUE(id.ok()) << p;
    const std::string go_data = *ReadFile(theirs + "/" + p);
    auto a = ReadFile(ours + "/" + p);
    if (a.ok()) {
      ++exact;
      EXPECT_EQ(*a, go_data) << p;
      continue;
    }
    const int final_width = tlog::TileWidthAt(id->level, id->index, n);
    ASSERT_GT(final_width, id->width) << p;
    auto wider = ReadFile(ours + "/" + tlog::TilePath({id->level, id->index, final_width}));
    ASSERT_TRUE(wider.ok()) << p;
    EXPECT_EQ(wider->substr(0, go_data.size()), go_data) << p;
  }
  EXPECT_GE(exact, 275u);
  auto w = tlog::LogWriter::Open(ours);
  const std::string root = merkle::HashToBase64((*w)->checkpoint().root);
  // Every 61st record (Go's reader re-reads and re-verifies tiles for each proof).
  EXPECT_EQ(Go({"verifytiles", ours, std::to_string(n), root, "61"}), "ok 70000\n");
  fs::remove_all(ours);
  fs::remove_all(theirs);
}

TEST(GoInterop, NotesSignedByEitherSideOpenOnTheOther) {
  const std::string text =
      "tally.example/us\n42\n" + merkle::HashToBase64(merkle::EmptyRoot()) + "\n";
  // Go's key, used by tally.
  const auto keys = SplitLines(Go({"keygen", "go.example/log"}));
  ASSERT_EQ(keys.size(), 2u);
  auto go_signer = tlog::Ed25519NoteSigner::FromSignerKey(keys[0]);
  ASSERT_TRUE(go_signer.ok()) << go_signer.error().message();
  EXPECT_EQ((*go_signer)->VerifierKey(), keys[1]);
  // Go signs, tally opens.
  const std::string go_note = Go({"sign", keys[0]}, text);
  auto go_vkey = tlog::ParseVerifierKey(keys[1]);
  const tlog::NoteVerifier* gk[] = {go_vkey->get()};
  auto opened = tlog::OpenNote(go_note, gk);
  ASSERT_TRUE(opened.ok()) << opened.error().message();
  EXPECT_EQ(opened->note.text, text);
  // tally signs with Go's key: byte-identical (Ed25519 is deterministic).
  const tlog::NoteSigner* gs[] = {go_signer->get()};
  EXPECT_EQ(*tlog::SignNote(text, gs), go_note);
  // tally's own key and a tally witness cosignature: Go verifies the log signature and ignores
  // the cosignature it does not know.
  auto signer = tlog::Ed25519NoteSigner::Generate("tally.example/us", crypto::SystemRandom());
  auto witness = tlog::CosignatureV1Signer::Generate("tally.example/w", crypto::SystemRandom());
  const tlog::NoteSigner* ts[] = {signer->get()};
  std::string note = *tlog::SignNote(text, ts);
  note += (*witness)->Cosign(text, 1770000000)->Line();
  EXPECT_EQ(Go({"open", (*signer)->VerifierKey()}, note),
            "verified tally.example/us\ntext " + text);
  // Two keys on one note, from both sides.
  const tlog::NoteSigner* both[] = {signer->get(), go_signer->get()};
  EXPECT_EQ(Go({"open", (*signer)->VerifierKey(), keys[1]}, *tlog::SignNote(text, both)),
            "verified tally.example/us\nverified go.example/log\ntext " + text);
  // A tampered note fails on Go's side too.
  std::string bad = note;
  bad[3] ^= 1;
  EXPECT_EQ(Go({"open", (*signer)->VerifierKey()}, bad).rfind("error", 0), 0u);
}

}  // namespace
}  // namespace tally
