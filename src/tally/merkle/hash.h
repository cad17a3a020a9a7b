// RFC 9162 §2.1.1 tree hashing (SHA-256 with 0x00 leaf / 0x01 node domain separation).
//
// Hash is a 32-byte value; LeafHash hashes entry *data*, NodeHash two child hashes; EmptyRoot is
// the RFC's root of the empty tree, SHA-256 of nothing (not Go's all-zero TreeHash(0)).
// Security promise: second-preimage resistance of the tree rests on SHA-256 and the prefixes: a
// leaf can never be taken for a node.
// Thread safety: all functions are reentrant.
#ifndef TALLY_MERKLE_HASH_H_
#define TALLY_MERKLE_HASH_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/crypto/sha256.h"

namespace tally::merkle {

inline constexpr size_t kHashSize = 32;
using Hash = crypto::Sha256Digest;

inline Hash LeafHash(std::span<const uint8_t> data) { return crypto::Sha256Prefixed(0x00, data); }
inline Hash LeafHash(std::string_view data) {
  return LeafHash({reinterpret_cast<const uint8_t*>(data.data()), data.size()});
}
inline Hash NodeHash(const Hash& left, const Hash& right) {
  return crypto::Sha256Prefixed(0x01, left, right);
}
Hash EmptyRoot();

// A hash from exactly 32 bytes; InvalidArgument naming `what` otherwise.
Result<Hash> HashFromBytes(std::span<const uint8_t> bytes, std::string_view what);
// A hash from its standard padded base64 text (44 characters).
Result<Hash> HashFromBase64(std::string_view text, std::string_view what);
std::string HashToBase64(const Hash& h);
std::string HashToHex(const Hash& h);

}  // namespace tally::merkle

#endif  // TALLY_MERKLE_HASH_H_
