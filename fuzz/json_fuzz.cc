// Fuzz target: the one JSON reader (jsondoc). Reading must never crash, throw or recurse without
// bound; an accepted document is nested at most kMaxJsonDepth deep and re-reads to the same value
// from its own dump; every refusal is an InvalidArgument that names the document and is bounded.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/base/text.h"
#include "tally/jsondoc/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = tally::jsondoc::ParseJson(text, "fuzz.json");
  if (!j) {
    const std::string m = j.error().message();
    if (j.error().code() != tally::StatusCode::kInvalidArgument) std::abort();
    if (m.rfind("fuzz.json", 0) != 0) std::abort();
    if (m.size() > 400) std::abort();
    if (m.find("json.exception") != std::string::npos) std::abort();
    return 0;
  }
  auto again = tally::jsondoc::ParseJson(j->dump(), "again.json");
  if (!again || *again != *j) std::abort();
  if (!tally::IsUtf8(j->dump())) std::abort();
  auto ordered = tally::jsondoc::ParseOrderedJson(text, "fuzz.json");
  if (!ordered) std::abort();
  return 0;
}
