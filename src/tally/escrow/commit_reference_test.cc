// The fast commit (two SHA lanes, batch salts, records arena, streamed CSV) against the
// definition in docs/formats/declaration.md, computed here the plain way with the crypto
// module's SHA-256 and HMAC: same salts, same leaves, same order, same root.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tally/base/file.h"
#include "tally/crypto/sha256.h"
#include "tally/escrow/declaration.h"
#include "tally/escrow/inventory_stream.h"
#include "tally/escrow/record.h"
#include "tally/escrow/store.h"
#include "tally/treaty/counting.h"
#include "tally/treaty/inventory_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::escrow {
namespace {

class SeedRandom : public crypto::RandomSource {
 public:
  explicit SeedRandom(uint8_t seed) : seed_(seed) {}
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(seed_ + 13 * i);
  }

 private:
  uint8_t seed_;
};

const treaty::Treaty& NewStart() {
  static treaty::TreatySet* set = new treaty::TreatySet(treaty::LoadDefaultTreaties().value());
  return *set->Get("new-start").value();
}

std::string InventoryPath() {
  return std::string(TALLY_SOURCE_DIR) + "/data/inventories/us-2020-09-01.csv";
}

// The root as declaration.md defines it, leaf by leaf and node by node.
Hash ReferenceRoot(const model::Inventory& inv, const DeclarationSecret& secret, uint64_t pad_to,
                   bool salt_order) {
  const Counter counter = Counter::Make(NewStart(), "").value();
  std::vector<uint64_t> flat;
  std::vector<size_t> index;
  EXPECT_TRUE(counter.CountAll(inv, "US", flat, index).ok());
  const size_t k = counter.size(), n = index.size();
  struct Leaf {
    Salt salt;
    std::vector<uint64_t> counts;
    std::string record;
  };
  std::vector<Leaf> leaves;
  for (size_t i = 0; i < n; ++i) {
    Leaf l{secret.ItemSalt(inv.items[index[i]].uid),
           std::vector<uint64_t>(flat.begin() + i * k, flat.begin() + (i + 1) * k), ""};
    EXPECT_TRUE(EncodeItemRecord(inv.items[index[i]], l.record).ok());
    leaves.push_back(std::move(l));
  }
  for (uint64_t d = 0; n + d < pad_to; ++d) {
    Leaf l{secret.DummySalt(d), std::vector<uint64_t>(k, 0), ""};
    EncodeDummyRecord(d, l.record);
    leaves.push_back(std::move(l));
  }
  if (salt_order) {
    std::sort(leaves.begin(), leaves.end(),
              [](const Leaf& a, const Leaf& b) { return a.salt < b.salt; });
  }
  std::vector<Hash> h;
  std::vector<std::vector<uint64_t>> c;
  for (const Leaf& l : leaves) {
    h.push_back(SumLeafHash(l.salt, l.counts, l.record));
    c.push_back(l.counts);
  }
  while (h.size() > 1) {
    std::vector<Hash> nh;
    std::vector<std::vector<uint64_t>> nc;
    for (size_t i = 0; i < h.size(); i += 2) {
      if (i + 1 == h.size()) {
        nh.push_back(h[i]);
        nc.push_back(c[i]);
        continue;
      }
      nh.push_back(SumInnerHash(h[i], c[i], h[i + 1], c[i + 1]));
      std::vector<uint64_t> sum(k);
      for (size_t j = 0; j < k; ++j) sum[j] = c[i][j] + c[i + 1][j];
      nc.push_back(sum);
    }
    h.swap(nh);
    c.swap(nc);
  }
  // The statement root (declaration.md §Root): the tree root bound to every other field.
  std::string m = "\x02";
  auto u64 = [&](uint64_t v) {
    for (int i = 7; i >= 0; --i) m.push_back(static_cast<char>(v >> (8 * i)));
  };
  auto str = [&](std::string_view v) {
    u64(v.size());
    m.append(v);
  };
  str("tally-declaration/2");
  str("US");
  str("new-start");
  str(counter.interpretation());
  str(inv.as_of.ToString());
  u64(k);
  for (const std::string& cat : counter.categories()) str(cat);
  u64(leaves.size());
  m.push_back(pad_to ? 1 : 0);
  u64(pad_to);
  str(salt_order ? "salt" : "input");
  u64(k);
  for (uint64_t t : c[0]) u64(t);
  m.append(reinterpret_cast<const char*>(h[0].data()), h[0].size());
  return crypto::Sha256Of(m);
}

TEST(CommitReferenceTest, RootIsTheDefinitionsRoot) {
  const model::Inventory inv = treaty::LoadInventoryFile(InventoryPath()).value();
  for (bool salt_order : {true, false}) {
    for (uint64_t pad : {uint64_t{0}, uint64_t{4099}}) {
      SeedRandom r(5);
      DeclarationSecret secret = DeclarationSecret::Generate(r);
      DeclareOptions opt;
      opt.salt_order = salt_order;
      if (pad) opt.pad_to = pad;
      const Hash want = ReferenceRoot(inv, secret, pad, salt_order);
      auto d = Declaration::Commit(NewStart(), inv, std::move(secret), opt);
      ASSERT_TRUE(d.ok()) << d.error().message();
      EXPECT_EQ(d->statement().root, want) << salt_order << " " << pad;
    }
  }
}

