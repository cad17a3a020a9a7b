// The inspection workflow end to end in memory: a declaration on the US log, a Type One request
// on the Russian log, the site opening, joint randomness, the designated opening, findings and
// the verdict, built with the parties' actions (actions.h) — and every rule the replay enforces
// against a party that logs entries by other means.
#include "tally/inspection/workflow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/crypto/random.h"
#include "tally/escrow/declaration.h"
#include "tally/escrow/notification.h"
#include "tally/inspect/joint_randomness.h"
#include "tally/inspection/actions.h"
#include "tally/inspection/citation.h"
#include "tally/inspection/ledger.h"
#include "tally/treaty/treaty_set.h"

namespace tally::inspection {
namespace {

using ::testing::HasSubstr;

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
    crypto::SeededRandom random("workflow test");
    auto d = escrow::Declaration::Commit(*NewStart(), std::move(inv),
                                         escrow::DeclarationSecret::Generate(random), {});
    ASSERT_TRUE(d.ok()) << d.error().message();
    decl_.emplace(std::move(*d));
    source_.logs.emplace_back("US", "tally.example/us", "us-log");
    source_.logs.emplace_back("RU", "tally.example/ru", "ru-log");
    Add("US", K(tlog::EntryKind::kDeclaration), kT - 10 * kDay,
        escrow::StatementToJson(decl_->statement()));
  }

  static const treaty::Treaty* NewStart() { return treaties_->Find("new-start"); }

  PartyLog& LogOf(const std::string& owner) {
    for (PartyLog& l : source_.logs) {
      if (l.owner() == owner) return l;
    }
    return source_.logs.front();
  }
  // Puts an entry on `owner`'s log as the party `party` (by default the owner), bypassing the
  // actions: what a cheating party can always do to its own log.
  void Add(const std::string& owner, uint16_t kind, int64_t time, std::string payload,
           std::string party = "") {
    tlog::Entry e{kind, party.empty() ? owner : party, time, std::move(payload)};
    LogOf(owner).Append(*tlog::EncodeEntry(e));
    source_.Index();
  }
  Citation Seen(const std::string& owner) { return CitationOf(LogOf(owner)); }

  // Takes an action and logs it, as the CLI does; fails the test if it is refused.
  void Do(const Result<Action>& action) {
    ASSERT_TRUE(action.ok()) << action.error().message();
    LogOf(action->entry.party).Append(*tlog::EncodeEntry(action->entry));
    if (!action->document.empty()) source_.documents.Add(action->document);
    source_.Index();
  }
  Actor As(const std::string& party) { return Actor{&lookup_, &source_, party}; }

  void Request(const std::string& id, const std::string& site = "Minot AFB",
               const std::string& type = "type-one", int64_t time = kT) {
    Do(RequestInspection(As("RU"), time, {id, "new-start", type, "US", site, {}}));
  }
  void Site(const std::string& id, int64_t time = kT + 3600) {
    Do(OpenSite(As("US"), time, id, *decl_));
  }
  void Commits(const std::string& id) {
    Do(CommitRandomness(As("RU"), kT + 7200, id, SecretOf(0x11)));
    Do(CommitRandomness(As("US"), kT + 7201, id, SecretOf(0x22)));
  }
  void Reveals(const std::string& id) {
    Do(RevealRandomness(As("US"), kT + 7300, id, SecretOf(0x22)));
    Do(RevealRandomness(As("RU"), kT + 7301, id, SecretOf(0x11)));
  }
  Result<InspectionRecord> Replay(const std::string& id, int64_t now = kT + 2 * kDay) {
    return inspection::Replay(lookup_, source_, id, now);
  }
  InspectionRecord Designated(const std::string& id) {
    Request(id);
    Site(id);
    Commits(id);
    Reveals(id);
    auto rec = Replay(id);
    EXPECT_TRUE(rec.ok()) << rec.error().message();
    EXPECT_EQ(rec->stage, Stage::kDesignated);
    return *rec;
  }
  // What honest inspectors see: each designated item as declared.
  static std::vector<Observation> Honest(const InspectionRecord& rec) {
    std::vector<Observation> out;
    for (const DeclaredItem& d : rec.declared) out.push_back({d.uid, d.status, d.warheads});
    return out;
  }
  std::vector<std::string> Rejected(const std::string& id) {
    auto rec = Replay(id);
    EXPECT_TRUE(rec.ok()) << rec.error().message();
    std::vector<std::string> out;
    for (const auto& r : rec->rejected) out.push_back(r.reason);
    return out;
  }

