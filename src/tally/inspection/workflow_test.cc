// The inspection workflow end to end in memory: a declaration, a Type One request, the site
// opening, joint randomness, the designated opening, findings and the verdict — and every
// rejection the replay names.
#include "tally/inspection/workflow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/crypto/random.h"
#include "tally/escrow/declaration.h"
#include "tally/escrow/notification.h"
#include "tally/inspect/joint_randomness.h"
#include "tally/treaty/treaty_set.h"

namespace tally::inspection {
namespace {

using ::testing::HasSubstr;

class CountingRandom : public crypto::RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(3 + 11 * i);
  }
};

constexpr uint16_t K(tlog::EntryKind k) { return static_cast<uint16_t>(k); }
constexpr int64_t kDay = 86400;
// 2020-10-01T00:00:00Z: New START year 10, well after the first 60 days.
constexpr int64_t kT = 1601510400;

model::Item Item(std::string uid, model::ItemKind kind, model::ItemStatus status,
                 std::string facility, std::string host = "") {
  model::Item it;
  it.uid = std::move(uid);
  it.party = "US";
  it.kind = kind;
  it.system = kind == model::ItemKind::kWarhead ? "W87" : "Minuteman III";
  it.status = status;
  it.facility = std::move(facility);
  it.host = std::move(host);
  return it;
}

inspect::Secret SecretOf(uint8_t b) {
  inspect::Secret s;
  s.fill(b);
  return s;
}

class WorkflowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto set = treaty::LoadDefaultTreaties();
    ASSERT_TRUE(set.ok()) << set.error().message();
    treaties_ = new treaty::TreatySet(std::move(*set));
  }
  void SetUp() override {
    using model::ItemKind;
    using model::ItemStatus;
    model::Inventory inv;
    inv.as_of = *Date::Parse("2020-09-01");
    for (int i = 1; i <= 6; ++i) {
      const std::string n = std::to_string(i);
      inv.items.push_back(
          Item("US-ICBM-" + n, ItemKind::kIcbm, ItemStatus::kDeployed, "Minot AFB"));
      inv.items.push_back(
          Item("US-ICBML-" + n, ItemKind::kIcbmLauncher, ItemStatus::kDeployed, "Minot AFB"));
      inv.items.push_back(Item("US-W-" + n, ItemKind::kWarhead, ItemStatus::kDeployed, "Minot AFB",
                               "US-ICBM-" + n));
    }
    inv.items.push_back(
        Item("US-ICBM-S1", ItemKind::kIcbm, ItemStatus::kNonDeployed, "Hill AFB storage"));
    inv.items.push_back(
        Item("US-ICBM-M1", ItemKind::kIcbm, ItemStatus::kDeployed, "Malmstrom AFB"));
    for (const char* b : {"US-HB-1", "US-HB-2"}) {
      model::Item bomber = Item(b, ItemKind::kHeavyBomber, ItemStatus::kDeployed, "Barksdale AFB");
      bomber.system = "B-52H";
      inv.items.push_back(bomber);
    }
    CountingRandom random;
    auto d = escrow::Declaration::Commit(*NewStart(), std::move(inv),
                                         escrow::DeclarationSecret::Generate(random), {});
    ASSERT_TRUE(d.ok()) << d.error().message();
    decl_.emplace(std::move(*d));
    Add(K(tlog::EntryKind::kDeclaration), "US", kT - 10 * kDay,
        escrow::StatementToJson(decl_->statement()));
  }

  static const treaty::Treaty* NewStart() { return treaties_->Find("new-start"); }
  static TreatyLookup Lookup() {
    return [](const std::string& id) { return treaties_->Find(id); };
  }

  void Add(uint16_t kind, const std::string& party, int64_t time, std::string payload) {
    tlog::Entry e{kind, party, time, std::move(payload)};
    LoggedEntry le{party + "-log", next_[party]++, e, *tlog::EncodeEntry(e)};
    entries_.push_back(std::move(le));
    MergeOrder(entries_);
  }
  void Request(const std::string& id, const std::string& site = "Minot AFB",
               const std::string& type = "type-one", int64_t time = kT,
               const std::string& by = "RU") {
    Add(K(tlog::EntryKind::kInspectionRequest), by, time,
        EncodeRequest({id, "new-start", type, "US", site}));
  }
  void OpenSite(const std::string& id, const std::string& facility = "Minot AFB",
                int64_t time = kT + 3600) {
    escrow::Selection sel;
    sel.facility = facility;
    auto b = decl_->Open(sel);
    ASSERT_TRUE(b.ok()) << b.error().message();
    site_bundle_ = *b;
    LogBundle(id, OpeningPhase::kSite, *b, time);
  }
  void LogBundle(const std::string& id, OpeningPhase phase, const escrow::Bundle& b, int64_t time) {
    const std::string json = escrow::BundleToJson(b);
    Opening o{id, phase, docs_.Add(json), {}};
    for (const auto& l : b.opened) o.leaves.push_back(l.index);
    Add(K(tlog::EntryKind::kOpening), "US", time, EncodeOpening(o));
  }
  void Commit(const std::string& id, const std::string& party, uint8_t secret, int64_t time) {
    Add(K(tlog::EntryKind::kRandomnessCommit), party, time,
        EncodeCommit(
            {id, RoundId(id), inspect::CommitmentFor(RoundId(id), party, SecretOf(secret))}));
  }
  void Reveal(const std::string& id, const std::string& party, uint8_t secret, int64_t time) {
    Add(K(tlog::EntryKind::kRandomnessReveal), party, time,
        EncodeReveal({id, RoundId(id), SecretOf(secret)}));
  }
  Result<InspectionRecord> Replay(const std::string& id, int64_t now = kT + 2 * kDay) {
    return inspection::Replay(Lookup(), entries_, id, docs_, now);
  }
  // Request, site opening and both parties' randomness.
  InspectionRecord Designated(const std::string& id) {
    Request(id);
    OpenSite(id);
    Commit(id, "RU", 0x11, kT + 7200);
    Commit(id, "US", 0x22, kT + 7201);
    Reveal(id, "RU", 0x11, kT + 7300);
    Reveal(id, "US", 0x22, kT + 7301);
    auto rec = Replay(id);
    EXPECT_TRUE(rec.ok()) << rec.error().message();
    return *rec;
  }
  void OpenDesignated(const InspectionRecord& rec, int64_t time = kT + 8000) {
    auto leaves = LeavesToOpen(rec, site_bundle_);
    ASSERT_TRUE(leaves.ok());
    auto b = decl_->OpenLeaves(*leaves, "designated");
    ASSERT_TRUE(b.ok()) << b.error().message();
    LogBundle(rec.request.inspection, OpeningPhase::kDesignated, *b, time);
  }
  void Record(const std::string& id, std::vector<Observation> obs, int64_t time = kT + 9000) {
    std::sort(obs.begin(), obs.end(),
              [](const Observation& a, const Observation& b) { return a.uid < b.uid; });
    Findings f{id, obs};
    const Hash32 h = docs_.Add(EncodeFindings(f));
    Add(K(tlog::EntryKind::kFinding), "RU", time, EncodeFinding({id, h, obs.size()}));
  }
  // The reasons of the entries a (successful) replay rejected.
  std::vector<std::string> Rejected(const std::string& id, int64_t now = kT + 2 * kDay) {
    auto r = Replay(id, now);
    EXPECT_TRUE(r.ok()) << r.error().message();
    std::vector<std::string> out;
    if (r.ok()) {
      for (const Rejection& x : r->rejected) out.push_back(x.reason);
    }
    return out;
  }
  std::vector<Observation> Honest(const InspectionRecord& rec) {
    std::vector<Observation> obs;
    for (const DeclaredItem& d : rec.declared) obs.push_back({d.uid, d.status, d.warheads});
    return obs;
  }

  static inline treaty::TreatySet* treaties_ = nullptr;
  std::optional<escrow::Declaration> decl_;
  escrow::Bundle site_bundle_;
  std::vector<LoggedEntry> entries_;
  std::map<std::string, uint64_t> next_;
  Documents docs_;
};

