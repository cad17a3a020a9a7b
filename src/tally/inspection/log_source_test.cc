// Reading party logs for a replay: only typed entries, only from a log that verifies, merged in
// the documented order.
#include "tally/inspection/log_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tally/tlog/log_writer.h"

namespace tally::inspection {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class LogSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("tally_inspection_log_" + std::to_string(::getpid())))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string MakeLog(const std::string& name, const std::vector<tlog::Entry>& typed) {
    const std::string d = dir_ + "/" + name;
    EXPECT_TRUE(tlog::LogWriter::Init(d, "tally.example/" + name).ok());
    auto w = tlog::LogWriter::Open(d);
    EXPECT_TRUE(w.ok());
    const std::string raw = "a raw line";
    EXPECT_TRUE((*w)->Append(std::span<const std::string>(&raw, 1)).ok());
    EXPECT_TRUE((*w)->AppendTyped(typed).ok());
    return d;
  }
  std::string dir_;
};

tlog::Entry E(const std::string& party, int64_t time, const std::string& payload) {
  return tlog::Entry{static_cast<uint16_t>(tlog::EntryKind::kStatement), party, time, payload};
}

TEST_F(LogSourceTest, ReadsTypedEntriesAndMergesByTimePartyLogIndex) {
  const std::string ru = MakeLog("ru", {E("RU", 20, "r1"), E("RU", 10, "r0")});
  const std::string us = MakeLog("us", {E("US", 10, "u0"), E("US", 30, "u1")});
  auto a = ReadLogEntries(ru);
  ASSERT_TRUE(a.ok()) << a.error().message();
  ASSERT_EQ(a->size(), 2u);  // the raw line is skipped
  EXPECT_EQ((*a)[0].index, 1u);
  EXPECT_EQ((*a)[0].Where(), "RU log entry 1 (statement)");
  auto b = ReadLogEntries(us);
  ASSERT_TRUE(b.ok());
  std::vector<LoggedEntry> all = *b;
  all.insert(all.end(), a->begin(), a->end());
  MergeOrder(all);
  std::vector<std::string> order;
  for (const auto& e : all) order.push_back(e.entry.payload);
  EXPECT_EQ(order, (std::vector<std::string>{"r0", "u0", "r1", "u1"}));
}

TEST_F(LogSourceTest, ATamperedLogIsRefused) {
  const std::string ru = MakeLog("ru", {E("RU", 20, "r1")});
  // Change one byte of the entry bundle: the monitor's root check fails.
  std::string bundle;
  for (const auto& f : fs::recursive_directory_iterator(ru + "/tile/entries")) {
    if (f.is_regular_file()) bundle = f.path().string();
  }
  ASSERT_FALSE(bundle.empty());
  std::fstream f(bundle, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(-1, std::ios::end);
  f.put('X');
  f.close();
  auto r = ReadLogEntries(ru);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), HasSubstr(ru));
  EXPECT_FALSE(ReadLogEntries(dir_ + "/missing").ok());
}

}  // namespace
}  // namespace tally::inspection
