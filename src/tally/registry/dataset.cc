#include "tally/registry/dataset.h"

#include "tally/base/csv.h"

namespace tally::registry {

bool IsValidDatasetName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

Result<DatasetRef> ParseDatasetRef(std::string_view text) {
  DatasetRef ref;
  const size_t at = text.find('@');
  ref.name = std::string(text.substr(0, at));
  if (!IsValidDatasetName(ref.name)) {
    return InvalidArgument("dataset '" + std::string(text) +
                           "': expected a name of lower-case letters, digits, '.', '_' or '-', "
                           "optionally followed by @VERSION");
  }
  if (at != std::string_view::npos) {
    auto v = ParseInt64(text.substr(at + 1));
    if (!v || *v < 0 || *v > 1'000'000'000) {
      return InvalidArgument("dataset '" + std::string(text) +
                             "': expected a version number after '@' (0 = compiled in, 1, 2, ... "
                             "= store versions)");
    }
    ref.version = static_cast<int>(*v);
  }
  return ref;
}

}  // namespace tally::registry
