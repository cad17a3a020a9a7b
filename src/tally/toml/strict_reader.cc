#include "tally/toml/strict_reader.h"

#include <charconv>
#include <cstdio>
#include <exception>

namespace tally::toml {
namespace {

constexpr size_t kMaxQuoted = 80;

std::string Quote(std::string_view s) {
  if (s.size() <= kMaxQuoted) return "\"" + std::string(s) + "\"";
  return "\"" + std::string(s.substr(0, kMaxQuoted)) + "\"... (" + std::to_string(s.size()) +
         " bytes)";
}

}  // namespace

Result<::toml::table> Parse(std::string_view text, const std::string& name) {
  try {
    return ::toml::parse(text, name);
  } catch (const ::toml::parse_error& e) {
    std::string what(e.description());
    if (what.size() > 2 * kMaxQuoted) what = what.substr(0, 2 * kMaxQuoted) + "...";
    return InvalidArgument(name + ":" + std::to_string(e.source().begin.line) +
                           ": invalid TOML: " + what);
  } catch (const std::exception&) {
    return InvalidArgument(name + ": invalid TOML");
  }
}

std::string_view TypeName(const ::toml::node& n) {
  switch (n.type()) {
    case ::toml::node_type::table:
      return "a table";
    case ::toml::node_type::array:
      return "an array";
    case ::toml::node_type::string:
      return "a string";
    case ::toml::node_type::integer:
      return "an integer";
    case ::toml::node_type::floating_point:
      return "a float";
    case ::toml::node_type::boolean:
      return "a boolean";
    case ::toml::node_type::date:
      return "a date";
    case ::toml::node_type::time:
      return "a time";
    case ::toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

std::string Got(const ::toml::node& n) {
  if (auto s = n.as_string()) return Quote(s->get());
  if (auto i = n.as_integer()) return std::to_string(i->get());
  if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
  if (auto f = n.as_floating_point()) {
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, f->get()).ptr;  // shortest round trip
    return std::string(buf, end);
  }
  if (auto d = n.as_date()) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->get().year, d->get().month, d->get().day);
    return buf;
  }
  return std::string(TypeName(n));
}

int LineOf(const ::toml::node& n) { return static_cast<int>(n.source().begin.line); }

const ::toml::node* Reader::Node(std::string_view key) {
  seen_.insert(std::string(key));
  return table_.get(key);
}

Result<std::optional<std::string>> Reader::OptString(std::string_view key) {
  const ::toml::node* n = Node(key);
  if (!n) return std::optional<std::string>();
  if (!n->is_string()) return Error(*n, key, "a string");
  return std::optional<std::string>(n->as_string()->get());
}

Result<std::string> Reader::String(std::string_view key, bool required) {
  TALLY_ASSIGN_OR_RETURN(auto s, OptString(key));
  if (!s && required) return Missing(key, "a string");
  return s.value_or("");
}

Result<std::optional<int64_t>> Reader::OptInt(std::string_view key, int64_t min) {
  const ::toml::node* n = Node(key);
  if (!n) return std::optional<int64_t>();
  auto i = n->as_integer();
  if (!i || i->get() < min) {
    return Error(*n, key,
                 min == 0 ? "a non-negative integer" : "an integer >= " + std::to_string(min));
  }
  return std::optional<int64_t>(i->get());
}

Result<std::optional<bool>> Reader::OptBool(std::string_view key) {
  const ::toml::node* n = Node(key);
  if (!n) return std::optional<bool>();
  if (!n->is_boolean()) return Error(*n, key, "true or false");
  return std::optional<bool>(n->as_boolean()->get());
}

Result<std::optional<Date>> Reader::OptDate(std::string_view key, bool loose) {
  const ::toml::node* n = Node(key);
  if (!n) return std::optional<Date>();
  if (auto d = n->as_date()) {
    auto r = Date::FromCivil(d->get().year, d->get().month, d->get().day);
    if (!r) return Error(*n, key, "a possible calendar date");
    return std::optional<Date>(*r);
  }
  if (auto s = n->as_string()) {
    if (loose) {
      auto r = Date::ParseLoose(s->get());
      if (!r) return Error(*n, key, "a possible date YYYY, YYYY-MM or YYYY-MM-DD");
      return std::optional<Date>(*r);
    }
    auto r = Date::Parse(s->get());
    if (!r) return Error(*n, key, "a date YYYY-MM-DD");
    return std::optional<Date>(*r);
  }
  return Error(*n, key, "a date YYYY-MM-DD");
}

Result<std::vector<std::string>> Reader::Strings(std::string_view key) {
  const ::toml::node* n = Node(key);
  std::vector<std::string> out;
  if (!n) return out;
  auto arr = n->as_array();
  if (!arr) return Error(*n, key, "an array of strings");
  for (size_t i = 0; i < arr->size(); ++i) {
    const ::toml::node& el = *arr->get(i);
    if (!el.is_string()) {
      return Error(el, std::string(key) + "[" + std::to_string(i) + "]", "a string");
    }
    out.push_back(el.as_string()->get());
  }
  return out;
}

Result<std::optional<Reader>> Reader::OptTable(std::string_view key) {
  const ::toml::node* n = Node(key);
  if (!n) return std::optional<Reader>();
  if (!n->is_table()) return Error(*n, key, "a table");
  return std::optional<Reader>(Reader(*n->as_table(), Key(key), file_, format_doc_));
}

Result<std::vector<Reader>> Reader::Tables(std::string_view key) {
  const ::toml::node* n = Node(key);
  std::vector<Reader> out;
  if (!n) return out;
  auto arr = n->as_array();
  if (!arr) return Error(*n, key, "an array of tables ([[" + Key(key) + "]])");
  for (size_t i = 0; i < arr->size(); ++i) {
    const ::toml::node& el = *arr->get(i);
    std::string k = std::string(key) + "[" + std::to_string(i) + "]";
    if (!el.is_table()) return Error(el, k, "a table");
    out.emplace_back(*el.as_table(), Key(k), file_, format_doc_);
  }
  return out;
}

Status Reader::Finish() const {
  for (const auto& [k, v] : table_) {
    if (seen_.count(std::string(k.str())) == 0) {
      return FieldError(*file_ + ":" + std::to_string(k.source().begin.line), Key(k.str()),
                        "a known key (see " + std::string(format_doc_) + ")", "an unknown key");
    }
  }
  return Status::Ok();
}

}  // namespace tally::toml