TEST_F(WorkflowTest, AConsistentTypeOneInspection) {
  InspectionRecord rec = Designated("RU-1");
  EXPECT_EQ(rec.stage, Stage::kDesignated);
  EXPECT_EQ(rec.population.size(), 6u);  // the deployed ICBMs at Minot, not launchers/warheads
  ASSERT_EQ(rec.designated.size(), 1u);  // New START: items_per_inspection = 1
  EXPECT_FALSE(rec.fallback);
  EXPECT_EQ(rec.year.number, 10);
  // Anyone recomputes the designation from the seed and the population.
  auto again = inspect::SelectIdentifiers(*rec.seed, "items/Minot AFB", rec.population, 1);
  EXPECT_EQ(*again, rec.designated);
  OpenDesignated(rec);
  auto opened = Replay("RU-1");
  ASSERT_TRUE(opened.ok()) << opened.error().message();
  ASSERT_EQ(opened->declared.size(), 1u);
  EXPECT_EQ(opened->declared[0].warheads, 1);
  Record("RU-1", Honest(*opened));
  auto done = Replay("RU-1");
  ASSERT_TRUE(done.ok()) << done.error().message();
  EXPECT_EQ(done->stage, Stage::kRecorded);
  EXPECT_TRUE(done->discrepancies.empty());
  EXPECT_EQ(done->Verdict(), "consistent");
}

TEST_F(WorkflowTest, EveryDiscrepancyIsNamed) {
  InspectionRecord rec = Designated("RU-1");
  OpenDesignated(rec);
  rec = *Replay("RU-1");
  const std::string d = rec.declared[0].uid;
  const std::string other = d == "US-ICBM-1" ? "US-ICBM-2" : "US-ICBM-1";
  Record("RU-1", {{d, "non_deployed", 2}, {other, "deployed", 1}, {"US-ICBM-X", "deployed", 1}});
  auto done = Replay("RU-1");
  ASSERT_TRUE(done.ok()) << done.error().message();
  EXPECT_EQ(done->Verdict(), "inconsistent");
  std::vector<std::string> kinds;
  for (const auto& x : done->discrepancies) kinds.push_back(x.kind);
  EXPECT_THAT(kinds,
              ::testing::UnorderedElementsAre("status", "warheads", "not-designated", "unknown"));
  for (const auto& x : done->discrepancies) {
    if (x.kind == "warheads") {
      EXPECT_EQ(x.what, d + ": 2 reentry vehicles observed, declared warhead load 1");
    }
  }
}

TEST_F(WorkflowTest, ADesignatedItemNotObserved) {
  InspectionRecord rec = Designated("RU-1");
  OpenDesignated(rec);
  Record("RU-1", {});
  auto done = Replay("RU-1");
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->discrepancies.size(), 1u);
  EXPECT_EQ(done->discrepancies[0].kind, "not-observed");
}

TEST_F(WorkflowTest, ARevealThatDoesNotMatchItsCommitmentIsRejected) {
  Request("RU-1");
  OpenSite("RU-1");
  Commit("RU-1", "RU", 0x11, kT + 7200);
  Commit("RU-1", "US", 0x22, kT + 7201);
  Reveal("RU-1", "RU", 0x11, kT + 7300);
  Reveal("RU-1", "US", 0x23, kT + 7301);  // not the committed secret
  auto r = Replay("RU-1", kT + 7400);
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].code, StatusCode::kVerificationFailed);
  EXPECT_THAT(r->rejected[0].reason,
              HasSubstr("US log entry 3 (randomness-reveal): round 'tally/inspection/RU-1/items': "
                        "the secret revealed by US does not match its commitment"));
  // Not applied: US has not revealed, and after the deadline it is recorded as refusing.
  EXPECT_EQ(r->revealed, std::vector<std::string>{"RU"});
  EXPECT_EQ(r->stage, Stage::kSiteOpened);
  EXPECT_EQ(r->Verdict(), "inconsistent");
  auto late = Replay("RU-1", kT + kRevealWindowSeconds + 1);
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->fallback);
  EXPECT_EQ(late->refused, std::vector<std::string>{"US"});
}

