#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/merkle/memory_tree.h"
#include "tally/tlog/log_writer.h"
#include "tally/tlog/monitor.h"
#include "tally/tlog/proof_bundle.h"
#include "tally/tlog/tile_reader.h"
#include "tally/tlog/witness.h"

namespace tally::tlog {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = (fs::temp_directory_path() /
             ("tally_tlog_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++)))
                .string();
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    fs::remove_all(path_);
    fs::remove_all(path_ + ".private");  // a log's private directory sits beside it
  }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

std::vector<std::string> Entries(size_t from, size_t n) {
  std::vector<std::string> out;
  for (size_t i = from; i < from + n; ++i) out.push_back("entry " + std::to_string(i));
  return out;
}

std::unique_ptr<NoteVerifier> LogKey(const std::string& dir) {
  std::string vkey = *ReadFile(LogPaths::VerifierKey(dir));
  vkey.pop_back();
  return std::move(*ParseVerifierKey(vkey));
}

void FlipByte(const std::string& path, size_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x01));
}

TEST(LogWriter, AppendsBatchesWhoseCheckpointsMatchTheTree) {
  TempDir d;
  auto vkey = LogWriter::Init(d.path(), "example.org/log");
  ASSERT_TRUE(vkey.ok()) << vkey.error().message();
  EXPECT_EQ(vkey->rfind("example.org/log+", 0), 0u);
  EXPECT_EQ(*FileMode(LogPaths::SignerKey(LogLocation::ForDirectory(d.path()))) & 0777, 0600u);
  EXPECT_FALSE(LogWriter::Init(d.path(), "example.org/log").ok());
  merkle::MemoryTree tree;
  std::vector<std::string> all;
  std::vector<merkle::Hash> roots{merkle::EmptyRoot()};
  size_t next = 0;
  for (size_t batch : {1u, 254u, 1u, 300u, 0u, 256u, 65536u + 17u}) {
    auto w = LogWriter::Open(d.path());
    ASSERT_TRUE(w.ok()) << w.error().message();
    auto e = Entries(next, batch);
    auto first = (*w)->Append(e);
    ASSERT_TRUE(first.ok()) << first.error().message();
    EXPECT_EQ(*first, next);
    for (const auto& x : e) {
      tree.Append(crypto::AsBytes(x));
      all.push_back(x);
      roots.push_back(tree.Root());
    }
    next += batch;
    EXPECT_EQ((*w)->checkpoint().size, next);
    EXPECT_EQ((*w)->checkpoint().root, tree.Root());
  }
  // The tile layout of the spec for this size, with superseded partial tiles gone.
  const uint64_t size = next;
  EXPECT_EQ(size, 66365u);
  EXPECT_TRUE(FileExists(d.path() + "/tile/0/258"));
  EXPECT_TRUE(FileExists(d.path() + "/tile/0/259.p/61"));
  EXPECT_TRUE(FileExists(d.path() + "/tile/entries/259.p/61"));
  EXPECT_TRUE(FileExists(d.path() + "/tile/1/000"));
  EXPECT_TRUE(FileExists(d.path() + "/tile/1/001.p/3"));
  EXPECT_TRUE(FileExists(d.path() + "/tile/2/000.p/1"));
  EXPECT_FALSE(FileExists(d.path() + "/tile/0/000.p/1"));
  EXPECT_FALSE(fs::exists(d.path() + "/tile/1/000.p"));
  // Proofs at every older size come from the tiles (lenient reading) and verify.
  TileReader reader(d.path(), size, /*strict=*/false);
  for (uint64_t s : {1ul, 2ul, 255ul, 256ul, 257ul, 812ul, 66000ul, size}) {
    TileReader at(d.path(), s, false);
    EXPECT_EQ(*merkle::TreeHash(s, at), roots[s]) << s;
    for (uint64_t i : {0ul, s / 2, s - 1}) {
      auto p = merkle::InclusionProof(i, s, at);
      ASSERT_TRUE(p.ok()) << p.error().message();
      EXPECT_TRUE(merkle::VerifyInclusion(i, s, merkle::LeafHash(all[i]), *p, roots[s]).ok());
    }
    auto c = merkle::ConsistencyProof(s, size, reader);
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(merkle::VerifyConsistency(s, size, *c, roots[s], roots[size]).ok());
  }
  // A monitor verifies it all, then resumes.
  auto key = LogKey(d.path());
  const NoteVerifier* keys[] = {key.get()};
  MonitorState state;
  auto report = MonitorLog(d.path(), keys, state);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->entries_checked, size);
  EXPECT_EQ(state.size, size);
  auto decoded = MonitorState::Decode(state.Encode(), "state");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  state = *decoded;
  {
    auto w = LogWriter::Open(d.path());
    ASSERT_TRUE((*w)->Append(Entries(next, 500)).ok());
  }
  report = MonitorLog(d.path(), keys, state);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->entries_checked, 500u);
}

