// The escrow attack suite (issue 10): each test does, through the CLI, what a party that wants a
// declaration to say less than its arsenal would do — edit the published statement or an opening
// bundle, spell a document a second way, log a statement on a log that is not its own, build its
// own tree with chosen counts — and asserts the refusal and its named reason, with the honest
// flow beside it still verifying. docs/escrow.md ("Threat model") lists what each check stops.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/cli_runner.h"
#include "e2e/forge.h"
#include "e2e/inspection_fixture.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/categories.h"
#include "tally/escrow/record.h"
#include "tally/escrow/statement.h"
#include "tally/escrow/sum_tree.h"
#include "tally/tlog/entry.h"
#include "tally/treaty/treaty_set.h"

namespace tally::testing {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using ::testing::HasSubstr;

unsigned ModeOf(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_mode & 0777 : 0;
}

class EscrowAttackTest : public InspectionFixture {
 protected:
  std::string Statement() const { return Store() + "/declaration.json"; }
  // The honest opening of one facility, written by the declaring party.
  std::string OpenMinot() {
    const std::string out = File("minot.json");
    auto r = RunTally({"declaration", "open", Store(), "--facility", "Minot AFB", "--out", out});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return out;
  }
  CliResult Verify(const std::string& statement, const std::string& bundle) {
    return RunTally({"declaration", "verify", "--statement", statement, bundle});
  }
  // The statement with one field changed, in its canonical spelling (what a party would publish).
  std::string EditedStatement(const std::string& key, const json& value) {
    ordered_json st = ordered_json::parse(ReadAll(Statement()));
    st[key] = value;
    return work_.Write("edited-" + key + ".json", st.dump());
  }
  std::string EditedBundle(const std::string& bundle, const std::string& name,
                           const std::function<void(ordered_json&)>& edit) {
    ordered_json b = ordered_json::parse(ReadAll(bundle));
    edit(b);
    return work_.Write(name, b.dump(1) + "\n");
  }
};

// The honest flow the attacks are measured against: an opening verifies against the statement as
// published and as logged (under the network's key for the US log), and the bundle, which holds
// salts and full records, is written for the partner only.
TEST_F(EscrowAttackTest, TheHonestFlowVerifies) {
  const std::string minot = OpenMinot();
  EXPECT_EQ(ModeOf(minot), 0600u);
  auto v = Verify(Statement(), minot);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  auto prove = RunTally({"log", "prove", Log("us"), "--index", "0", "--bundle"});
  ASSERT_EQ(prove.exit_code, 0) << prove.err;
  const std::string proof = work_.Write("us.proof", prove.out);
  auto logged = RunTally({"declaration", "verify", "--proof", proof, minot}, "", Env());
  EXPECT_EQ(logged.exit_code, 0) << logged.err;
  EXPECT_THAT(logged.out, HasSubstr("statement: entry 0 of tally.example/us"));
  auto flag = RunTally({"declaration", "verify", "--proof", proof, "--network", Network(), minot});
  EXPECT_EQ(flag.exit_code, 0) << flag.err;
}

// Every statement field is bound by the root: a party that re-dates its declaration, or claims it
// was counted under another interpretation, or in another leaf order, publishes a root no opening
// of its tree reaches.
TEST_F(EscrowAttackTest, AnEditedStatementFieldNoLongerMatchesTheTree) {
  const std::string minot = OpenMinot();
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, json>>{{"as_of", "2020-03-01"},
                                                 {"interpretation", "conversions-not-confirmed"},
                                                 {"order", "input"}}) {
    auto v = Verify(EditedStatement(key, value), minot);
    EXPECT_EQ(v.exit_code, 1) << key << ": " << v.err;
    if (key == "as_of") {
      EXPECT_THAT(v.err, HasSubstr("bundle is for another declaration: it is dated as of"));
    } else if (key == "order") {
      EXPECT_THAT(v.err, HasSubstr("a statement field the root binds"));
    } else {
      // Counted under another reading, a leaf may already disagree with the rules; if not, the
      // root does.
      EXPECT_THAT(v.err, ::testing::AnyOf(HasSubstr("a statement field the root binds"),
                                          HasSubstr("the treaty's counting rules give")));
    }
  }
}

