// Monte Carlo of inspection regimes that no single formula covers.
//
// Two regimes:
//  - Simple: N items, r defective, n sampled without replacement. A trial detects when the number
//    of defective items found, X ~ Hypergeometric(N, r, n), is above 0: by inversion of X's CDF at
//    0, one 64-bit uniform draw against a precomputed threshold per trial. It is the baseline
//    against which the machinery is measured; the exact value (detection.h) checks it.
//  - Sites: inspections first choose a site, then designate items within it. Sites differ in size
//    and in how many defective items they hold (overloaded missiles concentrated at a few bases).
//    Each treaty year, `visits_per_year` distinct sites are chosen by successive weighted draws
//    without replacement (weights: uniform, by number of items, or given), and at each chosen site
//    `items_per_visit` items are designated uniformly without replacement. Undeclared items at
//    undeclared sites are seen only by challenge inspections: each year
//    `challenge_inspections_per_year` distinct locations are drawn uniformly from
//    `candidate_locations`, of which `undeclared_sites` hold undeclared items.
//    A trial is one run of `years` treaty years; it detects if any visit finds a defective item.
//
// How the sites regime is sampled (site_walk.cc argues each step is exact): a year's visits are
// a Markov chain on the set of sites visited so far. With up to 20 sites and tables within 2 MiB
// the chain is walked two visits per 32-bit draw, against precomputed alias tables of the exact
// two-visit transition law (one table per reachable set); the year's outcome is then one 32-bit
// draw against the exact miss probability of the set visited (the product of the per-site
// hypergeometric miss probabilities and of the challenge inspections'), so sites without cheats
// cost nothing. Probabilities are represented to 2^-24 or better, far below any Monte Carlo
// interval. Larger regimes take successive weighted draws walking the weights linearly.
//
// Reproducibility: trials are cut into fixed chunks; chunk c draws from stats::Rng(seed, c), so the
// result depends only on (regime, trials, seed), never on the number of threads, nor on which of
// the site walk's kernels (scalar, AVX2, AVX-512) the CPU runs.
// Estimates carry a 95 % Wilson score interval.
//
// Thread safety: the functions are reentrant; they start and join their own worker threads.
#ifndef TALLY_INSPECT_MONTE_CARLO_H_
#define TALLY_INSPECT_MONTE_CARLO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/inspect/detection.h"

namespace tally::inspect {

struct MonteCarloOptions {
  uint64_t trials = 1'000'000;
  uint64_t seed = 1;
  unsigned threads = 0;  // 0: one per hardware thread
};

struct MonteCarloEstimate {
  uint64_t trials = 0;
  uint64_t detections = 0;
  double p_detect = 0.0;
  double ci95_low = 0.0;
  double ci95_high = 0.0;
};

Result<MonteCarloEstimate> SimulateSimple(const SamplingCase& c, const MonteCarloOptions& options);

struct Site {
  std::string name;
  uint64_t items = 0;
  uint64_t cheats = 0;
  double weight = 0.0;  // used with SiteChoice::kGiven
};

enum class SiteChoice { kUniform, kByItems, kGiven };

struct SiteRegime {
  std::vector<Site> sites;
  uint64_t visits_per_year = 10;
  uint64_t items_per_visit = 1;  // capped at each site's size
  uint64_t years = 1;
  SiteChoice choice = SiteChoice::kUniform;
  uint64_t undeclared_sites = 0;
  uint64_t candidate_locations = 0;
  uint64_t challenge_inspections_per_year = 0;
};

// Errors name the field: no sites, visits > sites, a site with cheats > items, weights <= 0, ...
Status Validate(const SiteRegime& regime);
Result<MonteCarloEstimate> SimulateSites(const SiteRegime& regime,
                                         const MonteCarloOptions& options);

// The exact detection probability of a site regime whose site choice is uniform, by elementary
// symmetric polynomials of the per-site miss probabilities (used to test the simulation).
Result<double> ExactUniformSiteDetection(const SiteRegime& regime);
// The exact detection probability for any site choice, by dynamic programming over the sets of
// sites visited so far in a year: O(2^J J) time and memory, so at most 20 sites.
Result<double> ExactSiteDetection(const SiteRegime& regime);

// 95 % Wilson score interval for `successes` out of `trials`.
void WilsonInterval(uint64_t successes, uint64_t trials, double& low, double& high);

}  // namespace tally::inspect

#endif  // TALLY_INSPECT_MONTE_CARLO_H_
