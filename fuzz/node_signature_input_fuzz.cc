// Fuzzes the RFC 9421 Signature-Input parser (every signed request to a node goes through it):
// it never crashes, and what it accepts has the fields verification needs.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/node/http_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  auto p = tally::node::ParseSignatureInput(in);
  if (p.ok() && (p->nonce.empty() || p->keyid.empty() || p->components.size() > 16)) std::abort();
  return 0;
}
