#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/crypto/encoding.h"
#include "tally/data/embedded.h"
#include "tally/escrow/continuity.h"
#include "tally/escrow/inventory_generator.h"
#include "tally/escrow/notification.h"
#include "tally/escrow/record.h"
#include "tally/treaty/counting.h"
#include "tally/treaty/treaty_set.h"

namespace tally::escrow {
namespace {

using ::testing::HasSubstr;

const treaty::Treaty& NewStart() {
  static treaty::TreatySet* set = new treaty::TreatySet(treaty::LoadDefaultTreaties().value());
  return *set->Get("new-start").value();
}

std::vector<ForceRow> Structure() {
  return ParseForceStructureCsv(*data::EmbeddedFile("inventories/structure-2020-09-01.csv"),
                                "structure.csv")
      .value();
}

// The byte example of docs/formats/declaration.md.
TEST(RecordFormatTest, MatchesTheDocumentedExample) {
  model::Item it;
  it.uid = "X";
  it.party = "US";
  it.system = "M";
  it.facility = "F";
  it.capacity = 1;
  std::string bytes;
  ASSERT_TRUE(EncodeItemRecord(it, bytes).ok());
  EXPECT_EQ(crypto::HexEncode(crypto::AsBytes(bytes)),
            "0101000158000255530100014d01000146010000"
            "000000000000000100000000000000000000");
  EXPECT_EQ(bytes.size(), 38u);
}

TEST(GeneratorTest, CountsToTheNewStartAggregatesAndIsReproducible) {
  const Date d = Date::Parse("2020-09-01").value();
  auto us = GenerateInventory(Structure(), {"US", d, 5, 1});
  auto ru = GenerateInventory(Structure(), {"RU", d, 5, 1});
  ASSERT_TRUE(us.ok() && ru.ok());
  auto pu = treaty::CountInventory(NewStart(), *us, "US");
  auto pr = treaty::CountInventory(NewStart(), *ru, "RU");
  ASSERT_TRUE(pu.ok()) << pu.error().message();
  EXPECT_EQ(pu->Find("deployed_delivery_vehicles")->value, 675);
  EXPECT_EQ(pu->Find("deployed_warheads")->value, 1457);
  EXPECT_EQ(pu->Find("launchers")->value, 800);
  EXPECT_EQ(pr->Find("deployed_delivery_vehicles")->value, 510);
  EXPECT_EQ(pr->Find("deployed_warheads")->value, 1447);
  EXPECT_EQ(pr->Find("launchers")->value, 764);
  EXPECT_EQ(InventoryToCsv(*us), InventoryToCsv(*GenerateInventory(Structure(), {"US", d, 5, 1})));
  EXPECT_NE(InventoryToCsv(*us), InventoryToCsv(*GenerateInventory(Structure(), {"US", d, 6, 1})));
  auto two = GenerateInventory(Structure(), {"US", d, 5, 2});
  EXPECT_EQ(two->items.size(), 2 * us->items.size());
  EXPECT_TRUE(model::ValidateInventory(*two).ok());
  // The date only stamps the inventory (the treaty year generates once per party and restamps).
  auto later = GenerateInventory(Structure(), {"US", d.AddYears(1), 5, 1});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->as_of, d.AddYears(1));
  later->as_of = d;
  EXPECT_EQ(InventoryToCsv(*later), InventoryToCsv(*us));
  EXPECT_EQ(later->source, us->source);
}

TEST(GeneratorTest, BadStructureNamesTheField) {
  auto r = ParseForceStructureCsv(
      "party,system,leg,facility,deployed,non_deployed,warheads,max_warheads\n"
      "US,M,icbm,F,2,0,9,3\n",
      "s.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), HasSubstr("s.csv:2: field 'warheads'"));
  r = ParseForceStructureCsv(
      "party,system,leg,facility,deployed,non_deployed,warheads,max_warheads\nUS,M,sub,F,1,0,1,1\n",
      "s.csv");
  EXPECT_THAT(r.error().message(), HasSubstr("field 'leg'"));
}

TEST(NotificationTest, NewStartDeadlines) {
  auto list = ParseNotificationsCsv(
      "type,party,uid,event,notified\n"
      "movement,US,A,2021-01-10,2021-01-16\n"
      "warhead-change,US,B,2021-03-01,2021-09-30\n",
      "n.csv");
  ASSERT_TRUE(list.ok()) << list.error().message();
  auto s = CheckDeadlines(NewStart(), *list, Date::Parse("2021-12-01").value());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)[0].deadline.due.ToString(), "2021-01-15");
  EXPECT_TRUE((*s)[0].late);
  EXPECT_EQ((*s)[0].days_late, 1);
  // An event on a data date goes with the next update: 1 September + 30 days.
  EXPECT_EQ((*s)[1].deadline.due.ToString(), "2021-10-01");
  EXPECT_FALSE((*s)[1].late);
}

TEST(ContinuityTest, EveryRemovalChangeAndAdditionNeedsANotification) {
  const Date d1 = Date::Parse("2020-09-01").value();
  const Date d2 = Date::Parse("2021-03-01").value();
  auto old_inv = GenerateInventory(Structure(), {"US", d1, 1, 1}).value();
  Round a{d1, old_inv.items, true};
  Round b{d2, old_inv.items, true};
  // Unchanged: no finding.
  auto r = CheckContinuity(NewStart(), a, b, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->unchanged, old_inv.items.size());
  // A bomber leaves and a launcher goes non-deployed; only the first is notified.
  size_t bomber = 0, launcher = 0;
  for (size_t i = 0; i < b.items.size(); ++i) {
    if (b.items[i].kind == model::ItemKind::kHeavyBomber) bomber = i;
    if (b.items[i].kind == model::ItemKind::kIcbmLauncher &&
        b.items[i].status == model::ItemStatus::kDeployed && b.items[i].host.empty()) {
      launcher = i;
    }
  }
  const std::string bomber_uid = b.items[bomber].uid;
  b.items[launcher].status = model::ItemStatus::kNonDeployed;
  const std::string launcher_uid = b.items[launcher].uid;
  b.items.erase(b.items.begin() + bomber);
  Notification n;
  n.type = NotificationType::kElimination;
  n.party = "US";
  n.uid = bomber_uid;
  n.event = Date::Parse("2020-12-01").value();
  n.notified = Date::Parse("2020-12-03").value();
  r = CheckContinuity(NewStart(), a, b, {n});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->removed, 1u);
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].uid, launcher_uid);
  EXPECT_THAT(r->findings[0].message, HasSubstr("status deployed -> non_deployed"));
  // The same removal, not opened completely: undecided, not a violation.
  b.complete = false;
  r = CheckContinuity(NewStart(), a, b, {});
  ASSERT_TRUE(r.ok());
  bool unverified = false;
  for (const auto& f : r->findings) {
    if (f.uid == bomber_uid) unverified = f.kind == FindingKind::kUnverified;
  }
  EXPECT_TRUE(unverified);
}

}  // namespace
}  // namespace tally::escrow
