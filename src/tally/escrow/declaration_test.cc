#include "tally/escrow/declaration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/bundle_reader.h"
#include "tally/escrow/record.h"
#include "tally/escrow/sum_tree.h"
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
  auto bad = StatementFromJson(R"({"format":"tally-declaration/2","party":1})", "d.json");
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

// Every field of a statement is bound by its root: the same tree under a statement that says
// anything else about it (date, reading, order, size, padding) does not verify.
TEST_F(TamperTest, EveryStatementFieldIsBoundByTheRoot) {
  ASSERT_TRUE(VerifyBundle(d_->statement(), bundle_, NewStartCounter()).ok());
  std::vector<std::function<void(Statement&)>> edits = {
      [](Statement& s) { s.interpretation = "conversions-not-confirmed"; },
      [](Statement& s) { s.order = "input"; },
      [](Statement& s) { s.pad_to = s.leaves; },
      [](Statement& s) { s.as_of = *Date::Parse("2021-03-01"); },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    Statement st = d_->statement();
    edits[i](st);
    EXPECT_NE(BindRoot(st, merkle::Hash{}), BindRoot(d_->statement(), merkle::Hash{})) << i;
    Bundle b = bundle_;
    b.as_of = st.as_of;  // a bundle made to match the edited statement
    auto v = VerifyBundle(st, b, Counter::Make(NewStart(), "").value());
    ASSERT_FALSE(v.ok()) << i;
    EXPECT_THAT(v.error().message(), HasSubstr("a statement field the root binds")) << i;
  }
  Bundle redated = bundle_;
  redated.as_of = *Date::Parse("2021-03-01");
  EXPECT_THAT(Reject(redated), HasSubstr("it is dated as of 2021-03-01, the statement as of"));
}

// One encoding of a statement: unknown, repeated and missing keys, another spelling.
TEST_F(EscrowTest, AStatementHasExactlyOneEncoding) {
  const std::string good = StatementToJson(Commit().statement());
  ASSERT_TRUE(StatementFromJson(good, "d.json").ok());
  ASSERT_TRUE(StatementFromJson(good + "\n", "d.json").ok());  // as a file ends
  struct Case {
    std::string text;
    const char* want;
  };
  std::string repeated = good;
  repeated.insert(repeated.find("\"party\""), "\"party\":\"RU\",");
  std::string spaced = good;
  spaced.insert(1, " ");
  std::string no_pad = good;
  no_pad.erase(no_pad.find(",\"pad_to\""), std::string(",\"pad_to\":null").size());
  for (const Case& c : std::vector<Case>{
           {good.substr(0, good.size() - 1) + ",\"note\":1}", "field 'note': expected a known key"},
           {repeated, "object key \"party\" appears twice"},
           {spaced, "field 'format': expected the canonical encoding"},
           {no_pad, "field 'pad_to': expected an integer or null, got nothing"},
       }) {
    auto r = StatementFromJson(c.text, "d.json");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr(c.want)) << c.text;
  }
}

// One encoding of a bundle: upper-case hex, unknown keys anywhere, a missing selection, a
// non-canonical base64 hash.
TEST_F(TamperTest, ABundleHasExactlyOneEncoding) {
  const std::string good = BundleToJson(bundle_);
  ASSERT_TRUE(BundleFromJson(good, "b.json").ok());
  auto edit = [&](const std::function<void(nlohmann::ordered_json&)>& f) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(good);
    f(j);
    return j.dump(1);
  };
  struct Case {
    std::string text;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {edit([](auto& j) {
              std::string s = j["opened"][0]["salt"];
              for (char& ch : s) ch = static_cast<char>(std::toupper(ch));
              j["opened"][0]["salt"] = s;
            }),
            "field 'salt': expected 64 lower-case hex digits"},
           {edit([](auto& j) { j["x"] = 1; }), "field 'x': expected a known key"},
           {edit([](auto& j) { j["declaration"]["order"] = "input"; }),
            "field 'declaration.order': expected a known key"},
           {edit([](auto& j) { j["opened"][1]["position"] = 3; }),
            "opened[1]: field 'position': expected a known key"},
           {edit([](auto& j) { j["subtotals"]["extra"] = 0; }),
            "field 'subtotals': expected exactly one subtotal per category"},
           {edit([](auto& j) { j.erase("selection"); }), "field 'selection': expected a string"},
           {edit([](auto& j) {
              // The last digit before '=' carries two unused bits: set one.
              static const std::string kDigits =
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
              std::string r = j["declaration"]["root"];
              r[r.size() - 2] = kDigits[kDigits.find(r[r.size() - 2]) ^ 1];
              j["declaration"]["root"] = r;
            }),
            "declaration.root"},
       }) {
    EXPECT_FALSE(FastBundleFromJson(c.text).has_value()) << c.want;
    auto r = BundleFromJson(c.text, "b.json");
    ASSERT_FALSE(r.ok()) << c.want;
    EXPECT_THAT(r.error().message(), HasSubstr(c.want));
  }
}

