#include "tally/model/state.h"

#include <cctype>
#include <string>
#include <vector>

#include "tally/base/text.h"

namespace tally::model {
namespace {

constexpr StateInfo kStates[] = {
    {"RU", "Russia", "Russia", true},        {"US", "United States", "US", true},
    {"CN", "China", "China", true},          {"FR", "France", "France", true},
    {"GB", "United Kingdom", "UK", true},    {"IN", "India", "India", true},
    {"PK", "Pakistan", "Pakistan", true},    {"IL", "Israel", "Israel", true},
    {"KP", "North Korea", "N. Korea", true}, {"ZA", "South Africa", "S. Africa", false},
};

struct Alias {
  std::string_view alias;
  std::string_view code;
};

constexpr Alias kAliases[] = {
    {"usa", "US"},
    {"united states of america", "US"},
    {"u.s.", "US"},
    {"russian federation", "RU"},
    {"ussr", "RU"},
    {"soviet union", "RU"},
    {"ussr/russia", "RU"},
    {"prc", "CN"},
    {"people's republic of china", "CN"},
    {"uk", "GB"},
    {"britain", "GB"},
    {"great britain", "GB"},
    {"dprk", "KP"},
    {"democratic people's republic of korea", "KP"},
};

std::string Lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::span<const StateInfo> AllStates() { return kStates; }

std::optional<StateInfo> FindState(std::string_view name_or_code) {
  const std::string key = Lower(name_or_code);
  for (const auto& s : kStates) {
    if (key == Lower(s.code) || key == Lower(s.name) || key == Lower(s.short_name)) return s;
  }
  for (const auto& a : kAliases) {
    if (key == a.alias) return FindState(a.code);
  }
  return std::nullopt;
}

std::string StateCodeExpectation(std::string_view code) {
  std::vector<std::string> codes;
  std::string list;
  for (const StateInfo& st : AllStates()) {
    if (st.code == code) return "";
    codes.emplace_back(st.code);
    list += (list.empty() ? "" : ", ") + std::string(st.code);
  }
  std::string out = "a state code (" + list + ")";
  if (auto st = FindState(code)) return out + "; write " + std::string(st->code);
  return out + DidYouMean(code, codes);
}

}  // namespace tally::model
