#include "tally/escrow/bundle_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "tally/base/file.h"
#include "tally/base/parallel.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/declaration.h"
#include "tally/treaty/inventory_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::escrow {
namespace {

std::string Seed(const std::string& name) {
  return ReadFile(std::string(TALLY_SOURCE_DIR) + "/fuzz/corpus/opening_bundle/" + name).value();
}

// Deterministic randomness for tests only.
class CountingRandom : public crypto::RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(3 + 7 * i);
  }
};

// Both writers give the same bytes, or the fast one declines.
void ExpectSameText(const Bundle& b, bool fast_expected = true) {
  const std::optional<std::string> fast = FastBundleToJson(b);
  const std::string document = BundleToJsonDocument(b);
  EXPECT_EQ(fast.has_value(), fast_expected);
  if (fast) {
    EXPECT_EQ(*fast, document);
  }
  EXPECT_EQ(BundleToJson(b), document);
}

TEST(BundleWriterTest, WritesTheSeedBundlesAsTheDocumentWriterDoes) {
  for (const char* name : {"icbm.json", "all.json", "escaped.json"}) {
    auto b = BundleFromJson(Seed(name), name);
    ASSERT_TRUE(b.ok()) << name << ": " << b.error().message();
    SCOPED_TRACE(name);
    ExpectSameText(*b);
  }
  EXPECT_EQ(*FastBundleToJson(*BundleFromJson(Seed("icbm.json"), "icbm.json")), Seed("icbm.json"));
}

// Every opening of a real declaration: each facility, everything (dummies included), and one
// leaf alone.
TEST(BundleWriterTest, WritesOpeningsOfADeclarationAsTheDocumentWriterDoes) {
  auto treaties = treaty::LoadDefaultTreaties();
  ASSERT_TRUE(treaties.ok());
  auto inv = treaty::LoadInventoryFile(std::string(TALLY_SOURCE_DIR) +
                                       "/data/inventories/us-2020-09-01.csv");
  ASSERT_TRUE(inv.ok()) << inv.error().message();
  CountingRandom random;
  DeclareOptions options;
  options.pad_to = inv->items.size() + 5;
  auto d = Declaration::Commit(*treaties->Get("new-start").value(), *inv,
                               DeclarationSecret::Generate(random), options);
  ASSERT_TRUE(d.ok()) << d.error().message();
  std::set<std::string> facilities;
  for (const model::Item& it : inv->items) facilities.insert(it.facility);
  for (const std::string& f : facilities) {
    Selection s;
    s.facility = f;
    auto b = d->Open(s);
    ASSERT_TRUE(b.ok()) << b.error().message();
    SCOPED_TRACE(f);
    ExpectSameText(*b);
  }
  Selection all;
  all.all = true;
  all.dummies = true;
  auto b = d->Open(all);
  ASSERT_TRUE(b.ok()) << b.error().message();
  ExpectSameText(*b);
  auto one = d->OpenLeaves({7}, "one leaf");
  ASSERT_TRUE(one.ok()) << one.error().message();
  ExpectSameText(*one);
}

// Large openings are read, written and verified a chunk a core: the result is the one pass's,
// and of two broken leaves in different chunks the first is the one named.
TEST(ChunkedBundleTest, OpeningWritingAndVerifyingMatchOnePass) {
  auto treaties = treaty::LoadDefaultTreaties();
  ASSERT_TRUE(treaties.ok());
  const treaty::Treaty& t = *treaties->Get("new-start").value();
  auto inv = treaty::LoadInventoryFile(std::string(TALLY_SOURCE_DIR) +
                                       "/data/inventories/us-2020-09-01.csv");
  ASSERT_TRUE(inv.ok()) << inv.error().message();
  CountingRandom random;
  auto d = Declaration::Commit(t, *inv, DeclarationSecret::Generate(random), {});
  ASSERT_TRUE(d.ok()) << d.error().message();
  Selection all;
  all.all = true;
  auto chunked = d->Open(all);
  ASSERT_TRUE(chunked.ok());
  ASSERT_GT(ChunkCount(chunked->opened.size(), 128), 0u);
  std::optional<Result<Bundle>> serial;
  std::string serial_text;
  {
    SerialScope one_thread;
    serial.emplace(d->Open(all));
    ASSERT_TRUE(serial->ok());
    serial_text = BundleToJson(**serial);
  }
  EXPECT_EQ(BundleToJson(*chunked), serial_text);
  auto counter = Counter::Make(t, d->statement().interpretation);
  ASSERT_TRUE(counter.ok());
  EXPECT_TRUE(CheckBundle(d->statement(), *chunked, *counter).ok());

  Bundle broken = *chunked;
  const size_t first = 3, second = broken.opened.size() - 3;
  broken.opened[first].commitment[0] ^= 1;
  broken.opened[second].commitment[0] ^= 1;
  const Status s = CheckBundle(d->statement(), broken, *counter);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("leaf " + std::to_string(broken.opened[first].index) + " ("),
            std::string::npos)
      << s.message();
  {
    SerialScope one_thread;
    EXPECT_EQ(CheckBundle(d->statement(), broken, *counter).message(), s.message());
  }
}

// The corners of the layout: empty lists and objects, negative numbers, a dummy, every ASCII
// byte in a string; and what the fast writer declines (non-ASCII, a repeated category) is still
// written by the document writer.
TEST(BundleWriterTest, CornersAndDeclines) {
  Bundle empty;
  ExpectSameText(empty);

  Bundle b;
  b.party = "US";
  b.treaty = "new-start";
  b.leaves = 2;
  b.categories = {"a", "b"};
  b.subtotals = {1, 18446744073709551615u};
  OpenedLeaf dummy;
  dummy.index = 0;
  dummy.record.dummy = true;
  dummy.record.dummy_index = 4;
  dummy.counts = {0, 0};
  OpenedLeaf item;
  item.index = 1;
  item.record.item.uid = "US-1";
  item.record.item.capacity = -3;
  item.record.item.range_km = INT64_MIN;
  b.opened = {dummy, item};
  ExpectSameText(b);
  b.subtotals.clear();  // fewer subtotals than categories: an empty object
  ExpectSameText(b);

  std::string ascii;
  for (int c = 0; c < 0x80; ++c) ascii.push_back(static_cast<char>(c));
  b.selection = ascii;
  b.opened[1].record.item.tags = {ascii, "", "\"quoted\""};
  b.categories = {ascii, "b"};
  b.path.hashes.resize(2);
  b.path.counts = {5, 6, 7, 8};
  ExpectSameText(b);

  Bundle non_ascii = b;
  non_ascii.opened[1].record.item.facility = "Engels \xd0\x90";
  ExpectSameText(non_ascii, /*fast_expected=*/false);
  Bundle repeated = b;
  repeated.categories = {"a", "a"};
  repeated.subtotals = {1, 2};
  ExpectSameText(repeated, /*fast_expected=*/false);
}

}  // namespace
}  // namespace tally::escrow
