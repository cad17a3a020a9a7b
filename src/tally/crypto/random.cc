#include "tally/crypto/random.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tally/crypto/sha256.h"

namespace tally::crypto {
namespace {

class OsRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    EnsureSodium();
    randombytes_buf(out.data(), out.size());
  }
};

}  // namespace

void EnsureSodium() {
  static const bool ok = [] { return sodium_init() >= 0; }();
  if (!ok) {
    std::fprintf(stderr, "tally: libsodium failed to initialise\n");
    std::abort();
  }
}

void SeededRandom::Fill(std::span<uint8_t> out) {
  for (uint8_t& b : out) {
    if (used_ == sizeof block_) {
      Sha256 h;
      h.Update(seed_);
      uint8_t c[8];
      for (int i = 0; i < 8; ++i) c[i] = static_cast<uint8_t>(counter_ >> (56 - 8 * i));
      h.Update(std::span<const uint8_t>(c, 8));
      const Sha256Digest d = h.Final();
      std::memcpy(block_, d.data(), sizeof block_);
      ++counter_;
      used_ = 0;
    }
    b = block_[used_++];
  }
}

RandomSource& SystemRandom() {
  static OsRandom* r = new OsRandom();
  return *r;
}

}  // namespace tally::crypto