  static inline treaty::TreatySet* treaties_ = nullptr;
  TreatyLookup lookup_ = [](const std::string& id) { return treaties_->Find(id); };
  std::optional<escrow::Declaration> decl_;
  ReplaySource source_;
};

TEST_F(WorkflowTest, AConsistentTypeOneInspection) {
  InspectionRecord rec = Designated("RU-1");
  EXPECT_EQ(rec.site_items.size(), 18u);
  EXPECT_EQ(rec.population.size(), 6u);  // the deployed ICBMs at Minot
  ASSERT_EQ(rec.designated.size(), 1u);
  EXPECT_FALSE(rec.fallback);
  std::map<std::string, inspect::Secret> both = {{"RU", SecretOf(0x11)}, {"US", SecretOf(0x22)}};
  EXPECT_EQ(*rec.seed, inspect::JointSeed(RoundId("RU-1"), both));
  Do(OpenDesignated(As("US"), kT + 7400, "RU-1", *decl_));
  rec = *Replay("RU-1");
  ASSERT_EQ(rec.stage, Stage::kOpened);
  ASSERT_EQ(rec.declared.size(), 1u);
  EXPECT_EQ(rec.declared[0].warheads, 1);
  Do(RecordFindings(As("RU"), kT + 7500, "RU-1", Honest(rec), false));
  auto done = Replay("RU-1");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->Verdict(), "consistent");
  EXPECT_TRUE(done->rejected.empty());
  // Every step names the entry that is the step, on the log of the party that took it.
  std::vector<std::string> steps;
  for (const Step& s : done->steps) {
    steps.push_back(s.step + "@" + s.log);
    const LoggedEntry* e = nullptr;
    for (const auto& x : LogOf(s.log).entries()) {
      if (x.index == s.index) e = &x;
    }
    ASSERT_NE(e, nullptr) << s.step;
    EXPECT_EQ(e->entry.time, s.time);
  }
  EXPECT_THAT(steps, ::testing::ElementsAre("request@RU", "site opening@US", "commitment@RU",
                                            "commitment@US", "reveal@US", "reveal@RU",
                                            "designated opening@US", "findings@RU"));
}

TEST_F(WorkflowTest, AnOverloadedMissileIsADiscrepancy) {
  InspectionRecord rec = Designated("RU-1");
  Do(OpenDesignated(As("US"), kT + 7400, "RU-1", *decl_));
  rec = *Replay("RU-1");
  std::vector<Observation> seen = Honest(rec);
  seen[0].warheads = 3;
  Do(RecordFindings(As("RU"), kT + 7500, "RU-1", seen, false));
  auto done = Replay("RU-1");
  ASSERT_EQ(done->discrepancies.size(), 1u);
  EXPECT_EQ(done->discrepancies[0].kind, "warheads");
  EXPECT_EQ(done->Verdict(), "inconsistent");
}

TEST_F(WorkflowTest, AnEntryCountsOnlyOnItsOwnPartysLog) {
  // RU's commitment and reveal put on the US log by the US: refused when the log is read.
  Request("RU-1");
  Site("RU-1");
  Add("US", K(tlog::EntryKind::kRandomnessCommit), kT + 7000,
      EncodeCommit({"RU-1", RoundId("RU-1"),
                    inspect::CommitmentFor(RoundId("RU-1"), "RU", SecretOf(0x66)), Seen("RU")}),
      "RU");
  ASSERT_EQ(LogOf("US").refused().size(), 1u);
  EXPECT_THAT(LogOf("US").refused()[0].reason,
              HasSubstr("an entry by RU on US's log; an entry counts only on its own party's log"));
  // RU's real commitment is not blocked by it.
  Commits("RU-1");
  Reveals("RU-1");
  EXPECT_EQ(Replay("RU-1")->stage, Stage::kDesignated);
  // And a request by the US in RU's namespace is refused.
  Add("US", K(tlog::EntryKind::kInspectionRequest), kT + 9000,
      EncodeRequest({"RU-9", "new-start", "type-one", "US", "Minot AFB", Seen("US")}));
  auto r = Replay("RU-9");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), HasSubstr("not in US's namespace"));
}

