// Fuzzes the typed-entry decoder: every accepted entry re-encodes to exactly its input (the
// encoding is a bijection, so a leaf hash is a function of the fields).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/tlog/entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  auto e = tally::tlog::DecodeEntry(in);
  if (e.ok()) {
    auto again = tally::tlog::EncodeEntry(*e);
    if (!again.ok() || *again != in) std::abort();
  }
  (void)tally::tlog::KindFromName(in);
  return 0;
}
