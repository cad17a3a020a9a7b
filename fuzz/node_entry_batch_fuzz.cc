// Fuzzes the body parser of POST /api/entries (an operator's batch of its party's entries): it
// never crashes, and what it accepts stays within the documented limits.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/node/entry_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto r = tally::node::ParseEntryBatch(in);
  if (r.ok()) {
    if (r->entries.size() > 4096 || r->deliver.size() > 64) std::abort();
    for (const auto& d : r->deliver) {
      if (d.to.empty() || d.document.empty()) std::abort();
    }
  }
  return 0;
}
