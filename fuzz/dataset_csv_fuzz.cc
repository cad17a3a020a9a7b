// Fuzz target: the dataset CSV parser (registry/dataset_csv.h). Any input must either fail with
// an error or give a dataset whose canonical form parses back to the same canonical form.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/registry/dataset_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto d = tally::registry::ParseDatasetCsv(text, "fuzz.csv");
  if (!d.ok()) {
    if (d.error().message().empty()) std::abort();
    return 0;
  }
  const std::string canonical = tally::registry::FormatDatasetCsv(*d);
  auto again = tally::registry::ParseDatasetCsv(canonical, "fuzz.csv");
  if (!again.ok()) std::abort();
  if (tally::registry::FormatDatasetCsv(*again) != canonical) std::abort();
  return 0;
}
