#include "tally/store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"

namespace tally::store {
namespace {

using ::testing::HasSubstr;

std::string Dataset(const std::string& name, int64_t value, int rows = 1) {
  std::string s = "# tally-dataset: 1\n# name: " + name +
                  "\n# title: T\n# publisher: P\n# published: 2025-01-02\n# source: S\n"
                  "state,category,as_of,value,confidence\n";
  for (int i = 0; i < rows; ++i) {
    s += "US,reserve," + std::to_string(1000 + i) + "," + std::to_string(value) + ",estimate\n";
  }
  return s;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("store_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    path_ = (dir_ / "sub" / "tally.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<Store> OpenRw() {
    auto s = Store::Open(path_, OpenMode::kReadWrite);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  ImportOptions Opts(const std::string& origin = "in.csv") {
    ImportOptions o;
    o.origin = origin;
    o.imported_at = "2026-01-01T00:00:00Z";
    return o;
  }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(StoreTest, ReadOnlyOpenOfMissingFileIsNotFound) {
  auto s = Store::Open(path_, OpenMode::kReadOnly);
  EXPECT_EQ(s.error().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(StoreTest, ImportVersionsAndIdempotence) {
  auto store = OpenRw();
  ASSERT_TRUE(store);
  auto a = store->Import(Dataset("ds", 1), Opts("a.csv"));
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ(a->info.version, 1);
  EXPECT_FALSE(a->already_present);
  EXPECT_EQ(a->info.content_hash,
            "sha256:" + crypto::HexEncode(crypto::Sha256Of(Dataset("ds", 1))));

  auto again = store->Import(Dataset("ds", 1), Opts("elsewhere.csv"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_present);
  EXPECT_EQ(again->info.version, 1);
  EXPECT_EQ(again->info.origin, "a.csv");

  auto b = store->Import(Dataset("ds", 2), Opts("b.csv"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->info.version, 2);
  auto other = store->Import(Dataset("other", 2), Opts());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->info.version, 1);

  auto list = store->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "ds");
  EXPECT_EQ((*list)[1].version, 2);

  auto v1 = store->Load("ds", 1);
  ASSERT_TRUE(v1.ok()) << v1.error().ToString();
  EXPECT_EQ(v1->figures[0].value, 1);
  EXPECT_EQ(v1->figures[0].dataset_version, 1);
  EXPECT_EQ(v1->imported_at, "2026-01-01T00:00:00Z");
  EXPECT_EQ(store->Load("ds", 2)->figures[0].value, 2);
  EXPECT_EQ(store->Load("ds", 3).error().code(), StatusCode::kNotFound);

  registry::Registry r;
  ASSERT_TRUE(store->AddAllTo(r).ok());
  EXPECT_EQ((*r.Find({"ds", -1}))->version, 2);
}

TEST_F(StoreTest, BadInputWritesNothing) {
  auto store = OpenRw();
  ASSERT_TRUE(store);
  std::string bad = Dataset("ds", 1, 3);
  bad.replace(bad.rfind("1002"), 4, "12a");
  auto r = store->Import(bad, Opts("bad.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("bad.csv:10: field 'as_of'"));
  EXPECT_TRUE(store->List()->empty());
}

TEST_F(StoreTest, VersionsCannotBeChangedOrDeleted) {
  auto store = OpenRw();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Import(Dataset("ds", 1), Opts()).ok());
  store.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE figures SET value = 9", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM datasets", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  store = OpenRw();
  EXPECT_EQ(store->Load("ds", 1)->figures[0].value, 1);
}

TEST_F(StoreTest, NotAStore) {
  std::filesystem::create_directories(dir_ / "sub");
  std::ofstream(path_) << "this is not a database, just text that is long enough to matter....";
  auto s = Store::Open(path_, OpenMode::kReadWrite);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), StatusCode::kInvalidArgument);
}

// kill -9 between writing the figures and COMMIT: the version is absent afterwards, and the
// store still takes the same import.
TEST_F(StoreTest, KilledImportLeavesNothing) {
  ASSERT_TRUE(OpenRw());
  const std::string big = Dataset("big", 7, 2000);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = Store::Open(path_, OpenMode::kReadWrite);
    if (!s.ok()) _exit(10);
    ImportOptions o = Opts();
    o.before_commit = [] { raise(SIGKILL); };
    (void)(*s)->Import(big, o);
    _exit(11);  // not reached: the hook kills the process
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  auto store = OpenRw();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->List()->empty());
  auto r = store->Import(big, Opts());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->info.version, 1);
  EXPECT_EQ(store->Load("big", 1)->figures.size(), 2000u);
}

}  // namespace
}  // namespace tally::store
