// Signed notes (c2sp.org/signed-note v1.0.0, as golang.org/x/mod/sumdb/note): text signed by one
// or more keys, each signature a line "— <name> <base64(key ID || signature)>".
//
// Keys: Ed25519 log keys (type 0x01) and tlog-cosignature/v1 keys (type 0x04, cosignature.h).
// The key ID is SHA-256(name || 0x0A || type || public key)[:4]. A verifier key ("vkey") is
// "<name>+<8 hex digits of key ID>+<base64(type || public key)>"; a signer key ("skey") uses Go's
// "PRIVATE+KEY+<name>+<key ID>+<base64(type || 32-byte seed)>" so that Go tools read it.
// OpenNote applies the spec's rules: unknown (name, key ID) pairs are ignored, a known key whose
// signature fails rejects the whole note, and at least one known key must verify; duplicate
// lines from one key are dropped; at most 100 signature lines.
// Errors: InvalidArgument for malformed notes and keys (saying what is wrong), VerificationFailed
// for a failing or missing signature (naming the key).
// Security promise: a note returned by OpenNote carries a valid signature over exactly its text by
// every key listed in `verified`.
// Thread safety: signers and verifiers are immutable after construction; share freely.
#ifndef TALLY_TLOG_NOTE_H_
#define TALLY_TLOG_NOTE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tally/base/result.h"
#include "tally/crypto/ed25519.h"
#include "tally/crypto/secret_bytes.h"

namespace tally::tlog {

inline constexpr uint8_t kKeyTypeEd25519 = 0x01;
inline constexpr uint8_t kKeyTypeCosignatureV1 = 0x04;
inline constexpr size_t kMaxNoteSignatures = 100;

uint32_t KeyId(std::string_view name, uint8_t type, std::span<const uint8_t> public_key);
// A key name per the spec: non-empty, valid UTF-8, no Unicode space, no '+'.
bool IsValidKeyName(std::string_view name);

class NoteVerifier {
 public:
  virtual ~NoteVerifier() = default;
  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;
  virtual uint8_t type() const = 0;
  // `signature` is the line's bytes after the 4-byte key ID.
  virtual bool Verify(std::string_view text, std::span<const uint8_t> signature) const = 0;
  // The vkey text of this key.
  virtual std::string VerifierKey() const = 0;
};

class NoteSigner {
 public:
  virtual ~NoteSigner() = default;
  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;
  // The signature bytes (without key ID) over `text`.
  virtual std::vector<uint8_t> Sign(std::string_view text) const = 0;
  virtual std::string VerifierKey() const = 0;
};

// Parses a vkey of type 0x01 or 0x04; checks that the key ID matches name, type and key.
Result<std::unique_ptr<NoteVerifier>> ParseVerifierKey(std::string_view vkey);

class Ed25519NoteSigner final : public NoteSigner {
 public:
  static Result<std::unique_ptr<Ed25519NoteSigner>> Generate(std::string_view name,
                                                             crypto::RandomSource& random);
  // Parses "PRIVATE+KEY+name+keyid+base64(0x01 || seed)"; the text is a secret.
  static Result<std::unique_ptr<Ed25519NoteSigner>> FromSignerKey(std::string_view skey);

  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  std::vector<uint8_t> Sign(std::string_view text) const override;
  std::string VerifierKey() const override;
  // The skey text; a secret (wiped when the returned object dies).
  crypto::SecretBytes SignerKey() const;

 private:
  Ed25519NoteSigner(std::string name, crypto::Ed25519PrivateKey key);
  std::string name_;
  crypto::Ed25519PrivateKey key_;
  uint32_t key_id_;
};

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::vector<uint8_t> signature;  // after the key ID
  std::string Line() const;        // "— name base64\n"
};

struct Note {
  std::string text;  // ends with '\n'
  std::vector<NoteSignature> signatures;
  std::string Format() const;  // text + "\n" + signature lines
};

// Syntax only: splits a note into text and signature lines, checking the byte rules.
Result<Note> ParseNote(std::string_view message);

struct OpenedNote {
  Note note;
  std::vector<NoteSignature> verified;    // by known keys, each checked
  std::vector<NoteSignature> unverified;  // by unknown keys, ignored
};
Result<OpenedNote> OpenNote(std::string_view message, std::span<const NoteVerifier* const> known);

// Signs `text` (non-empty, ending in '\n', valid note text) with every signer.
Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner* const> signers);

namespace internal {
// Go's signer-key text, shared by the note and cosignature signers.
Result<std::pair<std::string, crypto::SecretBytes>> ParseSignerKeyText(std::string_view skey,
                                                                       uint8_t want_type);
crypto::SecretBytes FormatSignerKeyText(std::string_view name, uint32_t key_id, uint8_t type,
                                        const crypto::SecretBytes& seed);
std::string KeyIdHex(uint32_t id);
}  // namespace internal

}  // namespace tally::tlog

#endif  // TALLY_TLOG_NOTE_H_
