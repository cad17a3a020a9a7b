#include "tally/escrow/declaration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/escrow/record.h"
#include "tally/treaty/inventory_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::escrow {
namespace {

using ::testing::HasSubstr;

// Deterministic randomness for tests only.
class CountingRandom : public crypto::RandomSource {
 public:
  explicit CountingRandom(uint8_t seed) : seed_(seed) {}
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(seed_ + 7 * i);
  }

 private:
  uint8_t seed_;
};

DeclarationSecret TestSecret(uint8_t seed = 1) {
  CountingRandom r(seed);
  return DeclarationSecret::Generate(r);
}

class EscrowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto set = treaty::LoadDefaultTreaties();
    ASSERT_TRUE(set.ok()) << set.error().message();
    treaties_ = new treaty::TreatySet(std::move(*set));
    auto inv = treaty::LoadInventoryFile(std::string(TALLY_SOURCE_DIR) +
                                         "/data/inventories/us-2020-09-01.csv");
    ASSERT_TRUE(inv.ok()) << inv.error().message();
    inventory_ = new model::Inventory(std::move(*inv));
  }
  static const treaty::Treaty& NewStart() { return *treaties_->Get("new-start").value(); }
  static Declaration Commit(DeclareOptions opt = {}, uint8_t seed = 1) {
    auto d = Declaration::Commit(NewStart(), *inventory_, TestSecret(seed), opt);
    EXPECT_TRUE(d.ok()) << d.error().message();
    return std::move(*d);
  }
  static Counter NewStartCounter() { return Counter::Make(NewStart(), "").value(); }
  static inline treaty::TreatySet* treaties_ = nullptr;
  static inline model::Inventory* inventory_ = nullptr;
};

