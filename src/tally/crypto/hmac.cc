#include "tally/crypto/hmac.h"

#include <sodium.h>

#include <array>

namespace tally::crypto {

HmacSha256Key::HmacSha256Key(std::span<const uint8_t> key) {
  std::array<uint8_t, 64> block{};
  if (key.size() > block.size()) {
    const Sha256Digest d = Sha256Of(key);
    std::copy(d.begin(), d.end(), block.begin());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  std::array<uint8_t, 64> pad;
  for (size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x36;
  inner_.Update(pad);
  for (size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x5c;
  outer_.Update(pad);
  sodium_memzero(block.data(), block.size());
  sodium_memzero(pad.data(), pad.size());
}

HmacSha256Key::~HmacSha256Key() {
  // The precomputed states are as good as the key: wipe them.
  sodium_memzero(&inner_, sizeof(inner_));
  sodium_memzero(&outer_, sizeof(outer_));
}

Sha256Digest HmacSha256Key::Mac(std::span<const uint8_t> message) const { return Mac(message, {}); }

Sha256Digest HmacSha256Key::Mac(std::span<const uint8_t> a, std::span<const uint8_t> b) const {
  Sha256 in = inner_;
  in.Update(a);
  if (!b.empty()) in.Update(b);
  const Sha256Digest inner_digest = in.Final();
  Sha256 out = outer_;
  out.Update(inner_digest);
  return out.Final();
}

Sha256Digest HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> message) {
  return HmacSha256Key(key).Mac(message);
}

}  // namespace tally::crypto