TEST(LogWriter, RefusesOversizedEntriesAndLooseKeys) {
  TempDir d;
  ASSERT_TRUE(LogWriter::Init(d.path(), "o").ok());
  {
    auto w = LogWriter::Open(d.path());
    std::vector<std::string> e = {"ok", std::string(65536, 'x')};
    EXPECT_EQ((*w)->Append(e).error().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ((*w)->size(), 0u);
  }
  ::chmod(LogPaths::SignerKey(LogLocation::ForDirectory(d.path())).c_str(), 0644);
  auto w = LogWriter::Open(d.path());
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(w.error().message().find("chmod 600"), std::string::npos);
}

TEST(LogWriter, ServedTreeHoldsOnlyPublicFilesAndKillLeftoversAreRemoved) {
  TempDir d;
  const LogLocation where = LogLocation::ForDirectory(d.path() + "/");
  EXPECT_EQ(where.dir, d.path());
  EXPECT_EQ(where.private_dir, d.path() + ".private");
  ASSERT_TRUE(LogWriter::Init(where, "example.org/log").ok());
  {
    auto w = LogWriter::Open(where);
    ASSERT_TRUE(w.ok()) << w.error().message();
    ASSERT_TRUE((*w)->Append(Entries(0, 300)).ok());
  }
  // What a killed append leaves: a temporary file in PRIVATE/tmp, never in the served tree.
  { std::ofstream(LogPaths::Temp(where) + "/7.tmp") << "half a tile"; }
  std::vector<std::string> served;
  for (const auto& f : fs::recursive_directory_iterator(d.path())) {
    if (f.is_regular_file()) served.push_back(fs::relative(f.path(), d.path()).string());
  }
  for (const std::string& f : served) {
    EXPECT_TRUE(f == "checkpoint" || f == "vkey" || f.rfind("tile/", 0) == 0) << f;
    EXPECT_EQ(f.find("tmp"), std::string::npos) << f;
  }
  EXPECT_EQ(*FileMode(where.private_dir) & 0777, 0700u);
  auto w = LogWriter::Open(where);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(fs::is_empty(LogPaths::Temp(where)));
  // The old layout (key inside the served tree) is refused with the move to make.
  TempDir old;
  fs::create_directories(old.path() + "/private");
  fs::copy_file(LogPaths::Checkpoint(d.path()), LogPaths::Checkpoint(old.path()));
  fs::copy_file(LogPaths::SignerKey(where), old.path() + "/private/log.key");
  auto refused = LogWriter::Open(old.path());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("mv " + old.path() + "/private"), std::string::npos);
}

TEST(Monitor, DetectsTamperingWithEachKindOfFile) {
  TempDir d;
  ASSERT_TRUE(LogWriter::Init(d.path(), "o").ok());
  {
    auto w = LogWriter::Open(d.path());
    ASSERT_TRUE((*w)->Append(Entries(0, 600)).ok());
    ASSERT_TRUE((*w)->Append(Entries(600, 66000)).ok());
  }
  auto key = LogKey(d.path());
  const NoteVerifier* keys[] = {key.get()};
  MonitorState clean;
  ASSERT_TRUE(MonitorLog(d.path(), keys, clean).ok());
  const std::vector<std::pair<std::string, size_t>> targets = {
      {"tile/0/000", 5},     {"tile/0/260.p/40", 40}, {"tile/1/000", 100},
      {"tile/1/001.p/4", 0}, {"tile/entries/003", 9}, {"tile/entries/260.p/40", 30},
      {"checkpoint", 3},     {"checkpoint", 30}};
  for (const auto& [file, offset] : targets) {
    const std::string path = d.path() + "/" + file;
    ASSERT_TRUE(FileExists(path)) << file;
    FlipByte(path, offset);
    MonitorState fresh;
    auto r = MonitorLog(d.path(), keys, fresh);
    EXPECT_FALSE(r.ok()) << file;
    if (!r.ok()) {
      EXPECT_TRUE(r.error().code() == StatusCode::kDataLoss ||
                  r.error().code() == StatusCode::kVerificationFailed ||
                  r.error().code() == StatusCode::kInvalidArgument)
          << r.error().ToString();
    }
    FlipByte(path, offset);
    MonitorState again;
    ASSERT_TRUE(MonitorLog(d.path(), keys, again).ok()) << file;
  }
}

