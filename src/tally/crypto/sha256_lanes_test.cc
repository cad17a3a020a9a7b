#include "tally/crypto/sha256_lanes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tally/crypto/sha256.h"

namespace tally::crypto {
namespace {

std::string Message(size_t n, uint8_t seed) {
  std::string m(n, '\0');
  for (size_t i = 0; i < n; ++i) m[i] = static_cast<char>(seed + 31 * i + (i >> 3));
  return m;
}

crypto::Sha256Digest LaneSha(const std::string& m) {
  ShaMessage msg;
  msg.Append(m);
  const size_t blocks = msg.Pad(0);
  ShaState s = ShaInitial();
  ShaCompress(s, msg.data(), blocks);
  return ShaDigest(s);
}

// Every length across the one-, two- and three-block padding boundaries, one lane and two lanes
// of different lengths, against the crypto module's SHA-256.
TEST(Sha256LanesTest, MatchesSha256ForEveryShortLength) {
  for (size_t n = 0; n < 300; ++n) {
    const std::string a = Message(n, 1), b = Message((n * 7) % 301, 2);
    EXPECT_EQ(LaneSha(a), crypto::Sha256Of(a)) << n;
    ShaMessage ma, mb;
    ma.Append(a);
    mb.Append(b);
    const size_t na = ma.Pad(0), nb = mb.Pad(0);
    ShaState sa = ShaInitial(), sb = ShaInitial();
    ShaCompress2(sa, ma.data(), na, sb, mb.data(), nb);
    EXPECT_EQ(ShaDigest(sa), crypto::Sha256Of(a)) << n;
    EXPECT_EQ(ShaDigest(sb), crypto::Sha256Of(b)) << n;
  }
}

}  // namespace
}  // namespace tally::crypto
