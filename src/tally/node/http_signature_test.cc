#include "tally/node/http_signature.h"

#include <gtest/gtest.h>

namespace tally::node {
namespace {

struct Fixture {
  std::unique_ptr<tlog::Ed25519NoteSigner> us, ru;
  std::unique_ptr<Trust> trust;
  Fixture() {
    us = std::move(
        *tlog::Ed25519NoteSigner::Generate("tally.example/us/node", crypto::SystemRandom()));
    ru = std::move(
        *tlog::Ed25519NoteSigner::Generate("tally.example/ru/node", crypto::SystemRandom()));
    auto lus = *tlog::Ed25519NoteSigner::Generate("tally.example/us", crypto::SystemRandom());
    auto lru = *tlog::Ed25519NoteSigner::Generate("tally.example/ru", crypto::SystemRandom());
    const std::string text =
        "format = \"tally-network/1\"\nname = \"t\"\n"
        "[[parties]]\nid = \"US\"\norigin = \"tally.example/us\"\nlog_key = \"" +
        lus->VerifierKey() + "\"\nnode_key = \"" + us->VerifierKey() +
        "\"\n[[parties]]\nid = \"RU\"\norigin = \"tally.example/ru\"\nlog_key = \"" +
        lru->VerifierKey() + "\"\nnode_key = \"" + ru->VerifierKey() + "\"\n";
    auto t = Trust::Parse(text, "network.toml");
    EXPECT_TRUE(t.ok()) << t.error().message();
    trust = std::move(*t);
  }
  server::HttpRequest Signed(const tlog::NoteSigner& key, const std::string& party, int64_t now,
                             const std::string& body = "document") {
    server::HttpRequest r;
    r.method = "POST";
    r.path = "/inbox/" + party;
    r.body = body;
    SignRequest(key, party, now, r.method, r.path, r.body, r.headers);
    return r;
  }
};

TEST(HttpSignature, AcceptsASignedRequestOnceAndNamesTheParty) {
  Fixture f;
  NonceCache nonces;
  auto req = f.Signed(*f.us, "US", 1000);
  auto v = VerifyRequest(req, *f.trust, 1000, 900, nonces);
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->party, "US");
  // The same request again is a replay.
  EXPECT_FALSE(VerifyRequest(req, *f.trust, 1001, 900, nonces).ok());
}

TEST(HttpSignature, RefusesUnsignedTamperedStaleAndForeignRequests) {
  Fixture f;
  NonceCache nonces;
  server::HttpRequest unsigned_req;
  unsigned_req.method = "POST";
  unsigned_req.path = "/inbox/US";
  EXPECT_FALSE(VerifyRequest(unsigned_req, *f.trust, 1000, 0, nonces).ok());
  auto body = f.Signed(*f.us, "US", 1000);
  body.body = "other document";
  EXPECT_FALSE(VerifyRequest(body, *f.trust, 1000, 0, nonces).ok());
  auto path = f.Signed(*f.us, "US", 1000);
  path.path = "/inbox/RU";
  EXPECT_FALSE(VerifyRequest(path, *f.trust, 1000, 0, nonces).ok());
  // RU's key claiming to be US: the signature does not verify under US's node key.
  auto impostor = f.Signed(*f.ru, "US", 1000);
  EXPECT_FALSE(VerifyRequest(impostor, *f.trust, 1000, 0, nonces).ok());
  // Too old, too new, or from before the node started.
  EXPECT_FALSE(VerifyRequest(f.Signed(*f.us, "US", 1000), *f.trust, 1000 + 301, 0, nonces).ok());
  EXPECT_FALSE(VerifyRequest(f.Signed(*f.us, "US", 1400), *f.trust, 1000, 0, nonces).ok());
  EXPECT_FALSE(VerifyRequest(f.Signed(*f.us, "US", 1000), *f.trust, 1000, 1001, nonces).ok());
  // An unknown party.
  auto unknown = f.Signed(*f.us, "CN", 1000);
  EXPECT_FALSE(VerifyRequest(unknown, *f.trust, 1000, 0, nonces).ok());
}

TEST(HttpSignature, ParsesOnlyTheStrictForm) {
  auto p = ParseSignatureInput(
      "tally=(\"@method\" \"@path\" \"content-digest\");created=5;nonce=\"abcdefghijklmnop\";"
      "keyid=\"US\";alg=\"ed25519\"");
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->components.size(), 3u);
  EXPECT_EQ(p->created, 5);
  for (const char* bad :
       {"", "sig1=(\"@method\");created=1;nonce=\"a\";keyid=\"US\"", "tally=(\"@method\"",
        "tally=(\"@method\");created=x;nonce=\"a\";keyid=\"US\"",
        "tally=(\"@method\");created=1;created=2;nonce=\"a\";keyid=\"US\"",
        "tally=(\"@method\");created=1;nonce=\"a\";keyid=\"US\";expires=3",
        "tally=(\"@method\");nonce=\"a\";keyid=\"US\"",
        "tally=(\"a\\\"b\");created=1;nonce=\"a\";keyid=\"U\""}) {
    EXPECT_FALSE(ParseSignatureInput(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace tally::node
