// Fuzzes the body parser of POST /api/inspections/<step>: it never crashes, and what it accepts
// names a valid inspection id and carries what its step needs.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/inspection/payloads.h"
#include "tally/node/inspection_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr std::string_view kSteps[] = {"request", "commit",   "reveal",
                                                "open",    "findings", "deliver"};
  const std::string_view step = kSteps[data[0] % 6];
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto r = tally::node::ParseInspectionStep(step, in);
  if (!r.ok()) return 0;
  if (!tally::inspection::ValidInspectionId(r->id)) std::abort();
  if (step == "request" && (r->type.empty() || r->inspected.empty() || r->site.empty())) {
    std::abort();
  }
  if (step == "open" && r->phase != "site" && r->phase != "designated") std::abort();
  return 0;
}
