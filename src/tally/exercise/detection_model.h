// DetectionModel: the probability that a treaty year's inspections catch a physical cheat, in
// closed form, for the site choice the exercise makes (treaty_year.h).
//
// One inspecting party makes `visits` inspections of one type in a year. Each visits a site chosen
// uniformly among the `sites` not yet visited (a new round once all have been), then designates
// `per_visit` of the site's candidate items uniformly without replacement (per_visit 0: the whole
// site). Site s holds items_s candidates of which cheats_s are defective (an overloaded missile,
// or, for a whole-site inspection, the hidden items as one). With S sites, visits = qS + r:
//   P(miss) = prod_s m_s^q * E[prod_{s in R} m_s],   m_s = C(items_s - cheats_s, k) / C(items_s, k)
// where R is a uniform r-subset of the sites (inspect::ExactUniformSiteDetection gives the
// expectation) and k = min(per_visit, items_s), or m_s = [cheats_s = 0] for a whole site.
// Errors: a site with cheats above items (InvalidArgument).
// Thread safety: pure.
#ifndef TALLY_EXERCISE_DETECTION_MODEL_H_
#define TALLY_EXERCISE_DETECTION_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tally/base/result.h"

namespace tally::exercise {

struct SiteCount {
  std::string site;
  uint64_t items = 0;   // designation candidates (for a whole site: anything, cheats 0 or 1)
  uint64_t cheats = 0;  // defective candidates
};

Result<double> YearDetectionProbability(const std::vector<SiteCount>& sites, uint64_t visits,
                                        uint64_t per_visit);

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_DETECTION_MODEL_H_
