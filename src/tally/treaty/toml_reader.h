// The treaty-specific parts of reading treaty files (treaty_file.cc, regime_file.cc) on top of
// the strict TOML reader (tally/toml/strict_reader.h): party codes, per-party integer tables, ids
// and enum lists. Internal to the treaty module; not part of its interface.
// Errors: FieldError-shaped InvalidArgument, "file:line: field 'key': expected ..., got ...".
// Thread safety: reentrant functions over borrowed readers.
#ifndef TALLY_TREATY_TOML_READER_H_
#define TALLY_TREATY_TOML_READER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tally/base/result.h"
#include "tally/toml/strict_reader.h"

namespace tally::treaty::toml_detail {

using ::tally::toml::Reader;
using ::tally::toml::Got;
using ::tally::toml::LineOf;
using ::tally::toml::TypeName;

inline constexpr std::string_view kTreatyFormatDoc = "docs/formats/treaty-toml.md";

// The state code of `name` (a code or a name tally knows), or an error at `n`.
Result<std::string> PartyCode(Reader& r, const ::toml::node& n, std::string_view key,
                              const std::string& name);
// An optional table of non-negative integers keyed by party ({US = 10, CN = 6}), each key one of
// `parties` (state codes) by code or name; returned as (code, value) in file order.
Result<std::vector<std::pair<std::string, int64_t>>> PartyIntegers(
    Reader& r, std::string_view key, const std::vector<std::string>& parties);
bool ValidId(std::string_view id);
// A required id of lower-case letters, digits, '-' and '_'.
Result<std::string> Id(Reader& r, std::string_view key = "id");

template <typename T, typename ParseFn>
Result<std::vector<T>> EnumList(Reader& r, std::string_view key, ParseFn parse,
                                std::string_view expected) {
  const ::toml::node* n = r.table().get(key);
  TALLY_ASSIGN_OR_RETURN(auto names, r.Strings(key));
  std::vector<T> out;
  for (size_t i = 0; i < names.size(); ++i) {
    auto v = parse(names[i]);
    if (!v) {
      return r.Error(*n->as_array()->get(i), std::string(key) + "[" + std::to_string(i) + "]",
                     expected);
    }
    out.push_back(*v);
  }
  return out;
}

}  // namespace tally::treaty::toml_detail

#endif  // TALLY_TREATY_TOML_READER_H_
