// The files under data/ in the source tree, compiled into the library.
//
// Paths are relative to data/ with forward slashes: "treaties/new-start.toml",
// "forces/fas_2025.csv". The bytes are static; string_views stay valid for the program's life.
#ifndef TALLY_DATA_EMBEDDED_H_
#define TALLY_DATA_EMBEDDED_H_

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tally::data {

struct EmbeddedFileEntry {
  std::string_view path;
  std::string_view content;
};

std::span<const EmbeddedFileEntry> AllEmbeddedFiles();
std::optional<std::string_view> EmbeddedFile(std::string_view path);
// Entries whose path starts with `prefix` (e.g. "treaties/"), sorted by path.
std::vector<EmbeddedFileEntry> EmbeddedFilesUnder(std::string_view prefix);

}  // namespace tally::data

#endif  // TALLY_DATA_EMBEDDED_H_
