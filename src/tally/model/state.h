// The nine nuclear-armed states and the names sources give them.
//
// A state is identified by a stable two-letter code (ISO 3166-1 alpha-2 where one exists):
// US, RU, CN, FR, GB, IN, PK, IL, KP. Sources and treaty texts name them many ways ("United
// States", "USA", "Russian Federation", "USSR", "Soviet Union", "DPRK", ...); FindState maps every
// known spelling to the code. The Soviet Union and Russia share RU: treaty data and the FAS series
// treat Russia as the USSR's continuator. South Africa (ZA, dismantled 1989–91) appears only in
// history. "World" is not a state; datasets that report it keep it as an aggregate row.
#ifndef TALLY_MODEL_STATE_H_
#define TALLY_MODEL_STATE_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tally::model {

struct StateInfo {
  std::string_view code;        // "US"
  std::string_view name;        // "United States"
  std::string_view short_name;  // "US" as used in tables
  bool nuclear_armed_today;     // false for South Africa
};

// The nine nuclear-armed states in the order analysts list them (by inventory), then South Africa.
std::span<const StateInfo> AllStates();
// Case-insensitive lookup by code, name or known alias; nullopt when unknown.
std::optional<StateInfo> FindState(std::string_view name_or_code);
// "" when `code` is exactly the code of a known state ("US"); otherwise what an error expects in
// its place: "a state code (US, RU, CN, ...)", naming the code meant when `code` is a name, alias
// or lower-case code of a known state ("write US"), or a close code ("did you mean ...").
std::string StateCodeExpectation(std::string_view code);

}  // namespace tally::model

#endif  // TALLY_MODEL_STATE_H_
