#include "tally/inspection/documents.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"

namespace tally::inspection {
namespace {

namespace fs = std::filesystem;

std::string FreshDir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("tally_documents_" + name);
  fs::remove_all(dir);
  return dir.string();
}

TEST(DocumentsTest, HeldDocumentsAreFoundByTheHashOfTheirBytes) {
  Documents docs;
  const Hash32 h = docs.Add("bundle one");
  EXPECT_EQ(h, crypto::Sha256Of(std::string("bundle one")));
  ASSERT_NE(docs.Find(h), nullptr);
  EXPECT_EQ(*docs.Find(h), "bundle one");
  EXPECT_TRUE(docs.Contains(h));
  EXPECT_EQ(docs.Find(crypto::Sha256Of(std::string("bundle two"))), nullptr);
  EXPECT_EQ(docs.size(), 1u);
}

// A hash given with the bytes never replaces what is held under it.
TEST(DocumentsTest, TheFirstBytesUnderAHashStay) {
  Documents docs;
  const Hash32 h = docs.Add("the real opening");
  docs.Add("other bytes", h);
  EXPECT_EQ(*docs.Find(h), "the real opening");
}

TEST(DocumentsTest, ArchivedDocumentsAreReadBackAndLeaveMemory) {
  const std::string dir = FreshDir("archive");
  Documents docs;
  ASSERT_TRUE(docs.ArchiveTo(dir).ok());
  const Hash32 a = docs.Add("site opening");
  const Hash32 b = docs.Add("findings");
  ASSERT_TRUE(docs.ArchiveHeld().ok());
  EXPECT_TRUE(fs::exists(fs::path(dir) / (crypto::HexEncode(a) + ".json")));
  EXPECT_EQ(*docs.Find(a), "site opening");
  EXPECT_EQ(*docs.Find(b), "findings");
  EXPECT_EQ(docs.size(), 2u);
  std::vector<Hash32> want = {a, b};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(docs.Hashes(), want);
  // Added again after archiving: still one document.
  docs.Add("findings");
  EXPECT_EQ(docs.size(), 2u);
}

// The archive is a working copy on disk: a file changed there is not found, never believed.
TEST(DocumentsTest, AnArchivedFileChangedOnDiskIsNotFound) {
  const std::string dir = FreshDir("tampered");
  Documents docs;
  ASSERT_TRUE(docs.ArchiveTo(dir).ok());
  const Hash32 h = docs.Add("the opening as handed over");
  ASSERT_TRUE(docs.ArchiveHeld().ok());
  std::ofstream(fs::path(dir) / (crypto::HexEncode(h) + ".json"), std::ios::trunc)
      << "an opening swapped on disk";
  EXPECT_EQ(docs.Find(h), nullptr);
  fs::remove(fs::path(dir) / (crypto::HexEncode(h) + ".json"));
  EXPECT_EQ(docs.Find(h), nullptr);
  EXPECT_TRUE(docs.Contains(h));  // known to have been handed over, but no longer readable
}

TEST(DocumentsTest, ATemporaryArchiveGoesWithTheLastCopy) {
  std::string dir;
  {
    Documents docs;
    ASSERT_TRUE(docs.ArchiveTo("").ok());
    dir = docs.archive_dir();
    ASSERT_FALSE(dir.empty());
    docs.Add("kept by the copy");
    ASSERT_TRUE(docs.ArchiveHeld().ok());
    Documents copy = docs;
    { Documents gone = std::move(docs); }
    EXPECT_TRUE(fs::exists(dir));
    EXPECT_EQ(*copy.Find(crypto::Sha256Of(std::string("kept by the copy"))), "kept by the copy");
  }
  EXPECT_FALSE(fs::exists(dir));
}

// A link planted where the archive writes its temporary file is replaced, not written through.
TEST(DocumentsTest, ALinkInTheArchiveIsNotFollowed) {
  const std::string dir = FreshDir("link");
  fs::create_directories(dir);
  const std::string victim = dir + "/victim.txt";
  std::ofstream(victim) << "keep me";
  Documents docs;
  ASSERT_TRUE(docs.ArchiveTo(dir).ok());
  const Hash32 h = docs.Add("archived");
  fs::create_symlink(victim, fs::path(dir) / (crypto::HexEncode(h) + ".json.tmp"));
  ASSERT_TRUE(docs.ArchiveHeld().ok());
  std::ifstream in(victim);
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "keep me");
  EXPECT_EQ(*docs.Find(h), "archived");
}

TEST(DocumentsTest, AnArchiveIsSetOnceAndNeededToArchive) {
  Documents docs;
  EXPECT_EQ(docs.ArchiveHeld().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(docs.ArchiveTo(FreshDir("once")).ok());
  EXPECT_EQ(docs.ArchiveTo(FreshDir("twice")).code(), StatusCode::kFailedPrecondition);
}

TEST(DocumentsTest, AnArchiveThatCannotBeMadeNamesItsPath) {
  const std::string file = FreshDir("file");
  std::ofstream(file) << "not a directory";
  Documents docs;
  const Status s = docs.ArchiveTo(file + "/archive");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), ::testing::HasSubstr(file));
}

}  // namespace
}  // namespace tally::inspection
