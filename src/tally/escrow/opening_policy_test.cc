#include "tally/escrow/opening_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/treaty/inventory_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::escrow {
namespace {

using ::testing::HasSubstr;

class FixedRandom : public crypto::RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(3 + 11 * i);
  }
};

// The trilateral example's [escrow] policy applied to the US items of 1 September 2020.
class OpeningPolicyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto set = treaty::LoadDefaultTreaties();
    ASSERT_TRUE(set.ok()) << set.error().message();
    treaties_ = new treaty::TreatySet(std::move(*set));
    auto inv = treaty::LoadInventoryFile(std::string(TALLY_SOURCE_DIR) +
                                         "/data/inventories/us-2020-09-01.csv");
    ASSERT_TRUE(inv.ok()) << inv.error().message();
    FixedRandom random;
    auto d = Declaration::Commit(Treaty(), std::move(*inv), DeclarationSecret::Generate(random),
                                 DeclareOptions{.pad_to = 4096});
    ASSERT_TRUE(d.ok()) << d.error().message();
    declaration_ = new Declaration(std::move(*d));
  }
  static const treaty::Treaty& Treaty() { return *treaties_->Get("trilateral-example").value(); }
  static const treaty::OpeningStage& Stage(const std::string& id) {
    return *Treaty().opening->Find(id);
  }
  static Counter MakeCounter() { return Counter::Make(Treaty(), "").value(); }
  static Result<VerifiedOpening> Verify(const Bundle& b) {
    return VerifyBundle(declaration_->statement(), b, MakeCounter());
  }
  static inline treaty::TreatySet* treaties_ = nullptr;
  static inline Declaration* declaration_ = nullptr;
};

TEST_F(OpeningPolicyTest, TheTreatyFileCarriesThePolicy) {
  ASSERT_TRUE(Treaty().opening.has_value());
  const auto& stage = Stage("eif-launchers");
  EXPECT_EQ(stage.trigger, treaty::OpeningTrigger::kEntryIntoForce);
  EXPECT_EQ(stage.within_days, 45);
  EXPECT_EQ(stage.scope, treaty::OpeningScope::kCategories);
  EXPECT_EQ(stage.categories, std::vector<std::string>{"launchers"});
}

TEST_F(OpeningPolicyTest, CategoryStageOpensEveryCountedItemAndProvesIt) {
  const auto& stage = Stage("eif-launchers");
  auto bundle = OpenStage(*declaration_, stage, {});
  ASSERT_TRUE(bundle.ok()) << bundle.error().message();
  auto v = Verify(*bundle);
  ASSERT_TRUE(v.ok()) << v.error().message();
  auto cover = CheckStage(declaration_->statement(), stage, {}, *v);
  ASSERT_TRUE(cover.ok()) << cover.error().message();
  EXPECT_TRUE(cover->complete_provably);
  EXPECT_EQ(cover->opened, declaration_->statement().Total("launchers").value());
  EXPECT_GT(cover->opened, 700u);  // the US launchers of 1 September 2020
}

TEST_F(OpeningPolicyTest, ACategoryStageWithAnItemWithheldFails) {
  const auto& stage = Stage("eif-launchers");
  auto leaves = StageLeaves(*declaration_, stage, {});
  ASSERT_TRUE(leaves.ok());
  leaves->pop_back();  // the party withholds one launcher
  auto bundle = declaration_->OpenLeaves(*leaves, "stage=eif-launchers");
  ASSERT_TRUE(bundle.ok());
  auto v = Verify(*bundle);
  ASSERT_TRUE(v.ok()) << v.error().message();  // what IS opened is genuine...
  auto cover = CheckStage(declaration_->statement(), stage, {}, *v);
  ASSERT_FALSE(cover.ok());  // ...but the stage is not satisfied, and the root proves it
  EXPECT_EQ(cover.error().code(), StatusCode::kVerificationFailed);
  const uint64_t declared = declaration_->statement().Total("launchers").value();
  EXPECT_THAT(cover.error().message(), HasSubstr("count " + std::to_string(declared - 1) +
                                                 " of the declared " + std::to_string(declared)));
}

