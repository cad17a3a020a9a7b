// tlog-cosignature/v1 (c2sp.org/tlog-cosignature v1.0.1): a timestamped Ed25519 statement by a
// witness or party, "as of <time>, this is the largest consistent tree I have seen for this
// origin", carried as an ordinary signed-note line of key type 0x04.
//
// Signature bytes = timestamp (uint64 big-endian, <= 2^63-1) || Ed25519 signature over
//   "cosignature/v1\ntime <decimal timestamp>\n" || checkpoint text.
// Errors: InvalidArgument for a timestamp above 2^63-1 or a malformed key.
// Security promise: as note.h; the message does not commit to the cosigner's name, so one key
// must only ever make this one kind of statement.
// Thread safety: immutable after construction.
#ifndef TALLY_TLOG_COSIGNATURE_H_
#define TALLY_TLOG_COSIGNATURE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tally/tlog/note.h"

namespace tally::tlog {

std::string CosignedMessage(std::string_view checkpoint_text, uint64_t timestamp);

class CosignatureV1Signer {
 public:
  static Result<std::unique_ptr<CosignatureV1Signer>> Generate(std::string_view name,
                                                               crypto::RandomSource& random);
  // "PRIVATE+KEY+name+keyid+base64(0x04 || seed)"; the text is a secret.
  static Result<std::unique_ptr<CosignatureV1Signer>> FromSignerKey(std::string_view skey);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  std::string VerifierKey() const;
  crypto::SecretBytes SignerKey() const;
  // The signature line for `checkpoint_text` at `timestamp` (seconds since the Unix epoch).
  Result<NoteSignature> Cosign(std::string_view checkpoint_text, uint64_t timestamp) const;

 private:
  CosignatureV1Signer(std::string name, crypto::Ed25519PrivateKey key);
  std::string name_;
  crypto::Ed25519PrivateKey key_;
  uint32_t key_id_;
};

std::unique_ptr<NoteVerifier> MakeCosignatureV1Verifier(std::string name,
                                                        const crypto::Ed25519PublicKey& key);
// The timestamp of a type-0x04 signature's bytes, if they have the right length.
std::optional<uint64_t> CosignatureTimestamp(std::span<const uint8_t> signature);

}  // namespace tally::tlog

#endif  // TALLY_TLOG_COSIGNATURE_H_
