// Fuzz target: the round secret file (src/tally/inspection/round_secret.h). Parsing never
// crashes; an accepted file is exactly the canonical text of its round and secret.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/inspection/round_secret.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string round = "tally/inspection/RU-1/items";
  auto s = tally::inspection::ParseRoundSecret(text, round, "fuzz");
  if (s.ok() && tally::inspection::FormatRoundSecret(round, *s) != text) std::abort();
  return 0;
}
