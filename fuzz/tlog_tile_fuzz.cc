// Fuzzes the tile parsers. The first byte picks the parser and (for bundles and hash tiles) the
// width; the rest is the input. Accepted paths and bundles must round-trip exactly.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/tlog/tile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int width = 1 + (data[0] >> 2);  // 1..64
  const std::string in(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] & 3) {
    case 0: {
      auto id = tally::tlog::ParseTilePath(in);
      if (id.ok() && tally::tlog::TilePath(*id) != in) std::abort();
      break;
    }
    case 1: {
      auto entries = tally::tlog::ParseEntryBundle(in, width, "fuzz");
      if (entries.ok() && tally::tlog::EncodeEntryBundle(*entries) != in) std::abort();
      break;
    }
    case 2: {
      auto hashes = tally::tlog::ParseHashTile(in, width, "fuzz");
      if (hashes.ok() && tally::tlog::EncodeHashTile(*hashes) != in) std::abort();
      break;
    }
    default:
      (void)tally::tlog::TileWidthAt(width % 8, size, in.size() * 1000003u);
      break;
  }
  return 0;
}
