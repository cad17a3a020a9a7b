#include "tally/data/embedded.h"

namespace tally::data {

std::optional<std::string_view> EmbeddedFile(std::string_view path) {
  for (const auto& f : AllEmbeddedFiles()) {
    if (f.path == path) return f.content;
  }
  return std::nullopt;
}

std::vector<EmbeddedFileEntry> EmbeddedFilesUnder(std::string_view prefix) {
  std::vector<EmbeddedFileEntry> out;
  for (const auto& f : AllEmbeddedFiles()) {
    if (f.path.substr(0, prefix.size()) == prefix) out.push_back(f);
  }
  return out;  // already sorted: the generator sorts paths
}

}  // namespace tally::data
