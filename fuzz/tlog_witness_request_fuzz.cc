// Fuzzes the tlog-witness add-checkpoint body parser (what POST /add-checkpoint reads from any
// client): it never crashes, holds at most 63 proof lines, and every accepted body re-formats to
// exactly its input.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/tlog/witness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  auto r = tally::tlog::ParseAddCheckpointRequest(in);
  if (r.ok()) {
    if (r->proof.size() > 63) std::abort();
    if (r->Format() != in) std::abort();
  }
  return 0;
}
