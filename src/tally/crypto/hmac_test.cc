#include "tally/crypto/hmac.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tally/crypto/encoding.h"
#include "tally/crypto/hkdf.h"

namespace tally::crypto {
namespace {

std::vector<uint8_t> Hex(std::string_view s) { return HexDecode(s).value(); }

// RFC 4231 test cases 1, 2, 6 (a key longer than the block).
TEST(HmacSha256Test, Rfc4231Vectors) {
  EXPECT_EQ(
      HexEncode(HmacSha256(Hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), AsBytes("Hi There"))),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const std::vector<uint8_t> long_key(131, 0xaa);
  EXPECT_EQ(HexEncode(HmacSha256(
                long_key, AsBytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256Test, KeyObjectIsReusableAndSplitsMessages) {
  const HmacSha256Key key(AsBytes("Jefe"));
  const auto whole = key.Mac(AsBytes("what do ya want for nothing?"));
  EXPECT_EQ(key.Mac(AsBytes("what do ya "), AsBytes("want for nothing?")), whole);
  EXPECT_EQ(key.Mac(AsBytes("what do ya want for nothing?")), whole);
  EXPECT_NE(key.Mac(AsBytes("what do ya want for nothing!")), whole);
}

// RFC 5869 test cases 1 and 3.
TEST(HkdfTest, Rfc5869Vectors) {
  const auto ikm = Hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const auto prk = HkdfExtract(Hex("000102030405060708090a0b0c"), ikm);
  EXPECT_EQ(HexEncode(prk.bytes()),
            "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  auto okm = HkdfExpand(prk.bytes(), Hex("f0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(HexEncode(okm->bytes()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  auto okm3 = Hkdf({}, ikm, {}, 42);
  ASSERT_TRUE(okm3.ok());
  EXPECT_EQ(HexEncode(okm3->bytes()),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(HkdfTest, RejectsTooLongOutput) {
  EXPECT_FALSE(HkdfExpand(std::vector<uint8_t>(32, 1), {}, 255 * 32 + 1).ok());
  EXPECT_TRUE(HkdfExpand(std::vector<uint8_t>(32, 1), {}, 255 * 32).ok());
}

}  // namespace
}  // namespace tally::crypto