TEST_F(WorkflowTest, RandomnessBeforeTheSiteOpeningIsRejected) {
  Request("RU-1");
  Commit("RU-1", "RU", 0x11, kT + 100);
  OpenSite("RU-1");
  EXPECT_THAT(Rejected("RU-1"),
              ::testing::ElementsAre(HasSubstr("randomness before the site opening")));
}

TEST_F(WorkflowTest, AnOpeningOfOtherLeavesIsASelectionRecomputedDifferently) {
  InspectionRecord rec = Designated("RU-1");
  // The inspected party opens another missile than the one designated.
  std::string other = rec.designated[0] == "US-ICBM-1" ? "US-ICBM-2" : "US-ICBM-1";
  escrow::Selection sel;
  sel.uids = {other};
  auto b = decl_->Open(sel);
  ASSERT_TRUE(b.ok());
  LogBundle("RU-1", OpeningPhase::kDesignated, *b, kT + 8000);
  EXPECT_THAT(Rejected("RU-1"),
              ::testing::ElementsAre(HasSubstr("selection recomputed differently")));
  EXPECT_EQ(Replay("RU-1")->stage, Stage::kDesignated);  // still awaiting the right opening
  OpenDesignated(rec, kT + 8100);
  EXPECT_EQ(Replay("RU-1")->stage, Stage::kOpened);
}

TEST_F(WorkflowTest, ATamperedBundleFailsVerification) {
  Request("RU-1");
  escrow::Selection sel;
  sel.facility = "Minot AFB";
  auto b = decl_->Open(sel);
  ASSERT_TRUE(b.ok());
  b->opened[0].record.item.system = "Peacekeeper";
  LogBundle("RU-1", OpeningPhase::kSite, *b, kT + 3600);
  auto r = Replay("RU-1");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].code, StatusCode::kVerificationFailed);
  EXPECT_THAT(r->rejected[0].reason, HasSubstr("US log entry 1 (opening)"));
  EXPECT_THAT(r->rejected[0].reason, HasSubstr("commitment mismatch"));
  EXPECT_EQ(r->stage, Stage::kRequested);
  EXPECT_TRUE(r->site_items.empty());  // nothing of the rejected opening was applied
}