TEST(RecordTest, RoundTripsAndIsCanonical) {
  model::Item it;
  it.uid = "US-ICBM-1";
  it.party = "US";
  it.kind = model::ItemKind::kIcbm;
  it.system = "Minuteman III";
  it.status = model::ItemStatus::kDeployed;
  it.facility = "Minot AFB";
  it.capacity = 1;
  it.tags = {"b", "a", "a"};
  std::string bytes;
  ASSERT_TRUE(EncodeItemRecord(it, bytes).ok());
  auto back = DecodeRecord(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->item.tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(back->item.uid, "US-ICBM-1");
  EXPECT_EQ(EncodeRecord(*back).value(), bytes);
  EXPECT_FALSE(DecodeRecord(bytes + "x").ok());
  EXPECT_FALSE(DecodeRecord(bytes.substr(0, bytes.size() - 1)).ok());
  std::string dummy;
  EncodeDummyRecord(7, dummy);
  EXPECT_EQ(dummy.size(), 10u);
  EXPECT_EQ(DecodeRecord(dummy)->dummy_index, 7u);
}

TEST(SumTreeTest, ProofsRecomputeRootForEverySubsetShape) {
  for (uint64_t n : {1u, 2u, 3u, 5u, 8u, 13u}) {
    std::vector<Hash> leaves(n);
    std::vector<uint64_t> counts(n * 2);
    for (uint64_t i = 0; i < n; ++i) {
      leaves[i][0] = static_cast<uint8_t>(i);
      counts[2 * i] = i;
      counts[2 * i + 1] = 1;
    }
    auto tree = SumTree::Build(leaves, counts, 2);
    ASSERT_TRUE(tree.ok());
    EXPECT_EQ(tree->root_counts()[0], n * (n - 1) / 2);
    EXPECT_EQ(tree->root_counts()[1], n);
    for (uint64_t mask = 1; mask < (1u << n) && mask < 4096; ++mask) {
      std::vector<uint64_t> idx;
      std::vector<Hash> hs;
      std::vector<uint64_t> cs;
      for (uint64_t i = 0; i < n; ++i) {
        if (mask & (1u << i)) {
          idx.push_back(i);
          hs.push_back(leaves[i]);
          cs.insert(cs.end(), {counts[2 * i], counts[2 * i + 1]});
        }
      }
      auto proof = tree->Prove(idx);
      ASSERT_TRUE(proof.ok());
      auto root = RootFromProof(n, 2, idx, hs, cs, *proof);
      ASSERT_TRUE(root.ok()) << root.error().message();
      EXPECT_EQ(root->hash, tree->root_hash()) << n << " " << mask;
      EXPECT_EQ(root->counts[1], n);
    }
  }
}

TEST(SumTreeTest, RejectsOverflowingSubtotals) {
  std::vector<Hash> leaves(2);
  auto tree = SumTree::Build(leaves, {UINT64_MAX, 1}, 1);
  EXPECT_FALSE(tree.ok());
}

TEST_F(EscrowTest, RootSumsAreTheTreatyCounts) {
  Declaration d = Commit();
  const Statement& st = d.statement();
  EXPECT_EQ(st.categories, (std::vector<std::string>{"deployed_delivery_vehicles",
                                                     "deployed_warheads", "launchers"}));
  // US, 1 Sep 2020 (New START aggregate data): 675 deployed, 1457 warheads, 800 launchers.
  EXPECT_EQ(st.Total("deployed_delivery_vehicles"), 675u);
  EXPECT_EQ(st.Total("deployed_warheads"), 1457u);
  EXPECT_EQ(st.Total("launchers"), 800u);
  EXPECT_EQ(st.leaves, inventory_->items.size());
  // Same secret, same inventory: same root; another secret: another root.
  EXPECT_EQ(Commit().statement().root, st.root);
  EXPECT_NE(Commit({}, 2).statement().root, st.root);
}

TEST_F(EscrowTest, InterpretationChangesTheCommittedTotals) {
  DeclareOptions opt;
  opt.interpretation = "conversions-not-confirmed";
  EXPECT_EQ(Commit(opt).statement().Total("launchers"), 901u);
}

TEST_F(EscrowTest, StatementJsonRoundTrips) {
  DeclareOptions opt;
  opt.pad_to = 4096;
  Declaration d = Commit(opt);
  const std::string json = StatementToJson(d.statement());
  auto back = StatementFromJson(json, "d.json");
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(StatementToJson(*back), json);
  EXPECT_EQ(back->leaves, 4096u);
  auto bad = StatementFromJson(R"({"format":"tally-declaration/1","party":1})", "d.json");
  EXPECT_THAT(bad.error().message(), HasSubstr("d.json: field 'party'"));
}

TEST_F(EscrowTest, OpeningsByFacilityCategoryKindAndUidVerify) {
  DeclareOptions opt;
  opt.pad_to = 4000;
  Declaration d = Commit(opt);
  Counter counter = NewStartCounter();
  std::vector<Selection> sels(5);
  sels[0].facility = "Minot AFB";
  sels[1].category = "deployed_warheads";
  sels[2].kind = "heavy_bomber";
  sels[3].uids = {"US-ICBML-0001"};
  sels[4].all = true;
  for (const Selection& s : sels) {
    auto b = d.Open(s);
    ASSERT_TRUE(b.ok()) << b.error().message();
    auto parsed = BundleFromJson(BundleToJson(*b), "b.json");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    auto v = VerifyBundle(d.statement(), *parsed, counter);
    ASSERT_TRUE(v.ok()) << s.Describe() << ": " << v.error().message();
  }
  auto warheads = d.Open(sels[1]);
  EXPECT_EQ(warheads->subtotals[1], 1457u);
  auto all = VerifyBundle(d.statement(), *d.Open(sels[4]), counter);
  EXPECT_EQ(all->items, inventory_->items.size());
  EXPECT_EQ(all->dummies, 4000 - inventory_->items.size());
  EXPECT_EQ(all->subtotals, d.statement().totals);
}

TEST_F(EscrowTest, InputOrderDeclarationsVerifyToo) {
  DeclareOptions opt;
  opt.salt_order = false;
  Declaration d = Commit(opt);
  Selection s;
  s.facility = "Bangor";
  EXPECT_TRUE(VerifyBundle(d.statement(), *d.Open(s), NewStartCounter()).ok());
}

class TamperTest : public EscrowTest {
 protected:
  void SetUp() override {
    d_ = std::make_unique<Declaration>(Commit());
    Selection s;
    s.facility = "Whiteman AFB";
    bundle_ = *d_->Open(s);
    ASSERT_GE(bundle_.opened.size(), 3u);
  }
  std::string Reject(const Bundle& b) {
    auto v = VerifyBundle(d_->statement(), b, NewStartCounter());
    EXPECT_FALSE(v.ok());
    if (v.ok()) return "";
    EXPECT_EQ(v.error().code(), StatusCode::kVerificationFailed) << v.error().message();
    return v.error().message();
  }
  std::unique_ptr<Declaration> d_;
  Bundle bundle_;
};

TEST_F(TamperTest, ChangedFieldIsRejected) {
  Bundle b = bundle_;
  b.opened[0].record.item.facility = "Somewhere Else";
  EXPECT_THAT(Reject(b), HasSubstr("commitment mismatch: the item's fields or its salt"));
  b = bundle_;
  b.opened[1].record.item.system = "B-52H";
  EXPECT_THAT(Reject(b), HasSubstr("leaf " + std::to_string(b.opened[1].index)));
}

TEST_F(TamperTest, WrongSaltIsRejected) {
  Bundle b = bundle_;
  b.opened[0].salt[5] ^= 1;
  EXPECT_THAT(Reject(b), HasSubstr("commitment mismatch"));
}

TEST_F(TamperTest, WrongLeafCountsAreRejected) {
  Bundle b = bundle_;
  b.opened[0].counts[1] += 1;  // a bomber claiming two warheads
  EXPECT_THAT(Reject(b), HasSubstr("counting rules give"));
}

TEST_F(TamperTest, WrongSubtotalOnThePathIsRejected) {
  Bundle b = bundle_;
  ASSERT_GT(b.path.size(), 0u);
  b.path.counts[1] += 1;
  EXPECT_THAT(Reject(b), HasSubstr("a subtotal on the path was altered"));
}

TEST_F(TamperTest, WrongClaimedSubtotalIsRejected) {
  Bundle b = bundle_;
  b.subtotals[0] -= 1;
  EXPECT_THAT(Reject(b), HasSubstr("subtotal deployed_delivery_vehicles: the bundle claims"));
}

TEST_F(TamperTest, MovedLeafIsRejected) {
  Bundle b = bundle_;
  std::swap(b.opened[0].index, b.opened[1].index);
  std::swap(b.opened[0], b.opened[1]);
  EXPECT_THAT(Reject(b), HasSubstr("moved leaf"));
  // Moved to an unopened position: the path no longer reaches the root.
  b = bundle_;
  uint64_t free_pos = b.opened[0].index + 1;
  while (free_pos == b.opened[1].index) ++free_pos;
  b.opened[0].index = free_pos;
  if (b.opened[0].index < b.opened[1].index) {
    EXPECT_THAT(Reject(b), HasSubstr("root"));
  }
}

TEST_F(TamperTest, ClaimedTotalDisagreeingWithRootIsRejected) {
  Statement st = d_->statement();
  st.totals[1] = 1500;
  auto v = VerifyBundle(st, bundle_, NewStartCounter());
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(
      v.error().message(),
      HasSubstr("declared total deployed_warheads = 1500 disagrees with the root's sum 1457"));
}

TEST_F(TamperTest, BundleOfAnotherDeclarationIsRejected) {
  Declaration other = Commit({}, 9);
  auto v = VerifyBundle(other.statement(), bundle_, NewStartCounter());
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.error().message(), HasSubstr("another declaration"));
}