TEST_F(WorkflowTest, TheFirstRequestStandsAndTimeNeverGoesBack) {
  InspectionRecord rec = Designated("RU-1");
  Do(OpenDesignated(As("US"), kT + 7400, "RU-1", *decl_));
  rec = *Replay("RU-1");
  std::vector<Observation> seen = Honest(rec);
  seen[0].warheads = 2;
  Do(RecordFindings(As("RU"), kT + 7500, "RU-1", seen, false));
  ASSERT_EQ(Replay("RU-1")->Verdict(), "inconsistent");
  // The same id again, dated an hour before the first: refused by every reader of the log.
  const std::string again =
      EncodeRequest({"RU-1", "new-start", "type-one", "US", "Minot AFB", Seen("US")});
  Add("RU", K(tlog::EntryKind::kInspectionRequest), kT - 3600, again);
  EXPECT_THAT(LogOf("RU").refused().back().reason, HasSubstr("time never goes back"));
  // Dated later: a second request, which the first's record lists as rejected.
  Add("RU", K(tlog::EntryKind::kInspectionRequest), kT + 8000, again);
  auto after = Replay("RU-1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->stage, Stage::kRecorded);
  ASSERT_EQ(after->discrepancies.size(), 1u);
  EXPECT_EQ(after->Verdict(), "inconsistent");
  EXPECT_THAT(Rejected("RU-1"), ::testing::Contains(HasSubstr("was already requested")));
  // The rejected second request is not a step: one request, the first.
  EXPECT_EQ(std::count_if(after->steps.begin(), after->steps.end(),
                          [](const Step& s) { return s.step == "request"; }),
            1);
}

TEST_F(WorkflowTest, TheInspectingPartyRevealsLast) {
  Request("RU-1");
  Site("RU-1");
  Commits("RU-1");
  auto early = RevealRandomness(As("RU"), kT + 7300, "RU-1", SecretOf(0x11));
  ASSERT_FALSE(early.ok());
  EXPECT_THAT(early.error().message(), HasSubstr("the inspecting party reveals last"));
  // The inspected party cannot reveal before the inspector committed (a cited log without it).
  Add("US", K(tlog::EntryKind::kRandomnessReveal), kT + 7250,
      EncodeReveal({"RU-1", RoundId("RU-1"), SecretOf(0x22), Citation{1, {}}}));
  EXPECT_THAT(Rejected("RU-1"), ::testing::Contains(HasSubstr("a forged citation, or a fork")));
}

TEST_F(WorkflowTest, ARefusalFallsBackToTheInspectorsSecretAlone) {
  Request("RU-1");
  Site("RU-1");
  Do(CommitRandomness(As("RU"), kT + 7200, "RU-1", SecretOf(0x11)));
  // The US never commits. Before the deadline the inspector cannot reveal; after it, it can.
  EXPECT_FALSE(RevealRandomness(As("RU"), kT + 7300, "RU-1", SecretOf(0x11)).ok());
  Do(RevealRandomness(As("RU"), kT + kRevealWindowSeconds + 60, "RU-1", SecretOf(0x11)));
  auto rec = Replay("RU-1");
  ASSERT_TRUE(rec.ok()) << rec.error().message();
  EXPECT_TRUE(rec->fallback);
  EXPECT_EQ(rec->refused, std::vector<std::string>{"US"});
  std::map<std::string, inspect::Secret> r_only = {{"RU", SecretOf(0x11)}};
  EXPECT_EQ(*rec->seed,
            inspect::FallbackSeed(RoundId("RU-1"), merkle::LeafHash(LogOf("RU").entries()[0].bytes),
                                  r_only));
  ASSERT_EQ(rec->procedural.size(), 1u);
  EXPECT_EQ(rec->procedural[0].kind, "refused-reveal");
  EXPECT_EQ(rec->procedural[0].party, "US");
  // Even a consistent finding does not make a refusal consistent.
  Do(OpenDesignated(As("US"), kT + kRevealWindowSeconds + 120, "RU-1", *decl_));
  Do(RecordFindings(As("RU"), kT + kRevealWindowSeconds + 180, "RU-1",
                    Honest(*Replay("RU-1", kT + 3 * kDay)), false));
  EXPECT_EQ(Replay("RU-1", kT + 3 * kDay)->Verdict(), "inconsistent");
}

TEST_F(WorkflowTest, ASecretRevealedBeforeIsRefused) {
  InspectionRecord first = Designated("RU-1");
  // A second inspection where the US reuses its secret of RU-1, now public.
  Request("RU-2", "Minot AFB", "type-one", kT + kDay);
  Site("RU-2", kT + kDay + 100);
  Do(CommitRandomness(As("RU"), kT + kDay + 200, "RU-2", SecretOf(0x33)));
  Do(CommitRandomness(As("US"), kT + kDay + 201, "RU-2", SecretOf(0x22)));
  auto reuse = RevealRandomness(As("US"), kT + kDay + 300, "RU-2", SecretOf(0x22));
  ASSERT_FALSE(reuse.ok());
  EXPECT_THAT(reuse.error().message(), HasSubstr("this secret was revealed before"));
  // The inspector reusing RU-1's secret (known to the US, who could grind its own) likewise.
  Request("RU-3", "Minot AFB", "type-one", kT + kDay + 400);
  Site("RU-3", kT + kDay + 500);
  Do(CommitRandomness(As("RU"), kT + kDay + 600, "RU-3", SecretOf(0x11)));
  Do(CommitRandomness(As("US"), kT + kDay + 601, "RU-3", SecretOf(0x44)));
  Do(RevealRandomness(As("US"), kT + kDay + 700, "RU-3", SecretOf(0x44)));
  auto r_reuse = RevealRandomness(As("RU"), kT + kDay + 800, "RU-3", SecretOf(0x11));
  ASSERT_FALSE(r_reuse.ok());
  EXPECT_THAT(r_reuse.error().message(), HasSubstr("this secret was revealed before"));
}

TEST_F(WorkflowTest, TheRequestPinsTheDeclarationInForce) {
  Request("RU-1");
  // A second declaration for the same data date, dated before the request, appended after it.
  crypto::SeededRandom random("swap");
  model::Inventory other;
  other.as_of = *Date::Parse("2020-09-01");
  other.items.push_back(
      Item("US-ICBM-X", model::ItemKind::kIcbm, model::ItemStatus::kDeployed, "Minot AFB"));
  auto swapped = escrow::Declaration::Commit(*NewStart(), std::move(other),
                                             escrow::DeclarationSecret::Generate(random), {});
  ASSERT_TRUE(swapped.ok());
  Add("US", K(tlog::EntryKind::kDeclaration), kT - 60,
      escrow::StatementToJson(swapped->statement()));
  // Within the US log time never goes back, so the backdated entry is refused outright; and an
  // honest-dated one is outside the prefix the request cites.
  Add("US", K(tlog::EntryKind::kDeclaration), kT + 60,
      escrow::StatementToJson(swapped->statement()));
  auto site = OpenSite(As("US"), kT + 3600, "RU-1", *swapped);
  ASSERT_FALSE(site.ok());
  EXPECT_THAT(site.error().message(), HasSubstr("bundle is for another declaration"));
  Site("RU-1");  // the pinned declaration still opens
  EXPECT_EQ(Replay("RU-1")->stage, Stage::kSiteOpened);
}

TEST_F(WorkflowTest, ForgedOrStaleCitationsAreRefused) {
  Request("RU-1");
  // A site opening that claims to answer a RU log the reader's copy does not have.
  escrow::Selection sel;
  sel.facility = "Minot AFB";
  const std::string bundle = escrow::BundleToJson(*decl_->Open(sel));
  Citation forged = Seen("RU");
  forged.root[0] ^= 1;
  Add("US", K(tlog::EntryKind::kOpening), kT + 3600,
      EncodeOpening({"RU-1", OpeningPhase::kSite, source_.documents.Add(bundle), forged}));
  EXPECT_THAT(Rejected("RU-1"), ::testing::ElementsAre(HasSubstr("a forged citation")));
  // One that cites more of the RU log than this copy holds: the reader needs a newer copy.
  Citation ahead = Seen("RU");
  ahead.size += 5;
  Add("US", K(tlog::EntryKind::kOpening), kT + 3601,
      EncodeOpening({"RU-1", OpeningPhase::kSite, source_.documents.Add(bundle), ahead}));
  auto r = Replay("RU-1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.error().message(), HasSubstr("read a newer copy"));
}

TEST_F(WorkflowTest, RequestsAreCheckedAgainstTheRegime) {
  const auto request = [&](const std::string& id, const std::string& type, int64_t time) {
    Add("RU", K(tlog::EntryKind::kInspectionRequest), time,
        EncodeRequest({id, "new-start", type, "US", "Minot AFB", Seen("US")}));
  };
  request("RU-a", "type-three", kT);
  request("RU-d", "type-one", 1770336000 /* 2026-02-06 */);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"RU-a", "inspection type \"type-three\" is not in the regime of new-start"},
      {"RU-d", "new-start is not in force for RU on 2026-02-06"},
  };
  for (const auto& [id, msg] : want) {
    auto r = Replay(id);
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_THAT(r.error().message(), HasSubstr(msg)) << id;
    EXPECT_THAT(r.error().message(), HasSubstr("RU log entry")) << id;
  }
  // Early in the treaty: a log of its own, since time never goes back on RU's.
  ReplaySource early;
  early.logs.emplace_back("US", "tally.example/us", "us");
  early.logs.emplace_back("RU", "tally.example/ru", "ru");
  tlog::Entry e{K(tlog::EntryKind::kInspectionRequest), "RU", 1297382400 /* EIF + 6 days */,
                EncodeRequest({"RU-b", "new-start", "type-one", "US", "Minot AFB",
                               CitationOf(early.logs[0])})};
  early.logs[1].Append(*tlog::EncodeEntry(e));
  early.Index();
  auto b = inspection::Replay(lookup_, early, "RU-b", kT);
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.error().message(),
              HasSubstr("type-one inspections begin 60 days after entry into force"));
}

