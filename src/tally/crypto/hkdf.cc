#include "tally/crypto/hkdf.h"

#include <sodium.h>

#include <array>
#include <vector>

#include "tally/crypto/hmac.h"

namespace tally::crypto {

SecretBytes HkdfExtract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm) {
  static constexpr std::array<uint8_t, kSha256Size> kZeroSalt{};
  Sha256Digest prk =
      HmacSha256Key(salt.empty() ? std::span<const uint8_t>(kZeroSalt) : salt).Mac(ikm);
  SecretBytes out(prk);
  sodium_memzero(prk.data(), prk.size());
  return out;
}

Result<SecretBytes> HkdfExpand(std::span<const uint8_t> prk, std::span<const uint8_t> info,
                               size_t length) {
  if (length > 255 * kSha256Size) {
    return InvalidArgument("HKDF-Expand: at most 8160 bytes can be derived, asked for " +
                           std::to_string(length));
  }
  const HmacSha256Key key(prk);
  SecretBytes out(length);
  std::vector<uint8_t> input;
  Sha256Digest t{};
  size_t done = 0;
  for (uint8_t counter = 1; done < length; ++counter) {
    input.clear();
    if (counter > 1) input.insert(input.end(), t.begin(), t.end());
    input.insert(input.end(), info.begin(), info.end());
    input.push_back(counter);
    t = key.Mac(input);
    const size_t take = std::min(kSha256Size, length - done);
    std::copy(t.begin(), t.begin() + take, out.mutable_bytes().begin() + done);
    done += take;
  }
  sodium_memzero(t.data(), t.size());
  sodium_memzero(input.data(), input.size());
  return out;
}

Result<SecretBytes> Hkdf(std::span<const uint8_t> salt, std::span<const uint8_t> ikm,
                         std::span<const uint8_t> info, size_t length) {
  const SecretBytes prk = HkdfExtract(salt, ikm);
  return HkdfExpand(prk.bytes(), info, length);
}

}  // namespace tally::crypto
