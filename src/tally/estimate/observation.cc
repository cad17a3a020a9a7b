#include "tally/estimate/observation.h"

#include <algorithm>
#include <cmath>

namespace tally::estimate {

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kDeclared:
      return "declared";
    case SourceKind::kInspection:
      return "inspection";
    case SourceKind::kIndependent:
      return "independent";
    case SourceKind::kGovernment:
      return "government";
  }
  return "independent";
}

std::optional<SourceKind> ParseSourceKind(std::string_view name) {
  for (SourceKind k : {SourceKind::kDeclared, SourceKind::kInspection, SourceKind::kIndependent,
                       SourceKind::kGovernment}) {
    if (SourceKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view RelationName(Relation relation) {
  switch (relation) {
    case Relation::kEqual:
      return "=";
    case Relation::kAtLeast:
      return ">=";
    case Relation::kAtMost:
      return "<=";
    case Relation::kBetween:
      return "in";
  }
  return "=";
}

std::optional<Relation> ParseRelation(std::string_view text) {
  for (Relation r : {Relation::kEqual, Relation::kAtLeast, Relation::kAtMost, Relation::kBetween}) {
    if (RelationName(r) == text) return r;
  }
  return std::nullopt;
}

double ErrorSd(const Observation& o) {
  if (o.sd) return *o.sd;
  const double v = std::abs(o.value);
  // A range is a 90 % interval: the stated low and high are its 5 % and 95 % points.
  if (o.relation == Relation::kBetween && o.low && o.high && *o.high > *o.low) {
    return std::max(1.0, (*o.high - *o.low) / (2 * 1.6448536269514722));
  }
  // A bound is a statement about which side of a number the count lies on; its softness (used by
  // the particle method only; the Kalman method honours bounds with a stated tail mass) is
  // smaller than a point estimate's error.
  if (o.relation != Relation::kEqual && o.kind != SourceKind::kDeclared &&
      o.kind != SourceKind::kInspection) {
    return std::max(5.0, 0.05 * v);
  }
  switch (o.kind) {
    case SourceKind::kDeclared:
      return std::max(3.0, 0.005 * v);
    case SourceKind::kInspection:
      return std::max(2.0, 0.01 * v);
    case SourceKind::kIndependent:
      if (o.relation == Relation::kEqual && o.low && o.high && *o.high > *o.low) {
        return (*o.high - *o.low) / (2 * 1.6448536269514722);
      }
      return std::max(5.0, 0.05 * v);
    case SourceKind::kGovernment:
      return std::max(5.0, 0.15 * v);
  }
  return std::max(5.0, 0.10 * v);
}

}  // namespace tally::estimate
