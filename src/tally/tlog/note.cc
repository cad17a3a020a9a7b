#include "tally/tlog/note.h"

#include <algorithm>
#include <set>

#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/tlog/cosignature.h"

namespace tally::tlog {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // "— "

// Decodes one UTF-8 code point; returns its length, or 0 when the bytes are not valid UTF-8.
size_t DecodeRune(std::string_view s, size_t i, uint32_t& rune) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const uint8_t c = b(0);
  if (c < 0x80) {
    rune = c;
    return 1;
  }
  size_t len;
  uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, rune = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, rune = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, rune = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    rune = (rune << 6) | (b(k) & 0x3F);
  }
  if (rune < min || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) return 0;
  return len;
}

bool IsUnicodeSpace(uint32_t r) {
  return r == ' ' || (r >= 0x09 && r <= 0x0D) || r == 0x85 || r == 0xA0 || r == 0x1680 ||
         (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F ||
         r == 0x3000;
}

}  // namespace

std::string internal::KeyIdHex(uint32_t id) {
  const uint8_t b[4] = {static_cast<uint8_t>(id >> 24), static_cast<uint8_t>(id >> 16),
                        static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id)};
  return crypto::HexEncode(b);
}

namespace {
using internal::KeyIdHex;

class Ed25519NoteVerifier final : public NoteVerifier {
 public:
  Ed25519NoteVerifier(std::string name, const crypto::Ed25519PublicKey& key)
      : name_(std::move(name)), key_(key), key_id_(KeyId(name_, kKeyTypeEd25519, key_)) {}
  const std::string& name() const override { return name_; }
  uint32_t key_id() const override { return key_id_; }
  uint8_t type() const override { return kKeyTypeEd25519; }
  bool Verify(std::string_view text, std::span<const uint8_t> signature) const override {
    return crypto::Ed25519Verify(key_, crypto::AsBytes(text), signature);
  }
  std::string VerifierKey() const override {
    std::vector<uint8_t> typed{kKeyTypeEd25519};
    typed.insert(typed.end(), key_.begin(), key_.end());
    return name_ + "+" + KeyIdHex(key_id_) + "+" + crypto::Base64Encode(typed);
  }

 private:
  std::string name_;
  crypto::Ed25519PublicKey key_;
  uint32_t key_id_;
};

// Checks the byte rules of a whole note: valid UTF-8, no control character but '\n'.
Status CheckNoteBytes(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    uint32_t r;
    const size_t n = DecodeRune(s, i, r);
    if (n == 0) return InvalidArgument("note: invalid UTF-8 at byte " + std::to_string(i));
    if (r < 0x20 && r != '\n') {
      return InvalidArgument("note: control character " + std::to_string(r) + " at byte " +
                             std::to_string(i));
    }
    i += n;
  }
  return Status::Ok();
}

}  // namespace

uint32_t KeyId(std::string_view name, uint8_t type, std::span<const uint8_t> public_key) {
  crypto::Sha256 h;
  h.Update(name);
  h.Update(uint8_t{'\n'});
  h.Update(type);
  h.Update(public_key);
  const auto d = h.Final();
  return uint32_t{d[0]} << 24 | uint32_t{d[1]} << 16 | uint32_t{d[2]} << 8 | d[3];
}

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size();) {
    uint32_t r;
    const size_t n = DecodeRune(name, i, r);
    if (n == 0 || r == '+' || IsUnicodeSpace(r) || r < 0x20) return false;
    i += n;
  }
  return true;
}

Result<std::unique_ptr<NoteVerifier>> ParseVerifierKey(std::string_view vkey) {
  const auto bad = [&](const std::string& why) {
    return InvalidArgument("verifier key \"" + std::string(vkey.substr(0, 120)) +
                           "\": expected <name>+<key id hex>+<base64 key>, " + why);
  };
  const size_t p1 = vkey.find('+');
  if (p1 == std::string_view::npos) return bad("found no '+'");
  const size_t p2 = vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad("found only one '+'");
  const std::string name(vkey.substr(0, p1));
  const std::string_view id_hex = vkey.substr(p1 + 1, p2 - p1 - 1);
  if (!IsValidKeyName(name)) return bad("the name is empty or has spaces or '+'");
  if (id_hex.size() != 8) return bad("the key id is not 8 hex digits");
  auto id = crypto::HexDecode(id_hex);
  if (!id.ok()) return bad("the key id is not hex");
  auto key = crypto::Base64Decode(vkey.substr(p2 + 1));
  if (!key.ok()) return bad("the key is not base64: " + key.error().message());
  if (key->size() != 33)
    return bad("the key has " + std::to_string(key->size()) + " bytes, not 33");
  const uint8_t type = (*key)[0];
  crypto::Ed25519PublicKey pub;
  std::copy(key->begin() + 1, key->end(), pub.begin());
  const uint32_t want =
      uint32_t{(*id)[0]} << 24 | uint32_t{(*id)[1]} << 16 | uint32_t{(*id)[2]} << 8 | (*id)[3];
  if (KeyId(name, type, pub) != want) return bad("the key id does not match the name and key");
  if (type == kKeyTypeEd25519)
    return std::unique_ptr<NoteVerifier>(new Ed25519NoteVerifier(name, pub));
  if (type == kKeyTypeCosignatureV1) return MakeCosignatureV1Verifier(name, pub);
  return bad("key type " + std::to_string(type) +
             " is not supported (0x01 Ed25519, 0x04 cosignature/v1)");
}

