#include "tally/tlog/note.h"

#include <gtest/gtest.h>

#include "tally/crypto/encoding.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/cosignature.h"

namespace tally::tlog {
namespace {

// Vectors from golang.org/x/mod/sumdb/note/note_test.go.
constexpr char kPeterVkey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kPeterSkey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr char kEnochVkey[] = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr char kText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kPeterSig[] =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr char kEnochSig[] =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

TEST(Note, SignsLikeGo) {
  auto signer = Ed25519NoteSigner::FromSignerKey(kPeterSkey);
  ASSERT_TRUE(signer.ok()) << signer.error().message();
  EXPECT_EQ((*signer)->VerifierKey(), kPeterVkey);
  const NoteSigner* signers[] = {signer->get()};
  auto note = SignNote(kText, signers);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(*note, std::string(kText) + "\n" + kPeterSig);
  EXPECT_EQ(std::string(crypto::AsText((*signer)->SignerKey().bytes())), kPeterSkey);
}

TEST(Note, OpenAppliesTheSpecRules) {
  auto peter = ParseVerifierKey(kPeterVkey);
  auto enoch = ParseVerifierKey(kEnochVkey);
  ASSERT_TRUE(peter.ok() && enoch.ok());
  const std::string msg = std::string(kText) + "\n" + kPeterSig + kEnochSig;
  const NoteVerifier* only_peter[] = {peter->get()};
  auto n = OpenNote(msg, only_peter);
  ASSERT_TRUE(n.ok()) << n.error().message();
  EXPECT_EQ(n->note.text, kText);
  ASSERT_EQ(n->verified.size(), 1u);
  EXPECT_EQ(n->verified[0].key_id, 0xc74f20a3u);
  ASSERT_EQ(n->unverified.size(), 1u);
  const NoteVerifier* both[] = {peter->get(), enoch->get()};
  n = OpenNote(msg, both);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->verified.size(), 2u);
  // Duplicate lines from one key are dropped.
  n = OpenNote(std::string(kText) + "\n" + kPeterSig + kPeterSig, both);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->verified.size(), 1u);
  // A known key whose signature fails rejects the note.
  std::string bad = msg;
  bad[10] ^= 1;
  EXPECT_EQ(OpenNote(bad, both).error().code(), StatusCode::kVerificationFailed);
  // No known key: rejected.
  const NoteVerifier* only_enoch[] = {enoch->get()};
  EXPECT_EQ(OpenNote(std::string(kText) + "\n" + kPeterSig, only_enoch).error().code(),
            StatusCode::kVerificationFailed);
}

TEST(Note, RejectsMalformed) {
  auto peter = ParseVerifierKey(kPeterVkey);
  const NoteVerifier* k[] = {peter->get()};
  for (const std::string& m :
       {std::string(kText) + kPeterSig, std::string(kText) + "\n",
        std::string(kText) + "\n" + "- PeterNeumann AAAA\n",
        std::string(kText) + "\n" + std::string(kPeterSig).substr(0, 30),
        std::string("a\tb\n\n") + kPeterSig, std::string("a\xff\n\n") + kPeterSig}) {
    auto n = OpenNote(m, k);
    EXPECT_FALSE(n.ok()) << m;
  }
  std::string many = std::string(kText) + "\n";
  for (int i = 0; i < 101; ++i) many += kPeterSig;
  EXPECT_FALSE(ParseNote(many).ok());
}

TEST(VerifierKey, RejectsBadKeys) {
  EXPECT_FALSE(
      ParseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
          .ok());
  EXPECT_FALSE(
      ParseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").ok());
  EXPECT_FALSE(
      ParseVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").ok());
  EXPECT_FALSE(
      ParseVerifierKey("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").ok());
  EXPECT_FALSE(ParseVerifierKey("nothing").ok());
}

TEST(Cosignature, SignsAndVerifiesWithTimestamp) {
  auto w = CosignatureV1Signer::Generate("witness.example/w1", crypto::SystemRandom());
  ASSERT_TRUE(w.ok());
  auto v = ParseVerifierKey((*w)->VerifierKey());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*v)->type(), kKeyTypeCosignatureV1);
  const std::string text =
      "example.org/log\n5\n" + merkle::HashToBase64(merkle::EmptyRoot()) + "\n";
  auto sig = (*w)->Cosign(text, 1700000000);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->signature.size(), 72u);
  EXPECT_EQ(sig->Line().size(), std::string("\xE2\x80\x94 witness.example/w1 ").size() + 104 + 1);
  EXPECT_EQ(*CosignatureTimestamp(sig->signature), 1700000000u);
  EXPECT_TRUE((*v)->Verify(text, sig->signature));
  EXPECT_FALSE((*v)->Verify(text + "x\n", sig->signature));
  auto tampered = sig->signature;
  tampered[7] ^= 1;  // the timestamp is signed
  EXPECT_FALSE((*v)->Verify(text, tampered));
  EXPECT_FALSE((*w)->Cosign(text, uint64_t{1} << 63).ok());
  // Round trip of the signer key.
  auto again = CosignatureV1Signer::FromSignerKey(crypto::AsText((*w)->SignerKey().bytes()));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->VerifierKey(), (*w)->VerifierKey());
}

TEST(Checkpoint, ParsesAndFormats) {
  const std::string root = merkle::HashToBase64(merkle::EmptyRoot());
  auto c = ParseCheckpoint("example.org/log\n0\n" + root + "\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->size, 0u);
  EXPECT_EQ(c->root, merkle::EmptyRoot());
  EXPECT_EQ(c->Format(), "example.org/log\n0\n" + root + "\n");
  auto ext = ParseCheckpoint("o\n12\n" + root + "\nextra line\n");
  ASSERT_TRUE(ext.ok());
  EXPECT_EQ(ext->extensions, std::vector<std::string>{"extra line"});
  for (const std::string& bad : std::vector<std::string>{
           "o\n012\n" + root + "\n", "o\n-1\n" + root + "\n", std::string("o\n1\nAAAA\n"),
           "\n1\n" + root + "\n", "o\n1\n" + root, "o\n1\n",
           "o\n99999999999999999999\n" + root + "\n", "o\n1\n" + root + "\n\n",
           "o\n9223372036854775808\n" + root + "\n"}) {
    EXPECT_FALSE(ParseCheckpoint(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseCheckpoint("o\n9223372036854775807\n" + root + "\n").ok());
}

}  // namespace
}  // namespace tally::tlog
