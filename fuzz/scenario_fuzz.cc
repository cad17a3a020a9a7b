// Fuzz target: scenario files (scenario/scenario.h over the strict TOML reader). Any input must
// give a Scenario or an error, never a crash; a parsed scenario's grid must be computable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tally/scenario/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto sc = tally::scenario::ParseScenario(text, "fuzz.toml");
  if (sc) (void)sc->Dates().size();
  return 0;
}
