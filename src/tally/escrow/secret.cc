#include "tally/escrow/secret.h"

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/hkdf.h"

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

Salt DeclarationSecret::DummySalt(uint64_t index) const {
  uint8_t m[9];
  m[0] = 0x02;
  for (int i = 0; i < 8; ++i) m[1 + i] = static_cast<uint8_t>(index >> (56 - 8 * i));
  return salt_key_->Mac(m);
}

}  // namespace tally::escrow
