// Observation: one piece of evidence about one state's count in one category at one date, with the
// error model of the kind of source it comes from.
//
// Kinds and their default error models (docs/estimate.md explains the choices):
//   declared     treaty data exchange (New START aggregates): sd = max(3, 0.5 % of value) — the
//                count is exact, the remaining noise is counting-rule and timing slack;
//   inspection   an inspection finding: sd = max(2, 1 %);
//   independent  FAS, SIPRI and similar analysts: sd from a stated low/high (taken as a 90 %
//                interval), else 5 % of the value;
//   government   government intelligence reports (US DoD on China): sd = 15 % of the value.
// A range ("low 600s", relation kBetween) is read as a 90 % interval: sd = (high - low) / 3.29.
// Bounds ("more than 600") are honoured by the Kalman method with a stated tail mass
// (estimator.h); for the particle method they are soft by 5 % of the bound. An explicit sd on the
// observation overrides the default.
// Relations: a point value ("= 600"), a bound ("more than 600" is kAtLeast 600, "fewer than" is
// kAtMost) or a range (kBetween low and high). Bounds cannot enter a linear-Gaussian filter; the
// particle method takes them as soft likelihoods (docs/estimate.md).
//
// Thread safety: plain values.
#ifndef TALLY_ESTIMATE_OBSERVATION_H_
#define TALLY_ESTIMATE_OBSERVATION_H_

#include <optional>
#include <string>
#include <string_view>

#include "tally/base/date.h"

namespace tally::estimate {

enum class SourceKind { kDeclared, kInspection, kIndependent, kGovernment };
enum class Relation { kEqual, kAtLeast, kAtMost, kBetween };

std::string_view SourceKindName(SourceKind kind);
std::optional<SourceKind> ParseSourceKind(std::string_view name);
std::string_view RelationName(Relation relation);  // "=", ">=", "<=", "in"
std::optional<Relation> ParseRelation(std::string_view text);

struct Observation {
  std::string state;     // two-letter code, "RU"
  std::string category;  // e.g. "new_start_warheads", "stockpile", "deployed_strategic"
  Date date;
  SourceKind kind = SourceKind::kIndependent;
  Relation relation = Relation::kEqual;
  double value = 0;                 // the point value or the bound; the midpoint for kBetween
  std::optional<double> low, high;  // a stated range (kBetween, or bounds around a point value)
  std::optional<double> sd;         // explicit error sd; overrides the kind's default
  std::string source;               // who said it, where
  std::string where;                // "file:line" the observation was read from
};

// The error standard deviation the estimators use for `o`.
double ErrorSd(const Observation& o);

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_OBSERVATION_H_
