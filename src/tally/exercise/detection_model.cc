#include "tally/exercise/detection_model.h"

#include <algorithm>
#include <cmath>

#include "tally/inspect/detection.h"
#include "tally/inspect/monte_carlo.h"

namespace tally::exercise {

Result<double> YearDetectionProbability(const std::vector<SiteCount>& sites, uint64_t visits,
                                        uint64_t per_visit) {
  if (sites.empty() || visits == 0) return 0.0;
  std::vector<inspect::Site> regime_sites;
  double full_rounds_miss = 1.0;
  const uint64_t rounds = visits / sites.size();
  const uint64_t rest = visits % sites.size();
  for (const SiteCount& s : sites) {
    if (s.cheats > s.items) {
      return InvalidArgument("site \"" + s.site + "\": " + std::to_string(s.cheats) +
                             " defective items out of " + std::to_string(s.items));
    }
    // A whole-site inspection sees every defective item: one candidate, defective or not.
    const uint64_t items = per_visit == 0 ? 1 : std::max<uint64_t>(s.items, 1);
    const uint64_t cheats = per_visit == 0 ? (s.cheats > 0 ? 1 : 0) : s.cheats;
    const uint64_t sample = per_visit == 0 ? 1 : std::min(per_visit, items);
    TALLY_ASSIGN_OR_RETURN(double miss, inspect::MissProbability({items, cheats, sample}));
    full_rounds_miss *= std::pow(miss, static_cast<double>(rounds));
    regime_sites.push_back(inspect::Site{s.site, items, cheats, 0.0});
  }
  double partial_miss = 1.0;
  if (rest > 0) {
    inspect::SiteRegime regime;
    regime.sites = std::move(regime_sites);
    regime.visits_per_year = rest;
    regime.items_per_visit = per_visit == 0 ? 1 : per_visit;
    regime.years = 1;
    regime.choice = inspect::SiteChoice::kUniform;
    TALLY_ASSIGN_OR_RETURN(double detect, inspect::ExactUniformSiteDetection(regime));
    partial_miss = 1.0 - detect;
  }
  return 1.0 - full_rounds_miss * partial_miss;
}

}  // namespace tally::exercise