Ed25519NoteSigner::Ed25519NoteSigner(std::string name, crypto::Ed25519PrivateKey key)
    : name_(std::move(name)),
      key_(std::move(key)),
      key_id_(KeyId(name_, kKeyTypeEd25519, key_.public_key())) {}

Result<std::unique_ptr<Ed25519NoteSigner>> Ed25519NoteSigner::Generate(
    std::string_view name, crypto::RandomSource& random) {
  if (!IsValidKeyName(name)) {
    return InvalidArgument("key name \"" + std::string(name) +
                           "\": expected a non-empty name without spaces or '+'");
  }
  return std::unique_ptr<Ed25519NoteSigner>(
      new Ed25519NoteSigner(std::string(name), crypto::Ed25519PrivateKey::Generate(random)));
}

// Parses "PRIVATE+KEY+name+keyid+base64(type || seed)" into name and seed; shared with the
// cosignature signer.
Result<std::pair<std::string, crypto::SecretBytes>> internal::ParseSignerKeyText(
    std::string_view skey, uint8_t want_type) {
  const auto bad = [](const std::string& why) {
    return InvalidArgument("signer key: expected PRIVATE+KEY+<name>+<key id>+<base64 key>, " + why);
  };
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  while (!skey.empty() && (skey.back() == '\n' || skey.back() == '\r')) skey.remove_suffix(1);
  if (skey.substr(0, kPrefix.size()) != kPrefix) return bad("the prefix is missing");
  skey.remove_prefix(kPrefix.size());
  const size_t p1 = skey.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : skey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad("fields are missing");
  std::string name(skey.substr(0, p1));
  if (!IsValidKeyName(name)) return bad("the name is not valid");
  auto raw = crypto::Base64Decode(skey.substr(p2 + 1));
  if (!raw.ok() || raw->size() != 33) return bad("the key is not base64 of 33 bytes");
  crypto::SecretBytes secret{std::span<const uint8_t>(*raw)};
  std::fill(raw->begin(), raw->end(), 0);
  if (secret.bytes()[0] != want_type) {
    return bad("key type " + std::to_string(secret.bytes()[0]) + ", expected " +
               std::to_string(want_type));
  }
  crypto::SecretBytes seed(secret.bytes().subspan(1));
  auto key = crypto::Ed25519PrivateKey::FromSeed(seed.bytes());
  if (!key.ok()) return key.error();
  auto id = crypto::HexDecode(skey.substr(p1 + 1, p2 - p1 - 1));
  if (!id.ok() || id->size() != 4) return bad("the key id is not 8 hex digits");
  const uint32_t want =
      uint32_t{(*id)[0]} << 24 | uint32_t{(*id)[1]} << 16 | uint32_t{(*id)[2]} << 8 | (*id)[3];
  if (KeyId(name, want_type, key->public_key()) != want) {
    return bad("the key id does not match the name and key");
  }
  return std::make_pair(std::move(name), std::move(seed));
}

crypto::SecretBytes internal::FormatSignerKeyText(std::string_view name, uint32_t key_id,
                                                  uint8_t type, const crypto::SecretBytes& seed) {
  crypto::SecretBytes typed(1 + seed.size());
  typed.mutable_bytes()[0] = type;
  std::copy(seed.bytes().begin(), seed.bytes().end(), typed.mutable_bytes().begin() + 1);
  std::string text = "PRIVATE+KEY+" + std::string(name) + "+" + KeyIdHex(key_id) + "+" +
                     crypto::Base64Encode(typed.bytes());
  crypto::SecretBytes out(crypto::AsBytes(text));
  std::fill(text.begin(), text.end(), '\0');
  return out;
}

Result<std::unique_ptr<Ed25519NoteSigner>> Ed25519NoteSigner::FromSignerKey(std::string_view skey) {
  TALLY_ASSIGN_OR_RETURN(auto parsed, internal::ParseSignerKeyText(skey, kKeyTypeEd25519));
  TALLY_ASSIGN_OR_RETURN(auto key, crypto::Ed25519PrivateKey::FromSeed(parsed.second.bytes()));
  return std::unique_ptr<Ed25519NoteSigner>(
      new Ed25519NoteSigner(std::move(parsed.first), std::move(key)));
}

