// Randomness: an injectable source of random bytes.
//
// SystemRandom() is the operating system's CSPRNG (libsodium randombytes_buf, i.e. getrandom(2)).
// Security promise: its output is unpredictable and suitable for keys, salts and nonces.
// Tests and reproducible exercises inject SeededRandom instead (never for real keys).
// Errors: none (libsodium aborts the process if the kernel cannot supply randomness).
// Thread safety: SystemRandom() is safe to use from any thread.
#ifndef TALLY_CRYPTO_RANDOM_H_
#define TALLY_CRYPTO_RANDOM_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tally::crypto {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// A reproducible stream: SHA-256(seed || counter) blocks. The same seed gives the same bytes on
// every machine, so an exercise replays byte for byte from its --seed. Predictable by design:
// never for a key or a salt that must stay secret from anyone who knows the seed.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::string_view seed) : seed_(seed) {}
  void Fill(std::span<uint8_t> out) override;

 private:
  std::string seed_;
  uint64_t counter_ = 0;
  uint8_t block_[32] = {};
  size_t used_ = 32;
};

// The process-wide OS randomness; lives forever.
RandomSource& SystemRandom();

// Makes sure libsodium is initialised (idempotent, thread-safe); every function of this module that
// uses libsodium calls it.
void EnsureSodium();

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_RANDOM_H_