// The same re-dating done on the bundle: its `as_of` must be the statement's.
TEST_F(EscrowAttackTest, ABundleDatedOtherwiseThanItsStatementIsRefused) {
  const std::string b = EditedBundle(OpenMinot(), "redated.json", [](ordered_json& j) {
    j["declaration"]["as_of"] = "2021-03-01";
  });
  auto v = Verify(Statement(), b);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.err, HasSubstr("it is dated as of 2021-03-01, the statement as of"));
}

// One encoding: a key the format does not know is refused by name, in the statement and in every
// object of a bundle, never skipped (nothing unverified rides along in an accepted document).
TEST_F(EscrowAttackTest, UnknownKeysAreRefused) {
  const std::string minot = OpenMinot();
  auto st = Verify(EditedStatement("note", "verified by the other party"), minot);
  EXPECT_EQ(st.exit_code, 2);
  EXPECT_THAT(st.err, HasSubstr("field 'note': expected a known key"));
  for (const auto& [where, field] :
       std::vector<std::pair<std::string, std::string>>{{"", "note"},
                                                        {"declaration", "declaration.note"},
                                                        {"leaf", "note"},
                                                        {"path", "path.note"}}) {
    const std::string b = EditedBundle(minot, "unknown-" + field + ".json", [&](ordered_json& j) {
      if (where.empty()) j["note"] = 1;
      if (where == "declaration") j["declaration"]["note"] = 1;
      if (where == "leaf") j["opened"][0]["note"] = 1;
      if (where == "path") j["path"]["note"] = 1;
    });
    auto v = Verify(Statement(), b);
    EXPECT_EQ(v.exit_code, 2) << field;
    EXPECT_THAT(v.err, HasSubstr("field '" + field + "': expected a known key")) << field;
  }
}

// One encoding: upper-case hex, a repeated key, a missing field and a re-spelled statement are
// refused, each naming the field.
TEST_F(EscrowAttackTest, SecondSpellingsAndMissingFieldsAreRefused) {
  const std::string minot = OpenMinot();
  const std::string upper = EditedBundle(minot, "upper.json", [](ordered_json& j) {
    std::string salt = j["opened"][0]["salt"];
    std::transform(salt.begin(), salt.end(), salt.begin(), ::toupper);
    j["opened"][0]["salt"] = salt;
  });
  auto v = Verify(Statement(), upper);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_THAT(v.err, HasSubstr("field 'salt': expected 64 lower-case hex digits"));

  const std::string no_selection =
      EditedBundle(minot, "no-selection.json", [](ordered_json& j) { j.erase("selection"); });
  v = Verify(Statement(), no_selection);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_THAT(v.err, HasSubstr("field 'selection': expected a string"));

  // A repeated key: a plain JSON reader would keep one of the two roots silently.
  std::string text = ReadAll(Statement());
  const std::string party = "\"party\":\"US\",";
  text.replace(text.find(party), party.size(), party + "\"party\":\"RU\",");
  v = Verify(work_.Write("repeated.json", text), minot);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_THAT(v.err, HasSubstr("object key \"party\" appears twice"));

  ordered_json st = ordered_json::parse(ReadAll(Statement()));
  st.erase("pad_to");
  v = Verify(work_.Write("no-pad.json", st.dump()), minot);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_THAT(v.err, HasSubstr("field 'pad_to': expected an integer or null, got nothing"));

  // The same fields spelled with spaces: the statement is the log entry's payload, so two
  // spellings would be two entries for one declaration.
  v = Verify(work_.Write("spaced.json", ordered_json::parse(ReadAll(Statement())).dump(1)), minot);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_THAT(v.err, HasSubstr("expected the canonical encoding"));
  EXPECT_EQ(Verify(Statement(), minot).exit_code, 0);
}

