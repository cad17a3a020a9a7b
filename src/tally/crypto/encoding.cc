#include "tally/crypto/encoding.h"

#include <array>

namespace tally::crypto {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

std::string Describe(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  static const char* kHex = "0123456789abcdef";
  const auto u = static_cast<uint8_t>(c);
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15];
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void AppendBase64(std::string& out, std::span<const uint8_t> data) {
  const size_t at = out.size();
  out.resize(at + (data.size() + 2) / 3 * 4);
  char* p = out.data() + at;
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = kAlphabet[v & 63];
  }
  const size_t rest = data.size() - i;
  if (rest == 0) return;
  const uint32_t v = (uint32_t{data[i]} << 16) | (rest == 2 ? uint32_t{data[i + 1]} << 8 : 0);
  *p++ = kAlphabet[v >> 18];
  *p++ = kAlphabet[(v >> 12) & 63];
  *p++ = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
  *p = '=';
}

std::string Base64Encode(std::span<const uint8_t> data) {
  std::string out;
  AppendBase64(out, data);
  return out;
}

std::string Base64Encode(std::string_view data) { return Base64Encode(AsBytes(data)); }

Result<std::vector<uint8_t>> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return InvalidArgument("base64: expected a multiple of 4 characters, got " +
                           std::to_string(text.size()));
  }
  std::vector<uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    uint32_t v = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + j];
      int d;
      if (j >= 4 - pad) {
        d = 0;
      } else {
        d = kDecode[static_cast<uint8_t>(c)];
        if (d < 0) {
          return InvalidArgument("base64: unexpected " + Describe(c) + " at offset " +
                                 std::to_string(i + j));
        }
      }
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    out.push_back(static_cast<uint8_t>(v >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(v >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(v));
    if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0)) {
      return InvalidArgument("base64: non-canonical encoding (unused bits set) at offset " +
                             std::to_string(i));
    }
  }
  return out;
}

void AppendHex(std::string& out, std::span<const uint8_t> data) {
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t at = out.size();
  out.resize(at + data.size() * 2);
  char* p = out.data() + at;
  for (const uint8_t b : data) {
    *p++ = kHex[b >> 4];
    *p++ = kHex[b & 15];
  }
}

std::string HexEncode(std::span<const uint8_t> data) {
  std::string out;
  AppendHex(out, data);
  return out;
}

Result<std::vector<uint8_t>> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return InvalidArgument("hex: expected an even number of digits, got " +
                           std::to_string(text.size()));
  }
  std::vector<uint8_t> out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = HexValue(text[2 * i]);
    const int lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      const size_t at = hi < 0 ? 2 * i : 2 * i + 1;
      return InvalidArgument("hex: unexpected " + Describe(text[at]) + " at offset " +
                             std::to_string(at));
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

}  // namespace tally::crypto