TEST_F(WorkflowTest, AMissingBundleIsNamed) {
  Request("RU-1");
  Add(K(tlog::EntryKind::kOpening), "US", kT + 10,
      EncodeOpening({"RU-1", OpeningPhase::kSite, Hash32{}, {1, 2}}));
  auto r = Replay("RU-1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.error().message(), HasSubstr("was not given"));
}

TEST_F(WorkflowTest, SiteEligibilityFollowsTheSiteRule) {
  // Type Two needs a site with only non-deployed systems; Minot has deployed ones.
  Request("RU-2", "Minot AFB", "type-two");
  OpenSite("RU-2");
  EXPECT_THAT(
      Rejected("RU-2"),
      ::testing::ElementsAre(HasSubstr("not eligible for type-two (site rule non-deployed-only)")));
  // Type One at a storage site with nothing deployed.
  Request("RU-3", "Hill AFB storage", "type-one", kT + 5);
  OpenSite("RU-3", "Hill AFB storage", kT + 3700);
  EXPECT_THAT(Rejected("RU-3"),
              ::testing::ElementsAre(HasSubstr("not eligible for type-one (site rule deployed)")));
  // A site opening that holds items of another facility.
  Request("RU-4", "Minot AFB", "type-one", kT + 6);
  OpenSite("RU-4", "Malmstrom AFB", kT + 3800);
  EXPECT_THAT(Rejected("RU-4"), ::testing::ElementsAre(HasSubstr("not at the site \"Minot AFB\"")));
}

TEST_F(WorkflowTest, RequestsAreCheckedAgainstTheRegime) {
  Request("a", "Minot AFB", "type-three");
  Request("b", "Minot AFB", "type-one", 1297382400 /* 2011-02-11: EIF + 6 days */);
  Request("c", "Minot AFB", "type-one", kT, "US");                     // self-inspection
  Request("d", "Minot AFB", "type-one", 1770336000 /* 2026-02-06 */);  // after expiry
  Request("e", "Minot AFB", "type-one", kT + 1);
  Request("e", "Minot AFB", "type-one", kT + 2);  // the id again
  const std::vector<std::pair<std::string, std::string>> want = {
      {"a", "inspection type \"type-three\" is not in the regime of new-start"},
      {"b", "type-one inspections begin 60 days after entry into force, on 2011-04-06"},
      {"c", "a party cannot inspect itself (US)"},
      {"d", "new-start is not in force for RU on 2026-02-06"},
  };
  for (const auto& [id, msg] : want) {
    auto r = Replay(id);
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_THAT(r.error().message(), HasSubstr(msg)) << id;
    EXPECT_THAT(r.error().message(), HasSubstr("log entry")) << id;
  }
  EXPECT_TRUE(Replay("e").ok());
  const Ledger ledger = BuildLedger(*NewStart(), entries_);
  ASSERT_EQ(ledger.requests.size(), 6u);
  int refused_twice = 0;
  for (const LedgerEntry& e : ledger.requests) {
    refused_twice += e.status.message().find("\"e\" was already requested") != std::string::npos;
  }
  EXPECT_EQ(refused_twice, 1);
  EXPECT_EQ(CheckNewRequest(*NewStart(), ledger, "RU", kT + 3,
                            {"e", "new-start", "type-one", "US", "Minot AFB"})
                .code(),
            StatusCode::kAlreadyExists);
}

TEST_F(WorkflowTest, QuotaPerTreatyYearAndType) {
  // Year 10 of New START runs 2020-02-05 to 2021-02-04: ten Type One requests fit, the 11th not.
  for (int i = 0; i < 11; ++i) Request("q" + std::to_string(i), "Minot AFB", "type-one", kT + i);
  Request("two", "Hill AFB storage", "type-two", kT + 20);
  auto r = Replay("q10");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(),
              HasSubstr("quota exhausted: RU has used 10 of 10 type-one inspections in treaty "
                        "year 10 (2020-02-05 to 2021-02-04)"));
  EXPECT_TRUE(Replay("q9").ok());
  const Ledger ledger = BuildLedger(*NewStart(), entries_);
  auto rows = QuotaReport(*NewStart(), ledger, *Date::Parse("2020-12-01"));
  ASSERT_TRUE(rows.ok());
  for (const QuotaRow& row : *rows) {
    if (row.party == "RU" && row.type == "type-one") {
      EXPECT_EQ(row.used, 10);
      EXPECT_EQ(row.remaining, 0);
    } else if (row.party == "RU" && row.type == "type-two") {
      EXPECT_EQ(row.used, 1);
      EXPECT_EQ(row.quota, 8);
      EXPECT_EQ(row.remaining, 7);
    } else {
      EXPECT_EQ(row.used, 0) << row.party << " " << row.type;
    }
  }
  // The next treaty year starts afresh.
  const int64_t next_year = 1612483200;  // 2021-02-05
  EXPECT_TRUE(CheckNewRequest(*NewStart(), ledger, "RU", next_year,
                              {"n", "new-start", "type-one", "US", "Minot AFB"})
                  .ok());
  EXPECT_FALSE(QuotaReport(*NewStart(), ledger, *Date::Parse("2026-03-01")).ok());
}

TEST_F(WorkflowTest, RefusingToRevealFallsBackAfterTheDeadline) {
  Request("RU-1");
  OpenSite("RU-1");
  Commit("RU-1", "RU", 0x11, kT + 7200);
  Commit("RU-1", "US", 0x22, kT + 7201);
  Reveal("RU-1", "RU", 0x11, kT + 7300);
  auto waiting = Replay("RU-1", kT + 7400);
  ASSERT_TRUE(waiting.ok());
  EXPECT_EQ(waiting->stage, Stage::kSiteOpened);
  EXPECT_THAT(waiting->awaiting, HasSubstr("reveals"));
  auto late = Replay("RU-1", kT + kRevealWindowSeconds + 1);
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->fallback);
  EXPECT_EQ(late->refused, std::vector<std::string>{"US"});
  EXPECT_EQ(late->designated.size(), 1u);
}

