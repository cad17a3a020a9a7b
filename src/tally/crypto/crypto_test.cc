#include <gtest/gtest.h>

#include <string>

#include "tally/crypto/ed25519.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/random.h"
#include "tally/crypto/secret_bytes.h"
#include "tally/crypto/sha256.h"

namespace tally::crypto {
namespace {

std::string Hex(const Sha256Digest& d) { return HexEncode(d); }

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Hex(Sha256Of(std::string_view(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256Of(std::string_view("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.Update(std::string_view("ab"));
  h.Update(uint8_t{'c'});
  EXPECT_EQ(Hex(h.Final()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, PrefixedFastPathMatchesIncrementalForEveryLength) {
  std::string data;
  for (int len = 0; len < 300; ++len) {
    Sha256 h;
    h.Update(uint8_t{0x42});
    h.Update(data);
    EXPECT_EQ(Sha256Prefixed(0x42, AsBytes(data)), h.Final()) << "length " << len;
    data.push_back(static_cast<char>(len * 7 + 1));
  }
  Sha256Digest a, b;
  for (int i = 0; i < 32; ++i) {
    a[i] = static_cast<uint8_t>(i);
    b[i] = static_cast<uint8_t>(255 - i);
  }
  Sha256 h;
  h.Update(uint8_t{1});
  h.Update(a);
  h.Update(b);
  EXPECT_EQ(Sha256Prefixed(1, a, b), h.Final());
}

TEST(Sha256, InterleavedPairMatchesOneAtATime) {
  uint8_t data[4][32];
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 4; ++i) {
      for (int j = 0; j < 32; ++j) data[i][j] = static_cast<uint8_t>(round * 31 + i * 7 + j * 13);
    }
    Sha256Digest x, y, a, b;
    std::copy(data[0], data[0] + 32, a.begin());
    std::copy(data[1], data[1] + 32, b.begin());
    const uint8_t prefix = static_cast<uint8_t>(round & 1);
    Sha256Prefixed65Pair(prefix, data[0], data[1], data[2], data[3], x, y);
    EXPECT_EQ(x, Sha256Prefixed(prefix, a, b));
    Sha256 h;
    h.Update(prefix);
    h.Update(std::span<const uint8_t>(data[2], 32));
    h.Update(std::span<const uint8_t>(data[3], 32));
    EXPECT_EQ(y, h.Final());
  }
}

TEST(Base64, Rfc4648Vectors) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Base64Encode(std::string_view(plain[i])), enc[i]);
    auto d = Base64Decode(enc[i]);
    ASSERT_TRUE(d.ok()) << enc[i];
    EXPECT_EQ(std::string(AsText(*d)), plain[i]);
  }
}

TEST(Base64, RejectsMalformedAndNonCanonical) {
  for (const char* bad :
       {"Zg=", "Zg", "Z===", "Zh==", "Zm9=", "Zm 9", "Zm9v\n", "=Zm9", "Zg==Zg=="}) {
    EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
  }
}

TEST(Hex, RoundTripAndErrors) {
  const uint8_t bytes[] = {0x00, 0xab, 0xff, 0x10};
  EXPECT_EQ(HexEncode(bytes), "00abff10");
  auto d = HexDecode("00ABff10");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, std::vector<uint8_t>(bytes, bytes + 4));
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

TEST(Ed25519, Rfc8032TestVector1) {
  auto seed = HexDecode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  ASSERT_TRUE(seed.ok());
  auto key = Ed25519PrivateKey::FromSeed(*seed);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(HexEncode(key->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto sig = key->Sign({});
  EXPECT_EQ(HexEncode(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Ed25519Verify(key->public_key(), {}, sig));
  sig[0] ^= 1;
  EXPECT_FALSE(Ed25519Verify(key->public_key(), {}, sig));
  EXPECT_FALSE(Ed25519Verify(key->public_key(), {}, std::span<const uint8_t>(sig).first(63)));
}

TEST(Ed25519, GeneratedKeysSignAndVerify) {
  auto key = Ed25519PrivateKey::Generate();
  auto other = Ed25519PrivateKey::Generate();
  EXPECT_NE(key.public_key(), other.public_key());
  auto sig = key.Sign(AsBytes("message"));
  EXPECT_TRUE(Ed25519Verify(key.public_key(), AsBytes("message"), sig));
  EXPECT_FALSE(Ed25519Verify(key.public_key(), AsBytes("messagf"), sig));
  EXPECT_FALSE(Ed25519Verify(other.public_key(), AsBytes("message"), sig));
  EXPECT_FALSE(Ed25519PrivateKey::FromSeed(std::vector<uint8_t>(31)).ok());
}

TEST(SecretBytes, MoveLeavesSourceEmptyAndClearWipes) {
  const uint8_t raw[] = {1, 2, 3};
  SecretBytes a(raw);
  SecretBytes b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the promise under test
  EXPECT_EQ(b.size(), 3u);
  SecretBytes c = b.Clone();
  EXPECT_TRUE(b == c);
  c.Clear();
  EXPECT_TRUE(c.empty());
  EXPECT_FALSE(b == c);
}

TEST(Random, SystemRandomFillsDistinctBuffers) {
  std::vector<uint8_t> a(32), b(32);
  SystemRandom().Fill(a);
  SystemRandom().Fill(b);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace tally::crypto