std::vector<uint8_t> Ed25519NoteSigner::Sign(std::string_view text) const {
  auto sig = key_.Sign(crypto::AsBytes(text));
  return {sig.begin(), sig.end()};
}

std::string Ed25519NoteSigner::VerifierKey() const {
  return Ed25519NoteVerifier(name_, key_.public_key()).VerifierKey();
}

crypto::SecretBytes Ed25519NoteSigner::SignerKey() const {
  return internal::FormatSignerKeyText(name_, key_id_, kKeyTypeEd25519, key_.seed());
}

std::string NoteSignature::Line() const {
  std::vector<uint8_t> raw{static_cast<uint8_t>(key_id >> 24), static_cast<uint8_t>(key_id >> 16),
                           static_cast<uint8_t>(key_id >> 8), static_cast<uint8_t>(key_id)};
  raw.insert(raw.end(), signature.begin(), signature.end());
  return std::string(kDash) + name + " " + crypto::Base64Encode(raw) + "\n";
}

std::string Note::Format() const {
  std::string out = text + "\n";
  for (const auto& s : signatures) out += s.Line();
  return out;
}

Result<Note> ParseNote(std::string_view message) {
  TALLY_RETURN_IF_ERROR(CheckNoteBytes(message));
  const size_t split = message.rfind("\n\n");
  if (split == std::string_view::npos) {
    return InvalidArgument("note: no empty line before the signatures");
  }
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  std::string_view sigs = message.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return InvalidArgument("note: expected signature lines ending in a newline after the text");
  }
  size_t line_no = 0;
  while (!sigs.empty()) {
    ++line_no;
    const size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    const std::string where = "note: signature line " + std::to_string(line_no);
    if (line.substr(0, kDash.size()) != kDash) {
      return InvalidArgument(where + ": expected to start with \"— \"");
    }
    line.remove_prefix(kDash.size());
    const size_t sp = line.rfind(' ');
    if (sp == std::string_view::npos) return InvalidArgument(where + ": expected \"name base64\"");
    NoteSignature s;
    s.name = std::string(line.substr(0, sp));
    const std::string_view b64 = line.substr(sp + 1);
    if (!IsValidKeyName(s.name)) return InvalidArgument(where + ": invalid key name");
    auto raw = crypto::Base64Decode(b64);
    if (!raw.ok() || raw->size() < 5) {
      return InvalidArgument(where + ": expected base64 of a key id and a signature");
    }
    if (note.signatures.size() >= kMaxNoteSignatures) {
      return InvalidArgument("note: more than " + std::to_string(kMaxNoteSignatures) +
                             " signatures");
    }
    s.key_id = uint32_t{(*raw)[0]} << 24 | uint32_t{(*raw)[1]} << 16 | uint32_t{(*raw)[2]} << 8 |
               (*raw)[3];
    s.signature.assign(raw->begin() + 4, raw->end());
    note.signatures.push_back(std::move(s));
  }
  return note;
}

Result<OpenedNote> OpenNote(std::string_view message, std::span<const NoteVerifier* const> known) {
  TALLY_ASSIGN_OR_RETURN(Note note, ParseNote(message));
  OpenedNote out;
  std::set<std::pair<std::string, uint32_t>> seen;
  for (const NoteSignature& s : note.signatures) {
    const NoteVerifier* v = nullptr;
    for (const NoteVerifier* k : known) {
      if (k->name() == s.name && k->key_id() == s.key_id) v = k;
    }
    if (v == nullptr) {
      out.unverified.push_back(s);
      continue;
    }
    if (!seen.insert({s.name, s.key_id}).second) continue;
    if (!v->Verify(note.text, s.signature)) {
      return VerificationFailed("note: the signature by " + s.name + " (key " + KeyIdHex(s.key_id) +
                                ") does not verify");
    }
    out.verified.push_back(s);
  }
  if (out.verified.empty()) {
    std::string names;
    for (const NoteVerifier* k : known) names += (names.empty() ? "" : ", ") + k->name();
    return VerificationFailed("note: no signature by a known key (known: " +
                              (names.empty() ? std::string("none") : names) + ")");
  }
  out.note = std::move(note);
  return out;
}

Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner* const> signers) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgument("note text: expected non-empty text ending in a newline");
  }
  if (text.find("\n\n") != std::string_view::npos && text.size() >= 2 &&
      text.substr(text.size() - 2) == "\n\n") {
    return InvalidArgument("note text: must not end with an empty line");
  }
  TALLY_RETURN_IF_ERROR(CheckNoteBytes(text));
  Note note;
  note.text = std::string(text);
  for (const NoteSigner* s : signers) {
    note.signatures.push_back({s->name(), s->key_id(), s->Sign(text)});
  }
  return note.Format();
}

}  // namespace tally::tlog
