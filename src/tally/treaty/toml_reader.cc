#include "tally/treaty/toml_reader.h"

#include <algorithm>
#include <cstdio>

#include "tally/model/state.h"

namespace tally::treaty::toml_detail {

std::string_view TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

std::string Got(const toml::node& n) {
  if (auto s = n.as_string()) return "\"" + s->get() + "\"";
  if (auto i = n.as_integer()) return std::to_string(i->get());
  if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
  if (auto d = n.as_date()) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->get().year, d->get().month, d->get().day);
    return buf;
  }
  return std::string(TypeName(n));
}

int LineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

Result<std::string> PartyCode(Reader& r, const toml::node& n, std::string_view key,
                              const std::string& name) {
  auto state = model::FindState(name);
  if (!state) return r.Error(n, key, "a state code (US RU CN FR GB IN PK IL KP) or name");
  return std::string(state->code);
}

Result<std::vector<std::pair<std::string, int64_t>>> PartyIntegers(
    Reader& r, std::string_view key, const std::vector<std::string>& parties) {
  std::vector<std::pair<std::string, int64_t>> out;
  TALLY_ASSIGN_OR_RETURN(auto table, r.OptTable(key));
  if (!table) return out;
  for (const auto& [k, v] : table->table()) {
    std::string name(k.str());
    table->Node(name);
    auto state = model::FindState(name);
    if (!state || std::find(parties.begin(), parties.end(), state->code) == parties.end()) {
      return FieldError(table->Where(v), table->Key(name), "one of the treaty's parties",
                        "\"" + name + "\"");
    }
    auto i = v.as_integer();
    if (!i || i->get() < 0) return table->Error(v, name, "a non-negative integer");
    out.emplace_back(std::string(state->code), i->get());
  }
  return out;
}

bool ValidId(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Result<std::string> Id(Reader& r, std::string_view key) {
  TALLY_ASSIGN_OR_RETURN(std::string id, r.String(key, true));
  if (!ValidId(id)) {
    return r.Error(*r.table().get(key), key, "an id of lower-case letters, digits, '-' and '_'");
  }
  return id;
}

}  // namespace tally::treaty::toml_detail
