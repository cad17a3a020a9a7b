// Randomness: an injectable source of random bytes.
//
// SystemRandom() is the operating system's CSPRNG (libsodium randombytes_buf, i.e. getrandom(2)).
// Security promise: its output is unpredictable and suitable for keys, salts and nonces.
// Tests inject a deterministic RandomSource instead (never for real keys).
// Errors: none (libsodium aborts the process if the kernel cannot supply randomness).
// Thread safety: SystemRandom() is safe to use from any thread.
#ifndef TALLY_CRYPTO_RANDOM_H_
#define TALLY_CRYPTO_RANDOM_H_

#include <cstdint>
#include <span>

namespace tally::crypto {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// The process-wide OS randomness; lives forever.
RandomSource& SystemRandom();

// Makes sure libsodium is initialised (idempotent, thread-safe); every function of this module that
// uses libsodium calls it.
void EnsureSodium();

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_RANDOM_H_
