// Text encodings of bytes: standard padded base64 (RFC 4648 §4) and lowercase hex.
//
// Decoders are strict: base64 input must be a multiple of four characters with correct padding
// and zero unused bits (so that every byte string has exactly one accepted encoding, which keeps
// signed notes and proofs non-malleable); hex accepts upper or lower case, even length only.
// Errors: InvalidArgument naming the first bad character or the bad length.
// Thread safety: all functions are reentrant.
#ifndef TALLY_CRYPTO_ENCODING_H_
#define TALLY_CRYPTO_ENCODING_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"

namespace tally::crypto {

std::string Base64Encode(std::span<const uint8_t> data);
std::string Base64Encode(std::string_view data);
Result<std::vector<uint8_t>> Base64Decode(std::string_view text);

std::string HexEncode(std::span<const uint8_t> data);
// The same encodings appended to `out` (writers of large documents).
void AppendBase64(std::string& out, std::span<const uint8_t> data);
void AppendHex(std::string& out, std::span<const uint8_t> data);
Result<std::vector<uint8_t>> HexDecode(std::string_view text);

inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsText(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_ENCODING_H_
