// Series: one state's figures of one category over the years, and their landmarks.
//
// BuildSeries takes figures (usually the history dataset plus later snapshots) and keeps one
// value per year: from the first dataset in `preference` that has one, else from the figure with
// the latest as_of in that year. Peak finds the maximum (the earliest year on ties).
//
// Pure functions over values; thread-safe.
#ifndef TALLY_REGISTRY_SERIES_H_
#define TALLY_REGISTRY_SERIES_H_

#include <optional>
#include <string>
#include <vector>

#include "tally/model/figure.h"

namespace tally::registry {

struct SeriesPoint {
  int year = 0;
  int64_t value = 0;
  std::string dataset;
  model::Confidence confidence = model::Confidence::kConfirmed;
};

std::vector<SeriesPoint> BuildSeries(const std::vector<model::Figure>& figures,
                                     std::string_view state, model::Category category,
                                     const std::vector<std::string>& preference = {});

std::optional<SeriesPoint> Peak(const std::vector<SeriesPoint>& series);
// The point of `year`, if the series has one.
std::optional<SeriesPoint> At(const std::vector<SeriesPoint>& series, int year);

}  // namespace tally::registry

#endif  // TALLY_REGISTRY_SERIES_H_
