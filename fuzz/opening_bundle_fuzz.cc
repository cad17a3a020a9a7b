// Fuzz target: the escrow parsers of untrusted input — opening bundles (JSON), declaration
// statements (JSON) and canonical records (bytes). Parsing never crashes; a bundle that parses
// re-serializes to a bundle that parses to the same thing; the fast bundle reader accepts only
// what the nlohmann-json reader accepts, and reads it to the same bundle; the fast bundle writer,
// when it writes, writes the nlohmann-json document writer's bytes; a record that decodes
// re-encodes to the same bytes (the encoding is a bijection).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tally/escrow/bundle.h"
#include "tally/escrow/bundle_reader.h"
#include "tally/escrow/bundle_writer.h"
#include "tally/escrow/record.h"
#include "tally/escrow/statement.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto record = tally::escrow::DecodeRecord(text);
  if (record) {
    auto again = tally::escrow::EncodeRecord(*record);
    if (!again || *again != text) std::abort();
  }
  auto statement = tally::escrow::StatementFromJson(text, "fuzz.json");
  if (statement) {
    auto again = tally::escrow::StatementFromJson(tally::escrow::StatementToJson(*statement), "x");
    if (!again) std::abort();
  }
  auto fast = tally::escrow::FastBundleFromJson(text);
  if (fast) {
    auto document = tally::escrow::BundleFromJsonDocument(text, "fuzz.json");
    if (!document || tally::escrow::BundleToJson(*document) != tally::escrow::BundleToJson(*fast)) {
      std::abort();
    }
  }
  auto bundle = tally::escrow::BundleFromJson(text, "fuzz.json");
  if (bundle) {
    const std::string out = tally::escrow::BundleToJson(*bundle);
    if (out != tally::escrow::BundleToJsonDocument(*bundle)) std::abort();
    auto again = tally::escrow::BundleFromJson(out, "again.json");
    if (!again || tally::escrow::BundleToJson(*again) != out) std::abort();
  }
  return 0;
}
