#include "tally/inspection/findings_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tally::inspection {
namespace {

using ::testing::HasSubstr;

escrow::OpenedLeaf Leaf(uint64_t index, const std::string& uid, model::ItemKind kind,
                        model::ItemStatus status, const std::string& host = "") {
  escrow::OpenedLeaf l;
  l.index = index;
  l.record.item.uid = uid;
  l.record.item.party = "US";
  l.record.item.kind = kind;
  l.record.item.status = status;
  l.record.item.host = host;
  return l;
}

// The attack: two non-deployed warheads hosted on a deployed ICBM next to one deployed
// warhead. Three reentry vehicles are seen; one warhead is counted on the missile. The findings
// name both the counting cheat and the difference, never "consistent".
TEST(FindingsCheckTest, ObservedReentryVehiclesAreComparedWithTheCountedWarheads) {
  using model::ItemKind;
  using model::ItemStatus;
  const std::vector<escrow::OpenedLeaf> opened = {
      Leaf(0, "M1", ItemKind::kIcbm, ItemStatus::kDeployed),
      Leaf(1, "W1", ItemKind::kWarhead, ItemStatus::kDeployed, "M1"),
      Leaf(2, "W2", ItemKind::kWarhead, ItemStatus::kNonDeployed, "M1"),
      Leaf(3, "W3", ItemKind::kWarhead, ItemStatus::kNonDeployed, "M1"),
      Leaf(4, "M2", ItemKind::kIcbm, ItemStatus::kNonDeployed),
      Leaf(5, "W4", ItemKind::kWarhead, ItemStatus::kNonDeployed, "M2"),
  };
  auto declared = DeclaredItems(opened, {"M1", "M2"});
  ASSERT_TRUE(declared.ok()) << declared.error().message();
  EXPECT_EQ((*declared)[0].warheads, 1);
  EXPECT_EQ((*declared)[0].uncounted, (std::vector<std::string>{"W2", "W3"}));
  EXPECT_EQ((*declared)[1].warheads, 1);  // a stored missile's load is all it hosts
  EXPECT_TRUE((*declared)[1].uncounted.empty());
  const std::vector<std::string> site = {"M1", "M2"};
  auto found = CheckFindings(*declared, site, {{"M1", "deployed", 3}, {"M2", "non_deployed", 1}});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].kind, "counting");
  EXPECT_THAT(found[0].what, HasSubstr("M1: deployed missile hosts 2 warhead(s) declared not "
                                       "deployed (W2, W3)"));
  EXPECT_EQ(found[1].kind, "warheads");
  EXPECT_THAT(found[1].what, HasSubstr("3 reentry vehicles observed, 1 warhead(s) counted on it"));
  // The honest declaration of the same missile: three deployed warheads, three seen.
  std::vector<escrow::OpenedLeaf> honest = opened;
  honest[2].record.item.status = model::ItemStatus::kDeployed;
  honest[3].record.item.status = model::ItemStatus::kDeployed;
  auto ok = DeclaredItems(honest, {"M1"});
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(CheckFindings(*ok, site, {{"M1", "deployed", 3}}).empty());
}

}  // namespace
}  // namespace tally::inspection