TEST_F(OpeningPolicyTest, DesignatedStageNamesTheItemNotOpened) {
  const auto& stage = Stage("designated-items");
  auto all = declaration_->Open(Selection{.facility = "Minot AFB"});
  ASSERT_TRUE(all.ok());
  ASSERT_GE(all->opened.size(), 2u);
  StageContext context{
      .designated = {all->opened[0].record.item.uid, all->opened[1].record.item.uid}};
  auto bundle = OpenStage(*declaration_, stage, context);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message();
  // The designated items, and only what they carry besides.
  size_t designated = 0;
  for (const OpenedLeaf& l : bundle->opened) {
    const bool is_designated =
        l.record.item.uid == context.designated[0] || l.record.item.uid == context.designated[1];
    designated += is_designated ? 1 : 0;
    if (!is_designated) {
      EXPECT_TRUE(l.record.item.host == context.designated[0] ||
                  l.record.item.host == context.designated[1])
          << l.record.item.uid;
    }
  }
  EXPECT_EQ(designated, 2u);
  auto v = Verify(*bundle);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(CheckStage(declaration_->statement(), stage, context, *v).ok());
  // A bundle that opens only the first designated item.
  auto partial = declaration_->Open(Selection{.uids = {context.designated[0]}});
  ASSERT_TRUE(partial.ok());
  auto pv = Verify(*partial);
  ASSERT_TRUE(pv.ok());
  auto cover = CheckStage(declaration_->statement(), stage, context, *pv);
  ASSERT_FALSE(cover.ok());
  EXPECT_THAT(cover.error().message(), HasSubstr("not opened: " + context.designated[1]));
}

TEST_F(OpeningPolicyTest, DesignatedMissileComesWithItsWarheads) {
  auto missiles = declaration_->Open(Selection{.facility = "Minot AFB", .kind = "icbm"});
  ASSERT_TRUE(missiles.ok()) << missiles.error().message();
  const std::string uid = missiles->opened[0].record.item.uid;
  auto bundle = OpenStage(*declaration_, Stage("designated-items"), {.designated = {uid}});
  ASSERT_TRUE(bundle.ok()) << bundle.error().message();
  size_t warheads = 0;
  for (const OpenedLeaf& l : bundle->opened) {
    if (l.record.item.host == uid) ++warheads;
  }
  EXPECT_GE(warheads, 1u);  // a deployed Minuteman III carries at least one warhead record
  EXPECT_EQ(bundle->opened.size(), warheads + 1);
}

TEST_F(OpeningPolicyTest, SiteStageRefusesItemsOfAnotherSite) {
  const auto& stage = Stage("inspected-site");
  StageContext context{.site = "Minot AFB"};
  auto bundle = OpenStage(*declaration_, stage, context);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message();
  auto v = Verify(*bundle);
  ASSERT_TRUE(v.ok());
  auto cover = CheckStage(declaration_->statement(), stage, context, *v);
  ASSERT_TRUE(cover.ok()) << cover.error().message();
  EXPECT_FALSE(cover->complete_provably);
  EXPECT_GT(cover->opened, 0u);
  auto wrong =
      CheckStage(declaration_->statement(), stage, StageContext{.site = "Malmstrom AFB"}, *v);
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.error().message(), HasSubstr("open items elsewhere"));
  // The context is required.
  auto missing = OpenStage(*declaration_, stage, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(OpeningPolicyTest, AllStageCountsEveryLeafIncludingPadding) {
  const auto& stage = Stage("expiry-all");
  auto bundle = OpenStage(*declaration_, stage, {});
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(bundle->opened.size(), 4096u);
  auto v = Verify(*bundle);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(CheckStage(declaration_->statement(), stage, {}, *v).ok());
  auto some = declaration_->Open(Selection{.facility = "Minot AFB"});
  ASSERT_TRUE(some.ok());
  auto sv = Verify(*some);
  ASSERT_TRUE(sv.ok());
  auto cover = CheckStage(declaration_->statement(), stage, {}, *sv);
  ASSERT_FALSE(cover.ok());
  EXPECT_THAT(cover.error().message(), HasSubstr("of 4096"));
}

}  // namespace
}  // namespace tally::escrow