TEST_F(WorkflowTest, QuotaPerTreatyYearAndType) {
  // Year 10 of New START runs 2020-02-05 to 2021-02-04: ten Type One requests fit, the 11th not.
  for (int i = 0; i < 10; ++i) Request("RU-q" + std::to_string(i), "Minot AFB", "type-one", kT + i);
  auto eleventh = RequestInspection(As("RU"), kT + 10,
                                    {"RU-q10", "new-start", "type-one", "US", "Minot AFB", {}});
  ASSERT_FALSE(eleventh.ok());
  EXPECT_THAT(eleventh.error().message(),
              HasSubstr("quota exhausted: RU has used 10 of 10 type-one inspections in treaty "
                        "year 10 (2020-02-05 to 2021-02-04)"));
  Request("RU-two", "Hill AFB storage", "type-two", kT + 20);
  const Ledger ledger = BuildLedger(*NewStart(), source_.logs);
  auto rows = QuotaReport(*NewStart(), ledger, *Date::Parse("2020-12-01"));
  ASSERT_TRUE(rows.ok());
  for (const QuotaRow& row : *rows) {
    if (row.party == "RU" && row.type == "type-one") {
      EXPECT_EQ(row.used, 10);
      EXPECT_EQ(row.remaining, 0);
    } else if (row.party == "RU" && row.type == "type-two") {
      EXPECT_EQ(row.used, 1);
      EXPECT_EQ(row.quota, 8);
    } else {
      EXPECT_EQ(row.used, 0) << row.party << " " << row.type;
    }
  }
  // The next treaty year starts afresh.
  EXPECT_TRUE(RequestInspection(As("RU"), 1612483200 /* 2021-02-05 */,
                                {"RU-n", "new-start", "type-one", "US", "Minot AFB", {}})
                  .ok());
}

