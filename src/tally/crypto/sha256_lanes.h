// Sha256Lanes: SHA-256 (FIPS 180-4) of many short, independent messages, two at a time.
//
// Committing a million-item declaration hashes about seven million 64-byte blocks: two for each
// salt (HMAC), three or so for each leaf and two for each inner node. The SHA-NI round
// instruction is latency-bound, so one message stream leaves the unit half idle; interleaving
// the rounds of two independent messages nearly doubles throughput (the idea of
// Sha256Prefixed65Pair, which is built on these lanes, generalised here to padded messages of any
// length and to a start from a midstate, which HMAC with a precomputed key schedule needs). Without
// SHA-NI (checked once with CPUID) a portable compression function runs instead; results are
// identical either way, and sha256_lanes_test.cc checks them against crypto::Sha256 and
// crypto::HmacSha256.
//
// Security promise: the SHA-256 compression function, nothing more; callers decide what the
// messages and states are. A ShaState started from a keyed block (HMAC) is key material: wipe it.
// Errors: none. Thread safety: pure functions of their arguments.
#ifndef TALLY_CRYPTO_SHA256_LANES_H_
#define TALLY_CRYPTO_SHA256_LANES_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "tally/crypto/sha256.h"

namespace tally::crypto {

// The eight working words h0..h7 of SHA-256.
struct ShaState {
  uint32_t h[8];
};

// The initial hash value H(0).
ShaState ShaInitial();

// Compresses `n` 64-byte blocks at `p` into `s`.
void ShaCompress(ShaState& s, const uint8_t* p, size_t n);
// Compresses `na` blocks at `a` into `sa` and `nb` blocks at `b` into `sb`; the shared blocks
// run interleaved.
void ShaCompress2(ShaState& sa, const uint8_t* a, size_t na, ShaState& sb, const uint8_t* b,
                  size_t nb);

crypto::Sha256Digest ShaDigest(const ShaState& s);

// A message buffer laid out for hashing: the caller appends the message bytes, then Pad() adds
// the FIPS 180-4 padding for a message that follows `absorbed` bytes already compressed into the
// starting state (0 for a plain hash, 64 after an HMAC key block). Reusable: Clear() keeps the
// allocation, so hashing a million messages allocates once.
class ShaMessage {
 public:
  ShaMessage() : buf_(256) {}
  void Clear() { size_ = 0; }
  void Append(const uint8_t* p, size_t n) {
    Room(n);
    std::memcpy(buf_.data() + size_, p, n);
    size_ += n;
  }
  void Append(std::string_view bytes) {
    Append(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  void Push(uint8_t byte) {
    Room(1);
    buf_[size_++] = byte;
  }
  void PushU64(uint64_t v) {
    Room(8);
    v = __builtin_bswap64(v);
    std::memcpy(buf_.data() + size_, &v, 8);
    size_ += 8;
  }
  // Pads and returns the number of blocks.
  size_t Pad(uint64_t absorbed);
  const uint8_t* data() const { return buf_.data(); }
  // For messages of a fixed length: pad once, then rewrite the message bytes in place.
  uint8_t* mutable_data() { return buf_.data(); }

 private:
  void Room(size_t n) {
    if (size_ + n + 72 > buf_.size()) buf_.resize(2 * (size_ + n + 72));
  }
  std::vector<uint8_t> buf_;
  size_t size_ = 0;
};

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_SHA256_LANES_H_
