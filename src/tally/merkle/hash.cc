#include "tally/merkle/hash.h"

#include <algorithm>

#include "tally/crypto/encoding.h"

namespace tally::merkle {

Hash EmptyRoot() { return crypto::Sha256Of(std::string_view()); }

Result<Hash> HashFromBytes(std::span<const uint8_t> bytes, std::string_view what) {
  if (bytes.size() != kHashSize) {
    return InvalidArgument(std::string(what) + ": expected a 32-byte SHA-256 hash, got " +
                           std::to_string(bytes.size()) + " bytes");
  }
  Hash h;
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

Result<Hash> HashFromBase64(std::string_view text, std::string_view what) {
  auto bytes = crypto::Base64Decode(text);
  if (!bytes.ok()) return bytes.error().WithContext(what);
  return HashFromBytes(*bytes, what);
}

std::string HashToBase64(const Hash& h) { return crypto::Base64Encode(h); }
std::string HashToHex(const Hash& h) { return crypto::HexEncode(h); }

}  // namespace tally::merkle