TEST_F(WorkflowTest, AChangeAtTheSiteInsideTheRestrictionWindowIsAViolation) {
  InspectionRecord rec = Designated("RU-1");
  escrow::Notification n;
  n.type = escrow::NotificationType::kMovement;
  n.party = "US";
  n.uid = "US-ICBM-3";
  n.event = DayOf(kT);
  n.notified = DayOf(kT + kDay);
  Add("US", K(tlog::EntryKind::kNotification), kT + 7350, escrow::NotificationToJson(n));
  n.uid = "US-ICBM-M1";  // another site: no restriction there
  Add("US", K(tlog::EntryKind::kNotification), kT + 7351, escrow::NotificationToJson(n));
  Do(OpenDesignated(As("US"), kT + 7400, "RU-1", *decl_));
  Do(RecordFindings(As("RU"), kT + 7500, "RU-1", Honest(*Replay("RU-1")), false));
  auto done = Replay("RU-1");
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->violations.size(), 1u);
  EXPECT_EQ(done->violations[0].uid, "US-ICBM-3");
  EXPECT_EQ(done->Verdict(), "inconsistent");
}

TEST_F(WorkflowTest, AWholeSiteTypeTwoInspectionDrawsNoSeed) {
  Request("RU-2", "Hill AFB storage", "type-two");
  Site("RU-2");
  auto rec = Replay("RU-2");
  ASSERT_TRUE(rec.ok()) << rec.error().message();
  EXPECT_EQ(rec->stage, Stage::kOpened);
  EXPECT_EQ(rec->designated, std::vector<std::string>{"US-ICBM-S1"});
  EXPECT_FALSE(rec->seed.has_value());
  Do(RecordFindings(As("RU"), kT + 9000, "RU-2", {{"US-ICBM-S1", "non_deployed", 0}}, false));
  EXPECT_EQ(Replay("RU-2")->Verdict(), "consistent");
  Add("RU", K(tlog::EntryKind::kRandomnessCommit), kT + 9500,
      EncodeCommit({"RU-2", RoundId("RU-2"), Hash32{}, Seen("US")}));
  EXPECT_THAT(Rejected("RU-2"),
              ::testing::ElementsAre(HasSubstr("Hill AFB storage is inspected whole")));
}

