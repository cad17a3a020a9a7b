// The strict TOML reading that treaty files share (treaty_file.cc, regime_file.cc): a Reader over
// one table whose typed getters name file, line and key path in every error, and whose Finish()
// rejects keys nobody asked for. Internal to the treaty module; not part of its interface.
// Errors: FieldError-shaped InvalidArgument, "file:line: field 'key': expected ..., got ...".
// Thread safety: a Reader borrows its table and file name; one thread at a time.
#ifndef TALLY_TREATY_TOML_READER_H_
#define TALLY_TREATY_TOML_READER_H_

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

namespace tally::treaty::toml_detail {

std::string_view TypeName(const toml::node& n);
// What a value looks like in an error: strings quoted, other scalars as written, containers by
// type.
std::string Got(const toml::node& n);
int LineOf(const toml::node& n);

// A strict view of one TOML table: typed getters that name file, line and key path in errors,
// and Finish(), which rejects every key no getter asked for (so that a typo is an error, not a
// silently ignored setting).
class Reader {
 public:
  Reader(const toml::table& table, std::string path, const std::string* file)
      : table_(table), path_(std::move(path)), file_(file) {}

  std::string Key(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  std::string Where(const toml::node& n) const { return *file_ + ":" + std::to_string(LineOf(n)); }
  std::string Here() const { return Where(table_); }

  Status Error(const toml::node& n, std::string_view key, std::string_view expected) const {
    return FieldError(Where(n), Key(key), expected, Got(n));
  }
  Status Missing(std::string_view key, std::string_view expected) const {
    return FieldError(Here(), Key(key), expected, "nothing (the key is required)");
  }

  const toml::node* Node(std::string_view key) {
    seen_.insert(std::string(key));
    return table_.get(key);
  }

  Result<std::optional<std::string>> OptString(std::string_view key) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<std::string>();
    if (!n->is_string()) return Error(*n, key, "a string");
    return std::optional<std::string>(n->as_string()->get());
  }
  Result<std::string> String(std::string_view key, bool required = false) {
    TALLY_ASSIGN_OR_RETURN(auto s, OptString(key));
    if (!s && required) return Missing(key, "a string");
    return s.value_or("");
  }
  Result<std::optional<int64_t>> OptInt(std::string_view key, int64_t min = 0) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<int64_t>();
    auto i = n->as_integer();
    if (!i || i->get() < min) {
      return Error(*n, key,
                   min == 0 ? "a non-negative integer" : "an integer >= " + std::to_string(min));
    }
    return std::optional<int64_t>(i->get());
  }
  Result<std::optional<bool>> OptBool(std::string_view key) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<bool>();
    if (!n->is_boolean()) return Error(*n, key, "true or false");
    return std::optional<bool>(n->as_boolean()->get());
  }
  Result<std::optional<Date>> OptDate(std::string_view key) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<Date>();
    if (auto d = n->as_date()) {
      auto r = Date::FromCivil(d->get().year, d->get().month, d->get().day);
      if (!r) return Error(*n, key, "a possible calendar date");
      return std::optional<Date>(*r);
    }
    if (auto s = n->as_string()) {
      auto r = Date::Parse(s->get());
      if (!r) return Error(*n, key, "a date YYYY-MM-DD");
      return std::optional<Date>(*r);
    }
    return Error(*n, key, "a date YYYY-MM-DD");
  }
  Result<std::vector<std::string>> Strings(std::string_view key) {
    const toml::node* n = Node(key);
    std::vector<std::string> out;
    if (!n) return out;
    auto arr = n->as_array();
    if (!arr) return Error(*n, key, "an array of strings");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& el = *arr->get(i);
      if (!el.is_string()) {
        return Error(el, std::string(key) + "[" + std::to_string(i) + "]", "a string");
      }
      out.push_back(el.as_string()->get());
    }
    return out;
  }
  // An optional sub-table.
  Result<std::optional<Reader>> OptTable(std::string_view key) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<Reader>();
    if (!n->is_table()) return Error(*n, key, "a table");
    return std::optional<Reader>(Reader(*n->as_table(), Key(key), file_));
  }
  // An array of tables ([[key]]), each as a Reader.
  Result<std::vector<Reader>> Tables(std::string_view key) {
    const toml::node* n = Node(key);
    std::vector<Reader> out;
    if (!n) return out;
    auto arr = n->as_array();
    if (!arr) return Error(*n, key, "an array of tables ([[" + Key(key) + "]])");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& el = *arr->get(i);
      std::string k = std::string(key) + "[" + std::to_string(i) + "]";
      if (!el.is_table()) return Error(el, k, "a table");
      out.emplace_back(*el.as_table(), Key(k), file_);
    }
    return out;
  }

  // Every key of the table must have been asked for.
  Status Finish() const {
    for (const auto& [k, v] : table_) {
      if (seen_.count(std::string(k.str())) == 0) {
        return FieldError(*file_ + ":" + std::to_string(k.source().begin.line), Key(k.str()),
                          "a known key (see docs/formats/treaty-toml.md)", "an unknown key");
      }
    }
    return Status::Ok();
  }

  const toml::table& table() const { return table_; }

 private:
  const toml::table& table_;
  std::string path_;
  const std::string* file_;
  std::set<std::string> seen_;
};

// The state code of `name` (a code or a name tally knows), or an error at `n`.
Result<std::string> PartyCode(Reader& r, const toml::node& n, std::string_view key,
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
  const toml::node* n = r.table().get(key);
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
