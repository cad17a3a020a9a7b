// Fuzz target: the inspection payload parsers (docs/formats/inspection.md) — request, opening,
// randomness commit and reveal, finding, findings document. Parsing never crashes; whatever
// parses re-encodes canonically to bytes that parse to the same value, and those bytes are a
// fixed point of encode(parse(.)).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tally/inspection/payloads.h"

namespace {

template <typename T, typename Parse, typename Encode>
void Check(std::string_view text, Parse parse, Encode encode) {
  auto v = parse(text, "fuzz");
  if (!v.ok()) return;
  const std::string out = encode(*v);
  auto again = parse(out, "again");
  if (!again.ok() || !(*again == *v) || encode(*again) != out) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tally::inspection;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Check<Request>(text, ParseRequest, EncodeRequest);
  Check<Opening>(text, ParseOpening, EncodeOpening);
  Check<RandomnessCommit>(text, ParseCommit, EncodeCommit);
  Check<RandomnessReveal>(text, ParseReveal, EncodeReveal);
  Check<Finding>(text, ParseFinding, EncodeFinding);
  Check<Findings>(text, ParseFindings, EncodeFindings);
  return 0;
}
