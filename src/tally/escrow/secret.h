// DeclarationSecret: the one 32-byte random secret behind a declaration, and the keys derived
// from it (HKDF-SHA256, RFC 5869): the salt key that gives every leaf its salt.
//
//   prk      = HKDF-Extract(salt = "tally escrow v1", ikm = secret)
//   salt_key = HKDF-Expand(prk, "tally escrow v1 salt", 32)
//   salt of an item  = HMAC-SHA256(salt_key, 0x01 || uid)
//   salt of dummy i  = HMAC-SHA256(salt_key, 0x02 || i as u64 big-endian)
//
// Security promise: salts are pseudorandom to anyone without the secret, so an opened salt says
// nothing about any other leaf's salt, and an unopened commitment cannot be tested against a
// guessed item (hiding). The secret is held in SecretBytes (wiped on destruction), is stored in a
// file of mode 0600 that Load refuses when group/other can read it, and is never printed or
// logged by tally.
// Errors: PermissionDenied (file mode), DataLoss (malformed file), IoError/NotFound from the file
// system, AlreadyExists (Save never overwrites a secret).
// Thread safety: a const DeclarationSecret may be shared (Salt* are reentrant).
#ifndef TALLY_ESCROW_SECRET_H_
#define TALLY_ESCROW_SECRET_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/crypto/hmac.h"
#include "tally/crypto/random.h"
#include "tally/crypto/secret_bytes.h"
#include "tally/merkle/hash.h"

namespace tally::escrow {

using Salt = crypto::Sha256Digest;

class DeclarationSecret {
 public:
  static DeclarationSecret Generate(crypto::RandomSource& random);
  static Result<DeclarationSecret> FromBytes(std::span<const uint8_t> bytes);
  static Result<DeclarationSecret> Load(const std::string& path);
  // Writes "tally-escrow-secret v1 <hex>\n" with mode 0600.
  Status Save(const std::string& path) const;

  // Another holder of the same secret (a commit that may have to be redone another way).
  Result<DeclarationSecret> Clone() const { return FromBytes(secret_.bytes()); }

  Salt ItemSalt(std::string_view uid) const;
  Salt DummySalt(uint64_t index) const;
  // The same salts for many leaves at once, two HMACs interleaved (crypto/sha256_lanes.h): what a
  // million-leaf commit spends most of its salt time on. out[i] = ItemSalt(uids[i]), and
  // out[i] = DummySalt(first + i).
  void ItemSalts(std::span<const std::string_view> uids, Salt* out) const;
  void DummySalts(uint64_t first, uint64_t count, Salt* out) const;

 private:
  template <typename MessageFn>
  void Salts(size_t count, MessageFn message, Salt* out) const;

  crypto::SecretBytes secret_;
  std::unique_ptr<crypto::HmacSha256Key> salt_key_;
  // The SHA-256 states after the salt key's inner and outer pad blocks (2 x 8 words), for the
  // batch path; key material, wiped with the object.
  crypto::SecretBytes midstates_;
};

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_SECRET_H_
