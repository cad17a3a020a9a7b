#include "tally/crypto/random.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

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

RandomSource& SystemRandom() {
  static OsRandom* r = new OsRandom();
  return *r;
}

}  // namespace tally::crypto
