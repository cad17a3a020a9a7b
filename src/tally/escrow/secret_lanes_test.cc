// The batch salts of a declaration secret (two HMAC lanes from precomputed pad states,
// crypto/sha256_lanes.h) are the single ones.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tally/crypto/random.h"
#include "tally/escrow/secret.h"

namespace tally::escrow {
namespace {

class PatternRandom : public crypto::RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(3 * i + 11);
  }
};

// The batch salts (two HMAC lanes from precomputed pad states) are the single ones, for odd and
// even counts and for UIDs longer than one block.
TEST(SecretLanesTest, BatchSaltsEqualSingleSalts) {
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
