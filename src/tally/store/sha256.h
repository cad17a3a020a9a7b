// SHA-256 (FIPS 180-4) of a byte string, for the store's content hashes.
//
// The store names each imported dataset version by the SHA-256 of its exact bytes, so that a user
// can check a version against the file with `sha256sum`. The store may not use the crypto module
// (docs/architecture.md), and a content hash needs no key or constant-time care, so this small
// implementation lives here. Not for secrets or signatures: use tally::crypto for those.
//
// Pure function; thread-safe.
#ifndef TALLY_STORE_SHA256_H_
#define TALLY_STORE_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tally::store {

std::array<uint8_t, 32> Sha256(std::string_view data);
// Lower-case hex of Sha256(data).
std::string Sha256Hex(std::string_view data);

}  // namespace tally::store

#endif  // TALLY_STORE_SHA256_H_
