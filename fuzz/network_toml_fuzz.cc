// Fuzz target: the network file (docs/formats/network.md). Parsing never crashes; a file that
// parses writes canonical text that parses to the same network, and that text is a fixed point.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/network/network.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto n = tally::network::Network::Parse(text, "fuzz.toml");
  if (!n.ok()) {
    if (n.error().message().size() > 4096) std::abort();  // errors quote, they do not echo
    return 0;
  }
  const std::string out = n->ToToml();
  auto again = tally::network::Network::Parse(out, "again.toml");
  if (!again.ok() || again->ToToml() != out) std::abort();
  return 0;
}