TEST(ProofBundle, RoundTripsAndVerifies) {
  TempDir d;
  ASSERT_TRUE(LogWriter::Init(d.path(), "o").ok());
  auto w = LogWriter::Open(d.path());
  ASSERT_TRUE((*w)->Append(Entries(0, 40)).ok());
  TileReader reader(d.path(), 40, true);
  ProofBundle b;
  b.entry = "entry 17";
  b.index = 17;
  b.proof = *merkle::InclusionProof(17, 40, reader);
  b.checkpoint_note = (*w)->checkpoint_note();
  auto parsed = ParseProofBundle(b.Format());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  auto key = LogKey(d.path());
  const NoteVerifier* keys[] = {key.get()};
  EXPECT_TRUE(VerifyProofBundle(*parsed, keys).ok());
  EXPECT_FALSE(VerifyProofBundle(*parsed, keys, std::string("entry 18")).ok());
  parsed->index = 18;
  EXPECT_FALSE(VerifyProofBundle(*parsed, keys).ok());
}

TEST(Witness, CosignsConsistentCheckpointsAndKeepsForkEvidence) {
  TempDir logs, wdir;
  const std::string a = logs.path() + "/a", b = logs.path() + "/b";
  ASSERT_TRUE(LogWriter::Init(a, "example.org/log").ok());
  fs::copy(a, b, fs::copy_options::recursive);  // same key: b is a fork of a
  fs::copy(a + ".private", b + ".private", fs::copy_options::recursive);
  auto wvkey = Witness::Init(wdir.path(), "witness.example");
  ASSERT_TRUE(wvkey.ok());
  auto witness = Witness::Open(wdir.path());
  ASSERT_TRUE(witness.ok());
  auto key = LogKey(a);
  const NoteVerifier* keys[] = {key.get()};
  auto wa = LogWriter::Open(a);
  ASSERT_TRUE((*wa)->Append(Entries(0, 5)).ok());
  AddCheckpointRequest req{0, {}, (*wa)->checkpoint_note()};
  auto r = (*witness)->AddCheckpoint(req, keys, 1000);
  ASSERT_TRUE(r.ok()) << r.error().message();
  auto wkey = ParseVerifierKey(*wvkey);
  const NoteVerifier* both[] = {key.get(), wkey->get()};
  auto cosigned = OpenNote(r->cosigned_note, both);
  ASSERT_TRUE(cosigned.ok());
  EXPECT_EQ(cosigned->verified.size(), 2u);
  // Grow: needs the right old size and a good proof.
  ASSERT_TRUE((*wa)->Append(Entries(5, 7)).ok());
  TileReader ra(a, 12, false);
  AddCheckpointRequest grow{5, *merkle::ConsistencyProof(5, 12, ra), (*wa)->checkpoint_note()};
  AddCheckpointRequest stale{0, {}, (*wa)->checkpoint_note()};
  EXPECT_EQ((*witness)->AddCheckpoint(stale, keys, 1001).error().code(),
            StatusCode::kFailedPrecondition);
  auto parsed = ParseAddCheckpointRequest(grow.Format());
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE((*witness)->AddCheckpoint(*parsed, keys, 1002).ok());
  // The fork: b signs a different tree of size 12.
  auto wb = LogWriter::Open(b);
  ASSERT_TRUE((*wb)->Append(Entries(100, 12)).ok());
  AddCheckpointRequest fork{12, {}, (*wb)->checkpoint_note()};
  auto f = (*witness)->AddCheckpoint(fork, keys, 1003);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code(), StatusCode::kVerificationFailed);
  EXPECT_NE(f.error().message().find("fork"), std::string::npos);
  ASSERT_TRUE(fs::exists(wdir.path() + "/evidence"));
  EXPECT_FALSE(fs::is_empty(wdir.path() + "/evidence"));
  // b grows further; its proof cannot connect to a's tree.
  ASSERT_TRUE((*wb)->Append(Entries(200, 3)).ok());
  TileReader rb(b, 15, false);
  AddCheckpointRequest bad{12, *merkle::ConsistencyProof(12, 15, rb), (*wb)->checkpoint_note()};
  EXPECT_EQ((*witness)->AddCheckpoint(bad, keys, 1004).error().code(),
            StatusCode::kVerificationFailed);
  // Unknown log key: refused.
  const NoteVerifier* none[] = {wkey->get()};
  EXPECT_FALSE((*witness)->AddCheckpoint(grow, none, 1005).ok());
}

