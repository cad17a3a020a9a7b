#include "tally/treaty/toml_reader.h"

#include <algorithm>

#include "tally/model/state.h"

namespace tally::treaty::toml_detail {

Result<std::string> PartyCode(Reader& r, const ::toml::node& n, std::string_view key,
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
