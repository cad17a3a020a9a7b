#include "tally/escrow/lane_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tally/crypto/random.h"
#include "tally/crypto/sha256.h"
#include "tally/escrow/secret.h"

namespace tally::escrow {
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
TEST(LaneHashTest, MatchesSha256ForEveryShortLength) {
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

class PatternRandom : public crypto::RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(3 * i + 11);
  }
};

// The batch salts (two HMAC lanes from precomputed pad states) are the single ones, for odd and
// even counts and for UIDs longer than one block.
TEST(LaneHashTest, BatchSaltsEqualSingleSalts) {
  PatternRandom r;
  const DeclarationSecret secret = DeclarationSecret::Generate(r);
  std::vector<std::string> uids;
  for (size_t i = 0; i < 41; ++i) uids.push_back("US-ICBM-" + std::string(i * 3, 'x'));
  std::vector<std::string_view> views(uids.begin(), uids.end());
  std::vector<Salt> out(uids.size());
  secret.ItemSalts(views, out.data());
  for (size_t i = 0; i < uids.size(); ++i) EXPECT_EQ(out[i], secret.ItemSalt(uids[i])) << i;
  std::vector<Salt> dummies(5);
  secret.DummySalts(100, 5, dummies.data());
  for (uint64_t i = 0; i < 5; ++i) EXPECT_EQ(dummies[i], secret.DummySalt(100 + i)) << i;
}

}  // namespace
}  // namespace tally::escrow
