// Fuzzes the checkpoint parser: every accepted checkpoint re-formats to exactly its input.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/tlog/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  auto cp = tally::tlog::ParseCheckpoint(in);
  if (cp.ok() && cp->Format() != in) std::abort();
  return 0;
}