// `declaration verify --proof` takes the network: a log the cheating party made with a fresh key
// under the US origin is not the US log, and a proof is never checked under a key found beside it.
TEST_F(EscrowAttackTest, AProofFromALogWithAFreshKeyIsRefused) {
  const std::string minot = OpenMinot();
  const std::string fake = work_.File("fake-us-log");
  ASSERT_EQ(RunTally({"log", "init", fake, "--origin", "tally.example/us"}).exit_code, 0);
  ASSERT_TRUE(ForgeEntry(fake, tlog::Entry{static_cast<uint16_t>(tlog::EntryKind::kDeclaration),
                                           "US", 1600560000, ReadAll(Statement())})
                  .ok());
  auto prove = RunTally({"log", "prove", fake, "--index", "0", "--bundle"});
  ASSERT_EQ(prove.exit_code, 0) << prove.err;
  const std::string proof = work_.Write("fake.proof", prove.out);
  auto v = RunTally({"declaration", "verify", "--proof", proof, minot}, "", Env());
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_THAT(v.err, HasSubstr("no signature by a known key"));
  // The fake log's own key, named by the user, is what the user chose to trust; nothing else is.
  auto none = RunTally({"declaration", "verify", "--proof", proof, "--network",
                        work_.File("no-such-network.toml"), minot});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("--network"));
}

// A statement in the US's name appended to Russia's log (which Russia's key signs): the entry is
// not on its party's log, so it is no US declaration.
TEST_F(EscrowAttackTest, AStatementOnAnotherPartysLogIsRefused) {
  const std::string minot = OpenMinot();
  ASSERT_TRUE(
      ForgeEntry(Log("ru"), tlog::Entry{static_cast<uint16_t>(tlog::EntryKind::kDeclaration), "US",
                                        1600560000, ReadAll(Statement())})
          .ok());
  auto prove = RunTally({"log", "prove", Log("ru"), "--index", "0", "--bundle"});
  ASSERT_EQ(prove.exit_code, 0) << prove.err;
  const std::string proof = work_.Write("ru.proof", prove.out);
  auto v = RunTally({"declaration", "verify", "--proof", proof, minot}, "", Env());
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.err, HasSubstr("entry of US on the log of RU (tally.example/ru): a declaration "
                               "counts only on its own party's log"));
}

// A non-deployed warhead hosted on a deployed missile would escape the deployed count (the issue's
// 2 x 132 warheads): tally refuses the inventory at load, in `check` and in `declare`.
TEST_F(EscrowAttackTest, ANonDeployedWarheadOnADeployedMissileIsRefused) {
  const std::string csv = work_.Write(
      "hidden.csv",
      "uid,party,kind,system,status,facility,equipment,host,capacity,range_km,tags,as_of\n"
      "M1,US,icbm,Minuteman III,deployed,Minot AFB,nuclear,,3,,,2020-09-01\n"
      "W1,US,warhead,Mk12A/W78,deployed,Minot AFB,nuclear,M1,,,,\n"
      "W2,US,warhead,Mk12A/W78,non_deployed,Minot AFB,nuclear,M1,,,,\n");
  auto c = RunTally({"check", "--treaty", "new-start", "--inventory", csv});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_THAT(c.err, HasSubstr("item W2: non_deployed warhead on deployed missile 'M1'"));
  auto d = RunTally({"declare", csv, "--out", work_.File("hidden-store")});
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_THAT(d.err, HasSubstr("counts as deployed"));
  // The same warhead taken off the missile (in storage) is declared.
  const std::string stored = work_.Write("stored.csv", [&] {
    std::string t = ReadAll(csv);
    t.replace(t.rfind(",M1,"), 4, ",,");
    return t;
  }());
  EXPECT_EQ(RunTally({"check", "--treaty", "new-start", "--inventory", stored}).exit_code, 0);
}

