// Fuzz target: force-structure files (scenario/upload.h). The input is split at the first NUL
// byte into the systems and pools tables; a parsed structure's uploads must compute.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tally/scenario/upload.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t cut = all.find('\0');
  const std::string_view systems = all.substr(0, cut);
  const std::string_view pools = cut == std::string_view::npos ? "" : all.substr(cut + 1);
  auto fs = tally::scenario::ParseForceStructure(systems, "systems.csv", pools, "pools.csv");
  if (fs) {
    for (const auto& s : fs->systems) (void)tally::scenario::ComputeUpload(*fs, s.state, s.case_id);
  }
  (void)tally::scenario::ParsePublishedUploads(all, "published.csv");
  return 0;
}
