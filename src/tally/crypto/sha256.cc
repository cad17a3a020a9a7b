#include "tally/crypto/sha256.h"

// The low-level SHA256_* functions are marked deprecated in OpenSSL 3 in favour of EVP, but they
// remain supported and are the fastest path to the SHA-NI block function (baselines.md).
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>

#include <cstring>

namespace tally::crypto {
namespace {

static_assert(sizeof(SHA256_CTX) <= 128, "Sha256::ctx_ is too small for SHA256_CTX");

SHA256_CTX* Ctx(unsigned char* p) { return reinterpret_cast<SHA256_CTX*>(p); }

Sha256Digest StateToDigest(const SHA256_CTX& c) {
  Sha256Digest out;
  for (int i = 0; i < 8; ++i) {
    const uint32_t w = c.h[i];
    out[4 * i] = static_cast<uint8_t>(w >> 24);
    out[4 * i + 1] = static_cast<uint8_t>(w >> 16);
    out[4 * i + 2] = static_cast<uint8_t>(w >> 8);
    out[4 * i + 3] = static_cast<uint8_t>(w);
  }
  return out;
}

// Runs the compression function over a hand-padded message of `len` bytes (len <= 119) already
// placed at the start of `block` (128 bytes, zero beyond len).
Sha256Digest CompressPadded(unsigned char* block, size_t len) {
  const size_t blocks = len <= 55 ? 1 : 2;
  block[len] = 0x80;
  const uint64_t bits = static_cast<uint64_t>(len) * 8;
  unsigned char* end = block + blocks * 64;
  for (int i = 0; i < 8; ++i) end[-1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Transform(&c, block);
  if (blocks == 2) SHA256_Transform(&c, block + 64);
  return StateToDigest(c);
}

}  // namespace

Sha256::Sha256() { Reset(); }

void Sha256::Reset() { SHA256_Init(Ctx(ctx_)); }

void Sha256::Update(std::span<const uint8_t> data) {
  SHA256_Update(Ctx(ctx_), data.data(), data.size());
}

void Sha256::Update(std::string_view data) { SHA256_Update(Ctx(ctx_), data.data(), data.size()); }

void Sha256::Update(uint8_t byte) { SHA256_Update(Ctx(ctx_), &byte, 1); }

Sha256Digest Sha256::Final() {
  Sha256Digest out;
  SHA256_Final(out.data(), Ctx(ctx_));
  return out;
}

Sha256Digest Sha256Of(std::span<const uint8_t> data) {
  Sha256Digest out;
  SHA256(data.data(), data.size(), out.data());
  return out;
}

Sha256Digest Sha256Of(std::string_view data) {
  return Sha256Of(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

namespace {

// SHA-256 of prefix || 64 bytes. A 65-byte message always pads the same way, so the padded second
// block is kept per thread and only the message bytes are rewritten (Merkle trees hash about two
// million such messages per million leaves).
Sha256Digest Hash65(uint8_t prefix, const uint8_t* first32, const uint8_t* second32) {
  thread_local unsigned char block[128] = {};
  thread_local bool padded = false;
  if (!padded) {
    block[65] = 0x80;
    block[126] = 0x02;  // 520 bits, big-endian
    block[127] = 0x08;
    padded = true;
  }
  block[0] = prefix;
  std::memcpy(block + 1, first32, 32);
  std::memcpy(block + 33, second32, 32);
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Transform(&c, block);
  SHA256_Transform(&c, block + 64);
  return StateToDigest(c);
}

}  // namespace

Sha256Digest Sha256Prefixed(uint8_t prefix, std::span<const uint8_t> data) {
  if (data.size() == 64) return Hash65(prefix, data.data(), data.data() + 32);
  if (data.size() + 1 > 119) {
    Sha256 h;
    h.Update(prefix);
    h.Update(data);
    return h.Final();
  }
  alignas(16) unsigned char block[128] = {};
  block[0] = prefix;
  if (!data.empty()) std::memcpy(block + 1, data.data(), data.size());
  return CompressPadded(block, data.size() + 1);
}

Sha256Digest Sha256Prefixed(uint8_t prefix, const Sha256Digest& a, const Sha256Digest& b) {
  return Hash65(prefix, a.data(), b.data());
}

}  // namespace tally::crypto
