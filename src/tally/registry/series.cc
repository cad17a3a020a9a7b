#include "tally/registry/series.h"

#include <algorithm>
#include <map>

namespace tally::registry {

std::vector<SeriesPoint> BuildSeries(const std::vector<model::Figure>& figures,
                                     std::string_view state, model::Category category,
                                     const std::vector<std::string>& preference) {
  auto rank = [&](const model::Figure& f) {
    auto it = std::find(preference.begin(), preference.end(), f.dataset);
    return static_cast<int>(it - preference.begin());  // preference.size() when not listed
  };
  std::map<int, const model::Figure*> chosen;
  for (const auto& f : figures) {
    if (f.state != state || f.category != category) continue;
    auto& slot = chosen[f.year()];
    if (!slot) {
      slot = &f;
      continue;
    }
    const int rf = rank(f), rs = rank(*slot);
    if (rf < rs || (rf == rs && f.as_of > slot->as_of)) slot = &f;
  }
  std::vector<SeriesPoint> out;
  for (const auto& [year, f] : chosen) out.push_back({year, f->value, f->dataset, f->confidence});
  return out;
}

std::optional<SeriesPoint> Peak(const std::vector<SeriesPoint>& series) {
  std::optional<SeriesPoint> best;
  for (const auto& p : series) {
    if (!best || p.value > best->value) best = p;
  }
  return best;
}

std::optional<SeriesPoint> At(const std::vector<SeriesPoint>& series, int year) {
  for (const auto& p : series) {
    if (p.year == year) return p;
  }
  return std::nullopt;
}

}  // namespace tally::registry
