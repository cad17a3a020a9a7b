// Scenario: a projection's assumptions as a file (docs/formats/scenario.md), every one named and
// sourced, so that a published chart can be traced back to them (outputs carry the file's
// SHA-256, computed by the caller).
//
// A scenario has series (one per [[party]]: a state's count of one quantity), each moving as a
// Richardson-type N-party model
//     dx_i/dt = g_i + sum_j k_ij x_j - a_i x_i
// (g growth or build-up rate, k reactions to the other parties, a fatigue), kept within
// [min_i, max_i] and at most max_rate_i warheads a year either way; phases override the growth
// and impose ceilings over date ranges (a one-year observance of New START's limits, an upload
// that starts on a date). Limits ([[limit]]) and treaty ids (scenario.treaties) name the ceilings
// every path is compared with. Uncertain parameters are distributions; an ensemble draws them.
//
// Errors (ParseScenario): kInvalidArgument "file:line: key 'x': expected ..., got ..." for an
// unknown table or key, a missing required key, a wrong type, a negative count, an impossible or
// inverted date, an unknown state, a reference to an unknown series. Thread safety: plain values.
#ifndef TALLY_SCENARIO_SCENARIO_H_
#define TALLY_SCENARIO_SCENARIO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/stats/rng.h"

namespace tally::scenario {

// A number that may be uncertain: a constant, normal(mean, sd) or uniform(low, high).
struct Param {
  enum class Kind { kConstant, kNormal, kUniform };
  Kind kind = Kind::kConstant;
  double a = 0;  // value, mean or low
  double b = 0;  // sd or high
  double Central() const { return kind == Kind::kUniform ? 0.5 * (a + b) : a; }
  double Draw(stats::Rng& rng) const;
  std::string Describe() const;  // "100", "normal(100, 25)", "uniform(80, 120)"
};

struct Series {
  std::string id;        // unique; defaults to the state code
  std::string state;     // two-letter code
  std::string quantity;  // e.g. "deployed_warheads", "stockpile"; compared with limits by name
  Param initial;
  Param growth;                    // warheads per year
  Param fatigue;                   // Richardson's a, per year
  double min = 0;                  // floor
  std::optional<double> max;       // ceiling (capacity)
  std::optional<double> max_rate;  // warheads per year, either direction
  std::string source;
  int line = 0;
};

struct Reaction {
  std::string series;  // whose rate changes
  std::string to;      // in reaction to this series' level
  Param coefficient;   // k, per year
  std::string source;
  int line = 0;
};

struct Phase {
  std::string series;
  Date from;
  std::optional<Date> until;  // first day no longer applying
  std::optional<Param> growth;
  std::optional<double> cap;
  std::string source;
  int line = 0;
};

struct LimitLine {
  std::string id;
  std::string name;
  std::string quantity;
  std::vector<std::string> parties;  // state codes; empty = every series
  double max = 0;
  std::optional<Date> from;
  std::optional<Date> until;  // first day no longer applying
  std::string source;         // where the limit comes from (file:line or a treaty file)
  bool Applies(std::string_view state, Date d) const;
};

struct Scenario {
  std::string name;
  std::string description;
  Date start, end;
  bool yearly = false;  // step = "year"; else monthly
  int members = 1000;
  uint64_t seed = 1;
  std::vector<std::string> treaties;  // ids of treaties to compare with (resolved by the caller)
  std::vector<Series> series;
  std::vector<Reaction> reactions;
  std::vector<Phase> phases;
  std::vector<LimitLine> limits;
  std::string file;  // name given to ParseScenario

  // The grid: start, start + 1 step, ... <= end.
  std::vector<Date> Dates() const;
  int SeriesIndex(std::string_view id) const;  // -1 when unknown
};

Result<Scenario> ParseScenario(std::string_view text, const std::string& name);

}  // namespace tally::scenario

#endif  // TALLY_SCENARIO_SCENARIO_H_
