#include "tally/escrow/secret.h"

#include <string.h>

#include <cstring>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/hkdf.h"
#include "tally/crypto/sha256_lanes.h"

namespace tally::escrow {
namespace {

constexpr std::string_view kFileHeader = "tally-escrow-secret v1 ";
constexpr size_t kSecretSize = 32;

}  // namespace

Result<DeclarationSecret> DeclarationSecret::FromBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kSecretSize) {
    return InvalidArgument("a declaration secret is 32 bytes, got " + std::to_string(bytes.size()));
  }
  DeclarationSecret s;
  s.secret_ = crypto::SecretBytes(bytes);
  const crypto::SecretBytes prk =
      crypto::HkdfExtract(crypto::AsBytes("tally escrow v1"), s.secret_.bytes());
  TALLY_ASSIGN_OR_RETURN(
      crypto::SecretBytes salt_key,
      crypto::HkdfExpand(prk.bytes(), crypto::AsBytes("tally escrow v1 salt"), kSecretSize));
  s.salt_key_ = std::make_unique<crypto::HmacSha256Key>(salt_key.bytes());
  // HMAC (RFC 2104) with a 32-byte key: the key, zero-padded to one block, XOR ipad / opad.
  uint8_t block[64];
  s.midstates_ = crypto::SecretBytes(sizeof(crypto::ShaState) * 2);
  for (int pad = 0; pad < 2; ++pad) {
    const uint8_t x = pad == 0 ? 0x36 : 0x5c;
    for (size_t i = 0; i < 64; ++i) block[i] = (i < kSecretSize ? salt_key.bytes()[i] : 0) ^ x;
    crypto::ShaState st = crypto::ShaInitial();
    crypto::ShaCompress(st, block, 1);
    std::memcpy(s.midstates_.mutable_bytes().data() + pad * sizeof(crypto::ShaState), &st,
                sizeof(st));
    explicit_bzero(&st, sizeof(st));
  }
  explicit_bzero(block, sizeof(block));
  return s;
}

DeclarationSecret DeclarationSecret::Generate(crypto::RandomSource& random) {
  crypto::SecretBytes bytes(kSecretSize);
  random.Fill(bytes.mutable_bytes());
  return std::move(FromBytes(bytes.bytes()).value());
}

Result<DeclarationSecret> DeclarationSecret::Load(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(unsigned mode, FileMode(path));
  if ((mode & 077) != 0) {
    return PermissionDenied(path +
                            ": the declaration secret is readable by group or others (mode " +
                            std::to_string((mode >> 6) & 7) + std::to_string((mode >> 3) & 7) +
                            std::to_string(mode & 7) + "); run chmod 600 " + path);
  }
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  crypto::SecretBytes wipe_text(crypto::AsBytes(text));  // wiped when this scope ends
  std::fill(text.begin(), text.end(), '\0');
  const std::string_view t = crypto::AsText(wipe_text.bytes());
  if (t.size() != kFileHeader.size() + 2 * kSecretSize + 1 || !t.starts_with(kFileHeader) ||
      t.back() != '\n') {
    return DataLoss(path + ":1: not a tally declaration secret (expected \"" +
                    std::string(kFileHeader) + "<64 hex digits>\")");
  }
  auto bytes = crypto::HexDecode(t.substr(kFileHeader.size(), 2 * kSecretSize));
  if (!bytes) return DataLoss(path + ":1: the secret is not 64 hex digits");
  crypto::SecretBytes secret(*bytes);
  std::fill(bytes->begin(), bytes->end(), 0);
  return FromBytes(secret.bytes());
}

Status DeclarationSecret::Save(const std::string& path) const {
  if (FileExists(path)) return AlreadyExists(path + ": refusing to overwrite a declaration secret");
  std::string text = std::string(kFileHeader) + crypto::HexEncode(secret_.bytes()) + "\n";
  Status s = WriteFileAtomic(path, text, 0600);
  std::fill(text.begin(), text.end(), '\0');
  return s;
}

Salt DeclarationSecret::ItemSalt(std::string_view uid) const {
  static constexpr uint8_t kItem[] = {0x01};
  return salt_key_->Mac(kItem, crypto::AsBytes(uid));
}

namespace {

// Writes the state's words big-endian: the digest, or the start of the next message.
inline void PutState(const crypto::ShaState& st, uint8_t* out) {
  for (int w = 0; w < 8; ++w) {
    const uint32_t be = __builtin_bswap32(st.h[w]);
    std::memcpy(out + 4 * w, &be, 4);
  }
}

}  // namespace

template <typename MessageFn>
void DeclarationSecret::Salts(size_t count, MessageFn message, Salt* out) const {
  crypto::ShaState inner, outer;
  std::memcpy(&inner, midstates_.bytes().data(), sizeof(inner));
  std::memcpy(&outer, midstates_.bytes().data() + sizeof(crypto::ShaState), sizeof(outer));
  thread_local crypto::ShaMessage m[2];
  // The outer message is always the 32-byte inner digest after the 64-byte opad block: one
  // padded block whose tail never changes.
  alignas(16) uint8_t tail[2][64] = {};
  for (auto& t : tail) {
    t[32] = 0x80;
    t[62] = 0x03;  // (64 + 32) * 8 = 768 bits
  }
  for (size_t i = 0; i < count; i += 2) {
    const size_t lanes = i + 1 < count ? 2 : 1;
    size_t blocks[2] = {0, 0};
    for (size_t l = 0; l < lanes; ++l) {
      m[l].Clear();
      message(i + l, m[l]);
      blocks[l] = m[l].Pad(64);
    }
    crypto::ShaState s[2] = {inner, inner};
    crypto::ShaCompress2(s[0], m[0].data(), blocks[0], s[1], m[1].data(), blocks[1]);
    for (size_t l = 0; l < lanes; ++l) PutState(s[l], tail[l]);
    s[0] = outer;
    s[1] = outer;
    crypto::ShaCompress2(s[0], tail[0], 1, s[1], tail[1], lanes == 2 ? 1 : 0);
    for (size_t l = 0; l < lanes; ++l) PutState(s[l], out[i + l].data());
  }
  explicit_bzero(&inner, sizeof(inner));
  explicit_bzero(&outer, sizeof(outer));
  explicit_bzero(tail, sizeof(tail));
}

void DeclarationSecret::ItemSalts(std::span<const std::string_view> uids, Salt* out) const {
  Salts(
      uids.size(),
      [&](size_t i, crypto::ShaMessage& m) {
        m.Push(0x01);
        m.Append(uids[i]);
      },
      out);
}

void DeclarationSecret::DummySalts(uint64_t first, uint64_t count, Salt* out) const {
  Salts(
      count,
      [&](size_t i, crypto::ShaMessage& m) {
        m.Push(0x02);
        m.PushU64(first + i);
      },
      out);
}

Salt DeclarationSecret::DummySalt(uint64_t index) const {
  uint8_t m[9];
  m[0] = 0x02;
  for (int i = 0; i < 8; ++i) m[1 + i] = static_cast<uint8_t>(index >> (56 - 8 * i));
  return salt_key_->Mac(m);
}

}  // namespace tally::escrow
