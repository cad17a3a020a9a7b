// Fuzz target: evidence CSV files and the New START aggregate table (estimate/evidence.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tally/estimate/evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)tally::estimate::ParseEvidenceCsv(text, "fuzz.csv");
  (void)tally::estimate::ParseNewStartAggregates(text, "fuzz.csv");
  return 0;
}
