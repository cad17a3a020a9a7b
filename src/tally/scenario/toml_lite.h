// TomlLite: the subset of TOML that scenario files use, parsed with the line of every key so that
// errors can say "scenario.toml:12: key 'growth': ...".
//
// Supported: comments (#), [table] and [[array-of-tables]] headers with bare names, bare keys
// (A-Z a-z 0-9 _ -), basic strings "..." with \" \\ \n \t escapes, integers and floats (sign,
// underscores, exponent), true/false, local dates YYYY-MM-DD (kept as strings), arrays (may span
// lines, trailing comma allowed) and single-line inline tables { k = v, ... }. Not supported, and
// rejected with a message: dotted keys, quoted keys, literal and multi-line strings, date-times.
// A key defined twice in one table, or a [table] header repeated, is an error. Every file in this
// subset is valid TOML 1.0.
//
// Errors: kInvalidArgument "name:line: ..." for the first problem. Thread safety: pure function;
// the Document owns its values.
#ifndef TALLY_SCENARIO_TOML_LITE_H_
#define TALLY_SCENARIO_TOML_LITE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tally/base/result.h"

namespace tally::scenario {

struct TomlValue {
  enum class Type { kString, kNumber, kBool, kArray, kTable };
  Type type = Type::kString;
  std::string text;  // kString (also dates)
  double number = 0;
  bool is_integer = false;
  bool boolean = false;
  std::vector<TomlValue> items;                           // kArray
  std::vector<std::pair<std::string, TomlValue>> fields;  // kTable (inline)
  int line = 0;

  std::string_view TypeName() const;
  const TomlValue* Find(std::string_view key) const;  // kTable only
};

struct TomlTable {
  std::string name;       // "" for the root table
  bool is_array = false;  // declared with [[name]]
  int line = 0;           // of the header (1 for the root)
  std::vector<std::pair<std::string, TomlValue>> entries;

  const TomlValue* Find(std::string_view key) const;
};

struct TomlDocument {
  std::vector<TomlTable> tables;  // the root first, then in file order
};

Result<TomlDocument> ParseTomlLite(std::string_view text, const std::string& name);

}  // namespace tally::scenario

#endif  // TALLY_SCENARIO_TOML_LITE_H_