// START I: the first 150 US heavy bombers with long-range ALCMs are attributed 10 warheads, the
// rest the ALCMs they carry. A partial opening cannot show a bomber's rank, so it accepts either
// value; a full opening shows every bomber, and a tree built with each bomber at its lower value
// (here 6 instead of 10) is refused there.
TEST_F(EscrowAttackTest, StartOneAttributionCannotBeChosenInAFullOpening) {
  const std::string csv = work_.Write(
      "bombers.csv",
      "uid,party,kind,system,status,facility,equipment,host,capacity,range_km,tags,as_of\n"
      "B1,US,heavy_bomber,B-52H,deployed,Minot AFB,nuclear,,6,,long_range_alcm,1995-01-01\n"
      "B2,US,heavy_bomber,B-52H,deployed,Minot AFB,nuclear,,6,,long_range_alcm,\n"
      "B3,US,heavy_bomber,B-52H,deployed,Minot AFB,nuclear,,6,,long_range_alcm,\n");
  // Honest: declared, opened in full, verified.
  const std::string honest = work_.File("honest-store");
  ASSERT_EQ(RunTally({"declare", csv, "--treaty", "start-i", "--out", honest}).exit_code, 0);
  ASSERT_EQ(RunTally({"declaration", "open", honest, "--all", "--out", File("honest-all.json")})
                .exit_code,
            0);
  auto ok = Verify(honest + "/declaration.json", File("honest-all.json"));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;

  // The cheat builds its own tree (it needs no tally for that) with every bomber at 6.
  auto treaties = treaty::LoadDefaultTreaties();
  ASSERT_TRUE(treaties.ok());
  const treaty::Treaty& start = *treaties->Get("start-i").value();
  auto counter = escrow::Counter::Make(start, "");
  ASSERT_TRUE(counter.ok());
  const size_t k = counter->size();
  const auto& cats = counter->categories();
  const size_t warheads =
      std::find(cats.begin(), cats.end(), "accountable_warheads") - cats.begin();
  ASSERT_LT(warheads, k);
  escrow::Statement st;
  st.party = "US";
  st.treaty = "start-i";
  st.interpretation = counter->interpretation();
  st.as_of = *Date::Parse("1995-01-01");
  st.categories = cats;
  st.leaves = 3;
  st.order = "input";
  std::vector<escrow::Hash> hashes;
  std::vector<uint64_t> counts;
  escrow::Bundle b;
  for (int i = 0; i < 3; ++i) {
    escrow::OpenedLeaf l;
    l.index = static_cast<uint64_t>(i);
    l.record.item.uid = "B" + std::to_string(i + 1);
    l.record.item.party = "US";
    l.record.item.kind = model::ItemKind::kHeavyBomber;
    l.record.item.system = "B-52H";
    l.record.item.facility = "Minot AFB";
    l.record.item.capacity = 6;
    l.record.item.tags = {"long_range_alcm"};
    escrow::Counts low, high;
    counter->Bounds(l.record.item, low, high);
    l.counts = low;  // every bomber at its lower value
    ASSERT_EQ(l.counts[warheads], 6u);
    l.salt.fill(static_cast<uint8_t>(i + 1));
    std::string record;
    ASSERT_TRUE(escrow::EncodeItemRecord(l.record.item, record).ok());
    l.commitment = escrow::SumLeafHash(l.salt, l.counts, record);
    hashes.push_back(l.commitment);
    counts.insert(counts.end(), l.counts.begin(), l.counts.end());
    b.opened.push_back(l);
  }
  auto tree = escrow::SumTree::Build(hashes, counts, k);
  ASSERT_TRUE(tree.ok());
  st.totals.assign(tree->root_counts().begin(), tree->root_counts().end());
  st.root = escrow::BindRoot(st, tree->root_hash());
  b.party = st.party;
  b.treaty = st.treaty;
  b.as_of = st.as_of;
  b.leaves = st.leaves;
  b.categories = st.categories;
  b.root = st.root;
  b.selection = "all";
  b.subtotals = st.totals;
  const std::vector<uint64_t> all = {0, 1, 2};
  b.path = tree->Prove(all).value();
  const std::string forged_st = work_.Write("forged-st.json", escrow::StatementToJson(st));
  const std::string forged_all = work_.Write("forged-all.json", escrow::BundleToJson(b));
  auto v = Verify(forged_st, forged_all);
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_THAT(v.err,
              HasSubstr("leaf 0 (B1): counts accountable_warheads=6, but in this full opening "
                        "the treaty's attribution by UID rank gives it 10"));
  // A partial opening of the same tree cannot tell (what remains, docs/escrow.md).
  escrow::Bundle one = b;
  one.opened.resize(1);
  one.subtotals = one.opened[0].counts;
  one.selection = "uid=B1";
  one.path = tree->Prove(std::vector<uint64_t>{0}).value();
  auto partial = Verify(forged_st, work_.Write("forged-one.json", escrow::BundleToJson(one)));
  EXPECT_EQ(partial.exit_code, 0) << partial.err;
}

}  // namespace
}  // namespace tally::testing