TEST_F(WorkflowTest, ATypeOneAtAnAirBaseChecksTheWholeSite) {
  Request("RU-5", "Barksdale AFB");
  Site("RU-5");
  auto rec = Replay("RU-5");
  ASSERT_TRUE(rec.ok()) << rec.error().message();
  EXPECT_TRUE(rec->whole_site);
  EXPECT_EQ(rec->designated, (std::vector<std::string>{"US-HB-1", "US-HB-2"}));
  Do(RecordFindings(As("RU"), kT + 9000, "RU-5", {{"US-HB-1", "deployed", 0}}, false));
  auto done = Replay("RU-5");
  ASSERT_EQ(done->discrepancies.size(), 1u);
  EXPECT_EQ(done->discrepancies[0].what, "designated item US-HB-2 was not observed");
}

TEST_F(WorkflowTest, EntriesOutOfOrderOrByTheWrongPartyAreRejected) {
  Designated("RU-1");
  Add("RU", K(tlog::EntryKind::kFinding), kT + 7302,
      EncodeFinding({"RU-1", Hash32{}, Seen("US")}));  // before the designated opening
  Add("US", K(tlog::EntryKind::kFinding), kT + 7600,
      EncodeFinding({"RU-1", Hash32{}, Seen("RU")}));  // findings by the inspected party
  Add("RU", K(tlog::EntryKind::kOpening), kT + 7700,
      EncodeOpening({"RU-1", OpeningPhase::kSite, Hash32{}, Seen("US")}));  // by the inspector
  Add("US", K(tlog::EntryKind::kRandomnessCommit), kT + 7800, "{\"inspection\":\"RU-1\"}");
  EXPECT_THAT(Rejected("RU-1"), ::testing::UnorderedElementsAre(
                                    HasSubstr("findings before the designated items were opened"),
                                    HasSubstr("findings by the inspected party US"),
                                    HasSubstr("an opening by the inspecting party RU"),
                                    HasSubstr("field 'format': expected a value, got nothing")));
}

}  // namespace
}  // namespace tally::inspection
