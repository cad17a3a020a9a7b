#include "tally/tlog/cosignature.h"

#include "tally/crypto/encoding.h"

namespace tally::tlog {
namespace {

constexpr uint64_t kMaxTimestamp = (uint64_t{1} << 63) - 1;

class CosignatureV1Verifier final : public NoteVerifier {
 public:
  CosignatureV1Verifier(std::string name, const crypto::Ed25519PublicKey& key)
      : name_(std::move(name)), key_(key), key_id_(KeyId(name_, kKeyTypeCosignatureV1, key_)) {}
  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  uint8_t type() const override { return kKeyTypeCosignatureV1; }
  bool Verify(std::string_view text, std::span<const uint8_t> signature) const override {
    auto ts = CosignatureTimestamp(signature);
    if (!ts) return false;
    const std::string msg = CosignedMessage(text, *ts);
    return crypto::Ed25519Verify(key_, crypto::AsBytes(msg), signature.subspan(8));
  }
  std::string VerifierKey() const override {
    std::vector<uint8_t> typed{kKeyTypeCosignatureV1};
    typed.insert(typed.end(), key_.begin(), key_.end());
    return name_ + "+" + internal::KeyIdHex(key_id_) + "+" + crypto::Base64Encode(typed);
  }

 private:
  std::string name_;
  crypto::Ed25519PublicKey key_;
  uint32_t key_id_;
};

}  // namespace

std::string CosignedMessage(std::string_view checkpoint_text, uint64_t timestamp) {
  std::string m = "cosignature/v1\ntime " + std::to_string(timestamp) + "\n";
  m += checkpoint_text;
  return m;
}

std::optional<uint64_t> CosignatureTimestamp(std::span<const uint8_t> signature) {
  if (signature.size() != 8 + crypto::kEd25519SignatureSize) return std::nullopt;
  uint64_t ts = 0;
  for (int i = 0; i < 8; ++i) ts = ts << 8 | signature[i];
  if (ts > kMaxTimestamp) return std::nullopt;
  return ts;
}

std::unique_ptr<NoteVerifier> MakeCosignatureV1Verifier(std::string name,
                                                        const crypto::Ed25519PublicKey& key) {
  return std::make_unique<CosignatureV1Verifier>(std::move(name), key);
}

CosignatureV1Signer::CosignatureV1Signer(std::string name, crypto::Ed25519PrivateKey key)
    : name_(std::move(name)),
      key_(std::move(key)),
      key_id_(KeyId(name_, kKeyTypeCosignatureV1, key_.public_key())) {}

Result<std::unique_ptr<CosignatureV1Signer>> CosignatureV1Signer::Generate(
    std::string_view name, crypto::RandomSource& random) {
  if (!IsValidKeyName(name)) {
    return InvalidArgument("key name \"" + std::string(name) +
                           "\": expected a non-empty name without spaces or '+'");
  }
  return std::unique_ptr<CosignatureV1Signer>(
      new CosignatureV1Signer(std::string(name), crypto::Ed25519PrivateKey::Generate(random)));
}

Result<std::unique_ptr<CosignatureV1Signer>> CosignatureV1Signer::FromSignerKey(
    std::string_view skey) {
  TALLY_ASSIGN_OR_RETURN(auto parsed, internal::ParseSignerKeyText(skey, kKeyTypeCosignatureV1));
  TALLY_ASSIGN_OR_RETURN(auto key, crypto::Ed25519PrivateKey::FromSeed(parsed.second.bytes()));
  return std::unique_ptr<CosignatureV1Signer>(
      new CosignatureV1Signer(std::move(parsed.first), std::move(key)));
}

std::string CosignatureV1Signer::VerifierKey() const {
  return CosignatureV1Verifier(name_, key_.public_key()).VerifierKey();
}

crypto::SecretBytes CosignatureV1Signer::SignerKey() const {
  return internal::FormatSignerKeyText(name_, key_id_, kKeyTypeCosignatureV1, key_.seed());
}

Result<NoteSignature> CosignatureV1Signer::Cosign(std::string_view checkpoint_text,
                                                  uint64_t timestamp) const {
  if (timestamp > kMaxTimestamp) {
    return InvalidArgument("cosignature: timestamp " + std::to_string(timestamp) +
                           " is above 2^63-1");
  }
  const std::string msg = CosignedMessage(checkpoint_text, timestamp);
  const auto sig = key_.Sign(crypto::AsBytes(msg));
  NoteSignature s{name_, key_id_, {}};
  for (int i = 7; i >= 0; --i) s.signature.push_back(static_cast<uint8_t>(timestamp >> (8 * i)));
  s.signature.insert(s.signature.end(), sig.begin(), sig.end());
  return s;
}

}  // namespace tally::tlog