// START I: each of the first 150 US ALCM bombers counts 10, the rest what they carry. A full
// opening shows every bomber's rank, so a tree that gave each bomber its lower value is refused.
TEST(AttributionTest, AFullOpeningFixesTheFirstNItems) {
  auto set = treaty::LoadDefaultTreaties();
  ASSERT_TRUE(set.ok());
  const treaty::Treaty& start = *set->Get("start-i").value();
  model::Inventory inv;
  inv.as_of = *Date::Parse("1995-01-01");
  for (int i = 0; i < 3; ++i) {
    model::Item b;
    b.uid = "B" + std::to_string(i);
    b.party = "US";
    b.kind = model::ItemKind::kHeavyBomber;
    b.system = "B-52H";
    b.capacity = 6;
    b.tags = {"long_range_alcm"};
    inv.items.push_back(b);
  }
  auto d = Declaration::Commit(start, inv, TestSecret(), {});
  ASSERT_TRUE(d.ok()) << d.error().message();
  Counter counter = Counter::Make(start, "").value();
  Selection all;
  all.all = true;
  Bundle b = *d->Open(all);
  ASSERT_TRUE(VerifyBundle(d->statement(), b, counter).ok());
  // Rebuild the tree with every bomber at its lower bound, as a cheating party would.
  const size_t k = counter.size();
  std::vector<Hash> hashes;
  std::vector<uint64_t> counts;
  for (OpenedLeaf& l : b.opened) {
    Counts low, high;
    counter.Bounds(l.record.item, low, high);
    ASSERT_NE(low, high);
    l.counts = low;
    std::string record;
    ASSERT_TRUE(EncodeItemRecord(l.record.item, record).ok());
    l.commitment = SumLeafHash(l.salt, l.counts, record);
    hashes.push_back(l.commitment);
    counts.insert(counts.end(), l.counts.begin(), l.counts.end());
  }
  auto tree = SumTree::Build(hashes, counts, k);
  ASSERT_TRUE(tree.ok());
  Statement st = d->statement();
  st.totals.assign(tree->root_counts().begin(), tree->root_counts().end());
  st.root = BindRoot(st, tree->root_hash());
  b.root = st.root;
  b.subtotals = st.totals;
  b.path = tree->Prove(std::vector<uint64_t>{0, 1, 2}).value();
  auto full = VerifyBundle(st, b, counter);
  ASSERT_FALSE(full.ok());
  EXPECT_THAT(full.error().message(), HasSubstr("attribution by UID rank gives it 10"));
  // Opened in two bundles that together cover every leaf: the same.
  Bundle first = b, rest = b;
  first.opened.resize(1);
  rest.opened.erase(rest.opened.begin());
  for (Bundle* part : {&first, &rest}) {
    std::vector<uint64_t> idx;
    part->subtotals.assign(k, 0);
    for (const OpenedLeaf& l : part->opened) {
      idx.push_back(l.index);
      for (size_t c = 0; c < k; ++c) part->subtotals[c] += l.counts[c];
    }
    part->path = tree->Prove(idx).value();
    EXPECT_TRUE(VerifyBundle(st, *part, counter).ok());  // a partial opening cannot tell
  }
  auto both = VerifyOpenings(st, {first, rest}, counter);
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.error().message(), HasSubstr("attribution by UID rank"));
}

}  // namespace
}  // namespace tally::escrow