TEST_F(TamperTest, ExtraOrMissingPathNodesAreRejected) {
  Bundle b = bundle_;
  b.path.hashes.push_back(b.path.hashes[0]);
  b.path.counts.insert(b.path.counts.end(), {0, 0, 0});
  EXPECT_THAT(Reject(b), HasSubstr("more than the opened leaves need"));
  b = bundle_;
  b.path.hashes.pop_back();
  b.path.counts.resize(b.path.counts.size() - 3);
  EXPECT_THAT(Reject(b), HasSubstr("too few nodes"));
}

TEST_F(TamperTest, NoLeafOpensTwoWaysAndNoUidSitsAtTwoLeaves) {
  Bundle second = bundle_;
  second.opened.resize(1);
  auto ok =
      VerifyOpenings(d_->statement(), {bundle_, *d_->OpenLeaves({bundle_.opened[0].index}, "x")},
                     NewStartCounter());
  EXPECT_TRUE(ok.ok()) << ok.error().message();
  // A forged second opening of the same leaf fails on its own commitment.
  second.opened[0].record.item.status = model::ItemStatus::kNonDeployed;
  auto two = VerifyOpenings(d_->statement(), {bundle_, second}, NewStartCounter());
  EXPECT_FALSE(two.ok());
}

TEST_F(EscrowTest, SelectionMatchingNothingIsAFinding) {
  Declaration d = Commit();
  Selection s;
  s.facility = "Nowhere";
  EXPECT_EQ(d.Open(s).error().code(), StatusCode::kVerificationFailed);
  s = {};
  s.category = "bogus";
  EXPECT_EQ(d.Open(s).error().code(), StatusCode::kInvalidArgument);
}

