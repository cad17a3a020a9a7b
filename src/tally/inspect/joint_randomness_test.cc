// Test vectors come from tests/interop/sampler_reference.py, an independent implementation of
// docs/formats/joint-randomness.md in Python's standard library.
#include "tally/inspect/joint_randomness.h"

#include <gtest/gtest.h>

#include "tally/crypto/encoding.h"
#include "tally/inspect/sampler.h"

namespace tally::inspect {
namespace {

Secret Bytes(uint8_t start, bool constant = false) {
  Secret s;
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(constant ? start : start + i);
  return s;
}

std::string Hex(const std::array<uint8_t, 32>& d) { return crypto::HexEncode(d); }

const char kRound[] = "2026/type-one/1";

Round ThreeParties(int64_t deadline = 1000) {
  RoundSpec spec{kRound, {"US", "RU", "CN"}, deadline, {}};
  spec.beacon.fill(0xAB);
  return *Round::Create(spec);
}

TEST(JointRandomnessTest, CommitmentsAndSeedMatchReference) {
  EXPECT_EQ(Hex(CommitmentFor(kRound, "US", Bytes(0))),
            "d591d09305f49308f57b6ff77a73e94d5e83d4ca21ec129968b07946919babfe");
  EXPECT_EQ(Hex(CommitmentFor(kRound, "RU", Bytes(32))),
            "15f8d92067725b59e7761e8d83d0b37cb9a4fa3ac7f83265bbcb389ba409a49c");
  EXPECT_EQ(Hex(CommitmentFor(kRound, "CN", Bytes(7, true))),
            "1a34a31486e795b3645efd19e9b54ddd7413783255e3b539bf1626bf24f1de8c");
  Round r = ThreeParties();
  // Log order does not matter for the seed.
  ASSERT_TRUE(r.Commit("RU", CommitmentFor(kRound, "RU", Bytes(32)), 1).ok());
  ASSERT_TRUE(r.Commit("US", CommitmentFor(kRound, "US", Bytes(0)), 2).ok());
  ASSERT_TRUE(r.Commit("CN", CommitmentFor(kRound, "CN", Bytes(7, true)), 3).ok());
  ASSERT_TRUE(r.Reveal("CN", Bytes(7, true), 4).ok());
  ASSERT_TRUE(r.Reveal("US", Bytes(0), 5).ok());
  EXPECT_EQ(r.Finish(6).error().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(r.Reveal("RU", Bytes(32), 6).ok());
  auto outcome = r.Finish(7);
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->fallback);
  EXPECT_EQ(Hex(outcome->seed), "3463162a56385a561478d1236530c04c1eb67eca6beabfa55cbd2af12406b6d7");
}

TEST(JointRandomnessTest, SecretChangedAfterCommitmentIsDetected) {
  Round r = ThreeParties();
  for (auto [p, s] : {std::pair{"US", Bytes(0)}, {"RU", Bytes(32)}, {"CN", Bytes(7, true)}}) {
    ASSERT_TRUE(r.Commit(p, CommitmentFor(kRound, p, s), 1).ok());
  }
  Secret changed = Bytes(32);
  changed[31] ^= 1;
  Status s = r.Reveal("RU", changed, 2);
  EXPECT_EQ(s.code(), StatusCode::kVerificationFailed);
  EXPECT_NE(s.message().find("does not match its commitment"), std::string::npos);
  // Nothing half-applied: the honest reveal still goes through afterwards.
  EXPECT_TRUE(r.Reveal("RU", Bytes(32), 3).ok());
}

TEST(JointRandomnessTest, OrderingRulesAreEnforced) {
  Round r = ThreeParties();
  ASSERT_TRUE(r.Commit("US", CommitmentFor(kRound, "US", Bytes(0)), 1).ok());
  Status early = r.Reveal("US", Bytes(0), 2);
  EXPECT_NE(early.message().find("before every commitment is logged (missing: CN, RU)"),
            std::string::npos);
  EXPECT_FALSE(r.Commit("US", CommitmentFor(kRound, "US", Bytes(1)), 2).ok());
  EXPECT_FALSE(r.Commit("FR", CommitmentFor(kRound, "FR", Bytes(1)), 2).ok());
  ASSERT_TRUE(r.Commit("RU", CommitmentFor(kRound, "RU", Bytes(32)), 3).ok());
  ASSERT_TRUE(r.Commit("CN", CommitmentFor(kRound, "CN", Bytes(7, true)), 3).ok());
  ASSERT_TRUE(r.Reveal("US", Bytes(0), 4).ok());
  EXPECT_FALSE(r.Reveal("US", Bytes(0), 5).ok());
  EXPECT_FALSE(r.Commit("CN", CommitmentFor(kRound, "CN", Bytes(7, true)), 5).ok());
  EXPECT_FALSE(r.Reveal("RU", Bytes(32), 5000).ok());  // after the deadline
  EXPECT_FALSE(Round::Create({"", {"US"}, 0, {}}));
  EXPECT_FALSE(Round::Create({"r", {"US", "US"}, 0, {}}));
  EXPECT_FALSE(Round::Create({"r", {"U S"}, 0, {}}));
}

TEST(JointRandomnessTest, RefusalFallsBackToBeaconAndIsRecorded) {
  Round r = ThreeParties(100);
  for (auto [p, s] : {std::pair{"US", Bytes(0)}, {"RU", Bytes(32)}, {"CN", Bytes(7, true)}}) {
    ASSERT_TRUE(r.Commit(p, CommitmentFor(kRound, p, s), 1).ok());
  }
  ASSERT_TRUE(r.Reveal("US", Bytes(0), 2).ok());
  EXPECT_FALSE(r.Finish(100));  // still within the deadline
  auto outcome = r.Finish(101);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->fallback);
  EXPECT_EQ(outcome->refused, (std::vector<std::string>{"CN", "RU"}));
  EXPECT_EQ(Hex(outcome->seed), "b8662f747683e7448e7638fb666820db6b16f68a61c1b0f95ff836d752d16fb7");
}

TEST(SamplerTest, SelectionsMatchReference) {
  Seed seed{};
  auto bytes =
      *crypto::HexDecode("3463162a56385a561478d1236530c04c1eb67eca6beabfa55cbd2af12406b6d7");
  std::copy(bytes.begin(), bytes.end(), seed.begin());
  EXPECT_EQ(*SelectIndices(seed, "sites", 12, 3), (std::vector<uint64_t>{0, 6, 9}));
  EXPECT_EQ(*SelectIndices(seed, "items/Minot", 150, 5),
            (std::vector<uint64_t>{32, 19, 125, 56, 126}));
  EXPECT_EQ(*SelectIndices(seed, "items", 10'000'000, 4),
            (std::vector<uint64_t>{7338232, 9718964, 2143733, 148564}));
  EXPECT_EQ(*SelectIndices(Seed{}, "x", 5, 5), (std::vector<uint64_t>{3, 1, 4, 2, 0}));
  EXPECT_FALSE(SelectIndices(seed, "x", 3, 4));
}

TEST(SamplerTest, IdentifiersAreSortedFirstSoLocalOrderDoesNotMatter) {
  Seed seed{};
  seed[0] = 1;
  std::vector<std::string> a = {"MM3-0003", "MM3-0001", "MM3-0002", "MM3-0004"};
  std::vector<std::string> b = {"MM3-0004", "MM3-0002", "MM3-0001", "MM3-0003"};
  EXPECT_EQ(*SelectIdentifiers(seed, "items", a, 2), *SelectIdentifiers(seed, "items", b, 2));
  EXPECT_FALSE(SelectIdentifiers(seed, "items", {"A", "A"}, 1));
}

TEST(SamplerTest, BelowIsUniform) {
  Seed seed{};
  Sampler s(seed, "uniformity");
  int counts[6] = {};
  for (int i = 0; i < 60000; ++i) ++counts[s.Below(6)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);
}

}  // namespace
}  // namespace tally::inspect