// Commit checks the root against the sum of the per-item counts; that those are the treaty
// module's counts is checked here, for every bundled treaty and interpretation, on the US items.
TEST(CommitReferenceTest, RootTotalsAreTheTreatyModulesCount) {
  static treaty::TreatySet* set = new treaty::TreatySet(treaty::LoadDefaultTreaties().value());
  const model::Inventory inv = treaty::LoadInventoryFile(InventoryPath()).value();
  int checked = 0;
  for (const treaty::Treaty* t : set->All()) {
    std::vector<std::string> interpretations = {""};
    for (const treaty::Interpretation& i : t->interpretations) interpretations.push_back(i.id);
    for (const std::string& interp : interpretations) {
      auto counter = Counter::Make(*t, interp);
      if (!counter.ok()) continue;  // counts nothing from items
      SeedRandom r(3);
      DeclareOptions opt;
      opt.interpretation = interp;
      auto d = Declaration::Commit(*t, inv, DeclarationSecret::Generate(r), opt);
      ASSERT_TRUE(d.ok()) << t->id << " " << interp << ": " << d.error().message();
      auto posture = treaty::CountInventory(*t, inv, "US", interp);
      ASSERT_TRUE(posture.ok());
      for (size_t c = 0; c < d->statement().categories.size(); ++c) {
        const model::Count* count = posture->Find(d->statement().categories[c]);
        ASSERT_NE(count, nullptr);
        ASSERT_TRUE(count->value.has_value());
        EXPECT_EQ(static_cast<uint64_t>(*count->value), d->statement().totals[c])
            << t->id << " " << interp << " " << d->statement().categories[c];
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 3);
}

TEST(CommitReferenceTest, StreamedCsvGivesTheSameDeclaration) {
  const std::string text = ReadFile(InventoryPath()).value();
  const model::Inventory inv = treaty::ParseInventory(text, "us.csv").value();
  SeedRandom r(9);
  const DeclarationSecret secret = DeclarationSecret::Generate(r);
  DeclareOptions opt;
  opt.pad_to = 4096;
  auto fast = CommitInventoryCsv(text, "us.csv", std::nullopt, NewStart(), secret, opt);
  ASSERT_TRUE(fast.has_value());
  ASSERT_TRUE(fast->ok()) << fast->error().message();
  auto full = Declaration::Commit(NewStart(), inv, secret.Clone().value(), opt);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(StatementToJson((*fast)->statement()), StatementToJson(full->statement()));
  Selection all;
  all.all = true;
  EXPECT_EQ(BundleToJson((*fast)->Open(all).value()), BundleToJson(full->Open(all).value()));
}

// What the streamed path does not handle goes back to the full parser, whose messages stand.
TEST(CommitReferenceTest, StreamedCsvDeclinesWhatItDoesNotHandle) {
  const std::string header = "uid,party,kind,status,host\n";
  SeedRandom r(1);
  const DeclarationSecret secret = DeclarationSecret::Generate(r);
  for (const std::string& body : {
           std::string("A,US,icbm,deployed,\nA,US,icbm,deployed,\n"),      // duplicate uid
           std::string("A,US,icbm,deployed,\nW,US,warhead,deployed,B\n"),  // unknown host
           std::string("A,US,icbm,deployed,\nB,RU,icbm,deployed,\n"),      // two parties
           std::string("\"A\",US,icbm,deployed,\n"),                       // quoting
           std::string("A,US,icbm,deployed,\r\n"),                         // CRLF
           std::string("A,US,rocket,deployed,\n"),                         // bad kind
           std::string("A,US,icbm,deployed\n"),                            // short row
       }) {
    EXPECT_FALSE(CommitInventoryCsv(header + body, "x.csv", Date::Parse("2020-09-01").value(),
                                    NewStart(), secret, DeclareOptions{})
                     .has_value())
        << body;
  }
}

TEST(CommitReferenceTest, StoreKeepsTheParsersMessages) {
  const std::string dir = (std::filesystem::temp_directory_path() / "tally_commit_ref").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string inv = dir + "/inv.csv";
  ASSERT_TRUE(WriteFileAtomic(inv,
                              "uid,party,kind,status,as_of\nA,US,icbm,deployed,2020-09-01\n"
                              "A,US,icbm,deployed,\n",
                              0600)
                  .ok());
  SeedRandom r(2);
  auto d = CreateStore(dir + "/store", NewStart(), inv, StoreOptions{}, r);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message().find("inv.csv:3: field 'uid'"), std::string::npos)
      << d.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir + "/store"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/store.partial"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tally::escrow
