// StrictReader: the one way tally reads TOML files (treaty files, network files, scenario files,
// node configs). Parse() turns toml++'s parse errors into "file:line: invalid TOML: ..."; a Reader
// over one table has typed getters that name file, line and key path in every error, and
// Finish() rejects every key no getter asked for, so that a typo is an error, not a silently
// ignored setting.
//
// This module owns toml++: no other module includes it, except through this header.
// Errors: InvalidArgument shaped as FieldError, "file:line: field 'key': expected ..., got ...".
// Thread safety: a Reader borrows its table and file name; one thread at a time.
#ifndef TALLY_TOML_STRICT_READER_H_
#define TALLY_TOML_STRICT_READER_H_

#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/base/status.h"

namespace tally::toml {

// Parses `text` (named `name` in errors) into a table; errors name the line and never carry
// more than ~80 bytes of the input.
Result<::toml::table> Parse(std::string_view text, const std::string& name);

std::string_view TypeName(const ::toml::node& n);
// What a value looks like in an error: strings quoted (at most 80 bytes), other scalars as
// written, containers by type.
std::string Got(const ::toml::node& n);
int LineOf(const ::toml::node& n);

// A strict view of one TOML table. `format_doc` is the page Finish() points to for known keys
// (e.g. "docs/formats/treaty-toml.md").
class Reader {
 public:
  Reader(const ::toml::table& table, std::string path, const std::string* file,
         std::string_view format_doc)
      : table_(table), path_(std::move(path)), file_(file), format_doc_(format_doc) {}

  std::string Key(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  std::string Where(const ::toml::node& n) const {
    return *file_ + ":" + std::to_string(LineOf(n));
  }
  std::string Here() const { return Where(table_); }
  const std::string& file() const { return *file_; }

  Status Error(const ::toml::node& n, std::string_view key, std::string_view expected) const {
    return FieldError(Where(n), Key(key), expected, Got(n));
  }
  Status Missing(std::string_view key, std::string_view expected) const {
    return FieldError(Here(), Key(key), expected, "nothing (the key is required)");
  }

  // Marks `key` as read and returns its node, or nullptr.
  const ::toml::node* Node(std::string_view key);

  Result<std::optional<std::string>> OptString(std::string_view key);
  Result<std::string> String(std::string_view key, bool required = false);
  Result<std::optional<int64_t>> OptInt(std::string_view key, int64_t min = 0);
  Result<std::optional<bool>> OptBool(std::string_view key);
  // A TOML local date or a date string; `loose` also takes "YYYY" and "YYYY-MM" strings (the
  // first day of the year or month).
  Result<std::optional<Date>> OptDate(std::string_view key, bool loose = false);
  Result<std::vector<std::string>> Strings(std::string_view key);
  // An optional sub-table.
  Result<std::optional<Reader>> OptTable(std::string_view key);
  // An array of tables ([[key]]), each as a Reader.
  Result<std::vector<Reader>> Tables(std::string_view key);

  // Every key of the table must have been asked for.
  Status Finish() const;

  const ::toml::table& table() const { return table_; }

 private:
  const ::toml::table& table_;
  std::string path_;
  const std::string* file_;
  std::string_view format_doc_;
  std::set<std::string> seen_;
};

}  // namespace tally::toml

#endif  // TALLY_TOML_STRICT_READER_H_
