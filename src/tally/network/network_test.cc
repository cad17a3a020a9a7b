#include "tally/network/network.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tally/crypto/random.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/cosignature.h"

namespace tally::network {
namespace {

using ::testing::HasSubstr;

struct Keys {
  std::unique_ptr<tlog::Ed25519NoteSigner> log;
  std::unique_ptr<tlog::CosignatureV1Signer> witness;
};

Keys MakeKeys(const std::string& origin) {
  crypto::SeededRandom random(origin);
  return {std::move(*tlog::Ed25519NoteSigner::Generate(origin, random)),
          std::move(*tlog::CosignatureV1Signer::Generate(origin + "/witness", random))};
}

class NetworkTest : public ::testing::Test {
 protected:
  NetworkTest() : us_(MakeKeys("tally.example/us")), ru_(MakeKeys("tally.example/ru")) {
    crypto::SeededRandom random("third");
    third_ = std::move(*tlog::CosignatureV1Signer::Generate("tally.example/witness", random));
  }

  Description Two(uint64_t k = 0) const {
    Description d;
    d.name = "test";
    d.treaty = "new-start";
    d.cosignatures = k;
    d.parties.push_back(
        {"US", "tally.example/us", us_.log->VerifierKey(), us_.witness->VerifierKey(), "", ""});
    d.parties.push_back({"RU", "tally.example/ru", ru_.log->VerifierKey(),
                         ru_.witness->VerifierKey(), "", "http://127.0.0.1:8402/"});
    d.witnesses.push_back({"tally.example/witness", third_->VerifierKey(), ""});
    return d;
  }

  std::string Checkpoint(const tlog::NoteSigner& signer, const std::string& origin) const {
    tlog::Checkpoint c{origin, 3, merkle::EmptyRoot(), {}};
    const tlog::NoteSigner* signers[] = {&signer};
    return *tlog::SignNote(c.Format(), signers);
  }
  static std::string Cosign(const std::string& note, const tlog::CosignatureV1Signer& w,
                            uint64_t t) {
    auto parsed = tlog::ParseNote(note);
    return note + w.Cosign(parsed->text, t)->Line();
  }

  Keys us_, ru_;
  std::unique_ptr<tlog::CosignatureV1Signer> third_;
};

TEST_F(NetworkTest, RoundTripsThroughItsCanonicalText) {
  auto n = Network::Make(Two(1), "t");
  ASSERT_TRUE(n.ok()) << n.error().message();
  auto again = Network::Parse(n->ToToml(), "net.toml");
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(again->ToToml(), n->ToToml());
  EXPECT_EQ(again->FindByOrigin("tally.example/ru")->id, "RU");
  EXPECT_EQ(again->WitnessesOf("tally.example/us").size(), 2u);  // RU's and the third party's
}

TEST_F(NetworkTest, AcceptsOnlyTheOriginsOwnKey) {
  auto n = Network::Make(Two(), "t");
  ASSERT_TRUE(n.ok());
  auto ok = n->VerifyCheckpoint(Checkpoint(*us_.log, "tally.example/us"));
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->owner->id, "US");
  // A RU checkpoint signed with the US key: the US key is pinned, but not for this origin.
  auto forged = n->VerifyCheckpoint(Checkpoint(*us_.log, "tally.example/ru"));
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().code(), StatusCode::kVerificationFailed);
  // A fresh key named after the origin is not the pinned one.
  auto fresh = MakeKeys("tally.example/ru-2");
  crypto::SeededRandom random("impostor");
  auto impostor = tlog::Ed25519NoteSigner::Generate("tally.example/ru", random);
  EXPECT_FALSE(n->VerifyCheckpoint(Checkpoint(**impostor, "tally.example/ru")).ok());
  // An origin no party has.
  auto unknown = n->VerifyCheckpoint(Checkpoint(*fresh.log, "tally.example/ru-2"));
  EXPECT_EQ(unknown.error().code(), StatusCode::kNotFound);
}

TEST_F(NetworkTest, CountsCosignaturesOnlyByTheLogsWitnesses) {
  auto n = Network::Make(Two(2), "t");
  ASSERT_TRUE(n.ok()) << n.error().message();
  const std::string cp = Checkpoint(*us_.log, "tally.example/us");
  EXPECT_FALSE(n->VerifyCheckpoint(cp).ok());
  const std::string one = Cosign(cp, *ru_.witness, 100);
  EXPECT_FALSE(n->VerifyCheckpoint(one).ok());
  // The owner's own witness key does not witness its own log.
  EXPECT_FALSE(n->VerifyCheckpoint(Cosign(one, *us_.witness, 101)).ok());
  // An unknown witness is ignored, so it does not help either.
  crypto::SeededRandom random("stranger");
  auto stranger = tlog::CosignatureV1Signer::Generate("stranger.example", random);
  EXPECT_FALSE(n->VerifyCheckpoint(Cosign(one, **stranger, 102)).ok());
  auto two = n->VerifyCheckpoint(Cosign(one, *third_, 103));
  ASSERT_TRUE(two.ok()) << two.error().message();
  ASSERT_EQ(two->opened.cosigners.size(), 2u);
  EXPECT_EQ(two->opened.cosigners[1].timestamp, 103u);
  EXPECT_TRUE(n->VerifyCheckpoint(cp, 0).ok());  // a local check may lower k
}

TEST_F(NetworkTest, RefusesFilesThatBreakARuleNamingTheLine) {
  auto n = Network::Make(Two(), "t");
  std::string text = n->ToToml();
  // The RU log key named after the US origin.
  std::string swapped = text;
  const std::string ru_key = ru_.log->VerifierKey();
  swapped.replace(swapped.find(ru_key), ru_key.size(), us_.log->VerifierKey());
  auto s = Network::Parse(swapped, "net.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(), HasSubstr("net.toml:"));
  EXPECT_THAT(s.error().message(), HasSubstr("parties[1].log_key"));
  // Unknown keys, too many cosignatures, a witness key where a log key belongs.
  EXPECT_FALSE(Network::Parse(text + "extra = 1\n", "net.toml").ok());
  auto k = Network::Make(Two(4), "t");
  ASSERT_FALSE(k.ok());
  EXPECT_THAT(k.error().message(), HasSubstr("policy.cosignatures"));
  Description d = Two();
  d.parties[0].log_key = d.parties[0].witness_key;
  EXPECT_FALSE(Network::Make(d, "t").ok());
  d = Two();
  d.parties[1].id = "US";
  EXPECT_FALSE(Network::Make(d, "t").ok());
  d = Two();
  d.parties[1].node_key = ru_.log->VerifierKey();  // one key in two roles
  EXPECT_FALSE(Network::Make(d, "t").ok());
  EXPECT_FALSE(Network::Parse("format = \"tally-network/2\"\nname = \"x\"\n", "n").ok());
}

}  // namespace
}  // namespace tally::network