TEST(Witness, AnswersWithTheTlogWitnessOutcomesAndSurvivesRestarts) {
  TempDir logs, wdir;
  const std::string a = logs.path() + "/a";
  ASSERT_TRUE(LogWriter::Init(a, "example.org/log").ok());
  ASSERT_TRUE(Witness::Init(wdir.path(), "witness.example").ok());
  auto key = LogKey(a);
  const NoteVerifier* keys[] = {key.get()};
  VerifierKeyring keyring(keys);
  VerifierKeyring empty(std::span<const NoteVerifier* const>{});
  auto wa = LogWriter::Open(a);
  ASSERT_TRUE((*wa)->Append(Entries(0, 5)).ok());
  const std::string cp5 = (*wa)->checkpoint_note();
  using Kind = AddCheckpointOutcome::Kind;
  {
    auto w = Witness::Open(wdir.path());
    ASSERT_TRUE(w.ok());
    EXPECT_EQ((*w)->Add({0, {}, cp5}, empty, 1).kind, Kind::kUnknownOrigin);
    EXPECT_EQ((*w)->Add({0, {}, cp5}, empty, 1).HttpStatus(), 404);
    EXPECT_EQ((*w)->Add({6, {}, cp5}, keyring, 1).HttpStatus(), 400);
    EXPECT_EQ((*w)->Add({0, {}, "not a note"}, keyring, 1).HttpStatus(), 400);
    auto ok = (*w)->Add({0, {}, cp5}, keyring, 1);
    ASSERT_TRUE(ok.ok()) << ok.status.message();
    EXPECT_EQ(ok.HttpStatus(), 200);
  }
  // Restart: the state is durable; a stale request gets 409 with the held size.
  ASSERT_TRUE((*wa)->Append(Entries(5, 7)).ok());
  auto w = Witness::Open(wdir.path());
  ASSERT_TRUE(w.ok());
  auto stale = (*w)->Add({0, {}, (*wa)->checkpoint_note()}, keyring, 2);
  EXPECT_EQ(stale.kind, Kind::kConflict);
  EXPECT_EQ(stale.held_size, 5u);
  // A torn record at the end of the journal (a crash mid-write) is dropped on open.
  w->reset();
  {
    std::ofstream j(wdir.path() + "/state.journal", std::ios::app | std::ios::binary);
    j << "R\x00\x00\x01";
  }
  w = Witness::Open(wdir.path());
  ASSERT_TRUE(w.ok()) << w.error().message();
  EXPECT_EQ((*w)->Add({5, {}, cp5}, keyring, 3).kind, Kind::kCosigned);
}

TEST(Witness, ConcurrentRequestsShareSyncsAndNeverRollBack) {
  TempDir logs, wdir;
  constexpr int kLogs = 8;
  std::vector<std::unique_ptr<NoteVerifier>> owned;
  std::vector<const NoteVerifier*> keys;
  std::vector<std::unique_ptr<LogWriter>> writers;
  for (int i = 0; i < kLogs; ++i) {
    const std::string d = logs.path() + "/" + std::to_string(i);
    ASSERT_TRUE(LogWriter::Init(d, "example.org/log" + std::to_string(i)).ok());
    owned.push_back(LogKey(d));
    keys.push_back(owned.back().get());
    writers.push_back(std::move(*LogWriter::Open(d)));
  }
  VerifierKeyring keyring(keys);
  ASSERT_TRUE(Witness::Init(wdir.path(), "witness.example").ok());
  auto w = Witness::Open(wdir.path());
  ASSERT_TRUE(w.ok());
  std::vector<std::thread> threads;
  std::atomic<int> cosigned{0};
  for (int i = 0; i < kLogs; ++i) {
    threads.emplace_back([&, i] {
      uint64_t held = 0;
      for (int round = 0; round < 10; ++round) {
        ASSERT_TRUE(writers[i]->Append(Entries(round * 3, 3)).ok());
        const uint64_t size = writers[i]->size();
        TileReader reader(logs.path() + "/" + std::to_string(i), size, false);
        std::vector<merkle::Hash> proof;
        if (held > 0) proof = *merkle::ConsistencyProof(held, size, reader);
        auto o = (*w)->Add({held, proof, writers[i]->checkpoint_note()}, keyring, 10);
        ASSERT_TRUE(o.ok()) << o.status.message();
        held = size;
        ++cosigned;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(cosigned.load(), kLogs * 10);
  w->reset();
  auto again = Witness::Open(wdir.path());
  ASSERT_TRUE(again.ok());
  for (int i = 0; i < kLogs; ++i) {
    auto latest = (*again)->Latest("example.org/log" + std::to_string(i));
    ASSERT_TRUE(latest.ok() && latest->has_value());
    EXPECT_EQ(**latest, writers[i]->checkpoint_note());
  }
}

}  // namespace
}  // namespace tally::tlog