// Every output of the library — the statement, every kind of bundle, every error — is scanned
// for the uid and the salt of every leaf that was not opened, and for the secret.
TEST_F(EscrowTest, UnopenedItemsSaltsAndTheSecretNeverLeave) {
  DeclareOptions opt;
  opt.pad_to = 3500;
  Declaration d = Commit(opt, 3);
  const DeclarationSecret secret = TestSecret(3);
  std::vector<uint8_t> raw(32);
  CountingRandom(3).Fill(raw);
  const std::string secret_hex = crypto::HexEncode(raw);

  std::vector<Selection> sels(4);
  sels[0].facility = "Whiteman AFB";
  sels[1].uids = {"US-ICBML-0001"};
  sels[2].kind = "heavy_bomber";
  sels[2].region = "nowhere";  // matches nothing: an error message is an output too
  sels[3].category = "launchers";
  sels[3].facility = "Bangor";
  std::vector<std::string> outputs = {StatementToJson(d.statement())};
  for (const Selection& s : sels) {
    auto b = d.Open(s);
    if (!b.ok()) {
      outputs.push_back(b.error().message());
      continue;
    }
    std::set<std::string> opened;
    for (const OpenedLeaf& l : b->opened) {
      if (!l.record.dummy) opened.insert(l.record.item.uid);
    }
    const std::string json = BundleToJson(*b);
    for (const model::Item& it : inventory_->items) {
      if (opened.count(it.uid)) continue;
      ASSERT_EQ(json.find("\"" + it.uid + "\""), std::string::npos) << it.uid;
      ASSERT_EQ(json.find(crypto::HexEncode(secret.ItemSalt(it.uid))), std::string::npos);
    }
    for (uint64_t i = 0; i < 3500 - inventory_->items.size(); ++i) {
      ASSERT_EQ(json.find(crypto::HexEncode(secret.DummySalt(i))), std::string::npos);
    }
    outputs.push_back(json);
  }
  for (const std::string& out : outputs) {
    EXPECT_EQ(out.find(secret_hex), std::string::npos);
    EXPECT_EQ(out.find("US-ICBML-0002"), std::string::npos);
  }
}

TEST(SecretTest, FileIs0600AndRefusedWhenReadableByOthers) {
  const std::string dir = ::testing::TempDir() + "/escrow_secret_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/secret.key";
  CountingRandom r(5);
  DeclarationSecret s = DeclarationSecret::Generate(r);
  ASSERT_TRUE(s.Save(path).ok());
  EXPECT_EQ(FileMode(path).value() & 0777, 0600u);
  EXPECT_EQ(s.Save(path).code(), StatusCode::kAlreadyExists);
  auto back = DeclarationSecret::Load(path);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->ItemSalt("x"), s.ItemSalt("x"));
  EXPECT_NE(s.ItemSalt("x"), s.ItemSalt("y"));
  EXPECT_NE(s.DummySalt(0), s.DummySalt(1));
  std::filesystem::permissions(path, std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  EXPECT_EQ(DeclarationSecret::Load(path).error().code(), StatusCode::kPermissionDenied);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tally::escrow