TEST_F(WorkflowTest, AChangeAtTheSiteInsideTheRestrictionWindowIsAViolation) {
  InspectionRecord rec = Designated("RU-1");
  escrow::Notification n;
  n.type = escrow::NotificationType::kMovement;
  n.party = "US";
  n.uid = "US-ICBM-3";
  n.event = DayOf(kT);
  n.notified = DayOf(kT + kDay);
  Add(K(tlog::EntryKind::kNotification), "US", kT + kDay, escrow::NotificationToJson(n));
  n.uid = "US-ICBM-M1";  // another site: no restriction there
  Add(K(tlog::EntryKind::kNotification), "US", kT + kDay, escrow::NotificationToJson(n));
  OpenDesignated(rec);
  rec = *Replay("RU-1");
  Record("RU-1", Honest(rec));
  auto done = Replay("RU-1");
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->violations.size(), 1u);
  EXPECT_EQ(done->violations[0].uid, "US-ICBM-3");
  EXPECT_TRUE(done->discrepancies.empty());
  EXPECT_EQ(done->Verdict(), "inconsistent");
}

TEST_F(WorkflowTest, AWholeSiteTypeTwoInspectionDrawsNoSeed) {
  // New START Type Two designates no items (items_per_inspection 0): the whole site is checked.
  Request("RU-2", "Hill AFB storage", "type-two");
  OpenSite("RU-2", "Hill AFB storage");
  auto rec = Replay("RU-2");
  ASSERT_TRUE(rec.ok()) << rec.error().message();
  EXPECT_EQ(rec->stage, Stage::kOpened);
  EXPECT_EQ(rec->designated, std::vector<std::string>{"US-ICBM-S1"});
  EXPECT_FALSE(rec->seed.has_value());
  Record("RU-2", {{"US-ICBM-S1", "non_deployed", 0}});
  auto done = Replay("RU-2");
  ASSERT_TRUE(done.ok()) << done.error().message();
  EXPECT_EQ(done->Verdict(), "consistent");
  Commit("RU-2", "RU", 0x11, kT + 9500);
  EXPECT_THAT(
      Rejected("RU-2"),
      ::testing::ElementsAre(HasSubstr("Hill AFB storage is inspected whole under type-two")));
}

TEST_F(WorkflowTest, ATypeOneAtAnAirBaseChecksTheWholeSite) {
  // No ICBM or SLBM to designate at a bomber base: every bomber there is in the mandate.
  Request("RU-5", "Barksdale AFB");
  OpenSite("RU-5", "Barksdale AFB");
  auto rec = Replay("RU-5");
  ASSERT_TRUE(rec.ok()) << rec.error().message();
  EXPECT_TRUE(rec->whole_site);
  EXPECT_EQ(rec->designated, (std::vector<std::string>{"US-HB-1", "US-HB-2"}));
  Record("RU-5", {{"US-HB-1", "deployed", 0}});
  auto done = Replay("RU-5");
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->discrepancies.size(), 1u);
  EXPECT_EQ(done->discrepancies[0].what, "designated item US-HB-2 was not observed");
}

TEST_F(WorkflowTest, FindingsOutOfOrderOrFromTheWrongPartyAreRejected) {
  Designated("RU-1");
  Record("RU-1", {}, kT + 7500);  // before the designated opening
  Add(K(tlog::EntryKind::kFinding), "US", kT + 7600, EncodeFinding({"RU-1", Hash32{}, 0}));
  Add(K(tlog::EntryKind::kOpening), "US", kT - 1,  // before the request
      EncodeOpening({"RU-1", OpeningPhase::kSite, Hash32{}, {}}));
  Add(K(tlog::EntryKind::kRandomnessCommit), "US", kT + 7700, "{\"inspection\":\"RU-1\"}");
  EXPECT_THAT(Rejected("RU-1"),
              ::testing::ElementsAre(
                  HasSubstr("dated before the request"),
                  HasSubstr("findings before the designated items were opened"),
                  HasSubstr("findings by US, not by the inspecting party RU"),
                  HasSubstr("US log entry 6 (randomness-commit): field 'format': expected a "
                            "value, got nothing")));
}

}  // namespace
}  // namespace tally::inspection
