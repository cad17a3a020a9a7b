// SiteWalk: the sampler behind SimulateSites (monte_carlo.h) for regimes of up to 20 sites whose
// tables fit in 2 MiB: precomputed tables that draw a treaty year of a sites regime (which sites
// are visited, and whether the year detects) from 32 random bits per two visits plus 32 for the
// outcome, and the chunk kernels that run trials on them (scalar, AVX2 and AVX-512 where the CPU
// has them, drawing the same numbers). Why each shortcut samples the regime exactly: site_walk.cc.
//
// Errors: none; PlanSiteWalk returns false when the regime is too big for tables, and the caller
// simulates visit by visit instead. Inputs are validated by monte_carlo.cc (Validate).
// Ownership and thread safety: a SiteWalk is a plain value, immutable once built; WalkChunk only
// reads it and may run on many threads at once, each with its own generator.
#ifndef TALLY_INSPECT_SITE_WALK_H_
#define TALLY_INSPECT_SITE_WALK_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tally/stats/rng.h"

namespace tally::inspect::internal {

struct SiteWalk {
  std::vector<uint32_t> visits;              // visits per step: 2, and 1 for an odd last one
  std::vector<uint64_t> outcomes;            // outcomes per set in each step's layer
  std::vector<std::vector<uint64_t>> slots;  // per step: set offset + slot -> packed entry
  std::vector<uint64_t> year_miss;  // per final set: a 32-bit draw below this misses (<= 2^32)
};

// Plans the steps of a year for `sites` sites and `visits` visits a year (two visits a step where
// the tables fit, else one); false when even one-visit tables would be too big.
bool PlanSiteWalk(size_t sites, size_t visits, SiteWalk& w);
// Fills the tables of a planned walk: `weight` per site (the choice rule's), `site_miss` the
// probability that one visit to the site misses, `challenge_miss` that a year's challenge
// inspections miss.
void BuildSiteWalk(const std::vector<double>& weight, const std::vector<double>& site_miss,
                   double challenge_miss, SiteWalk& w);
// Runs `n` trials of `years` years each from `chunk_rng`; returns how many detected. The result
// depends only on the tables, `years`, `n` and the generator's state.
uint64_t WalkChunk(const SiteWalk& w, uint64_t years, uint64_t n, stats::Rng& chunk_rng);

// The kernels WalkChunk chooses from, slowest first. All return the same results for the same
// generator state (a test compares them); WalkChunk runs the fastest the CPU has.
enum class WalkKernel { kScalar, kAvx2, kAvx512 };
std::vector<WalkKernel> AvailableWalkKernels();
// For tests and benchmarks: the fastest kernel WalkChunk may use from now on, process-wide
// (default kAvx512). Safe at any time: the results do not change.
void LimitWalkKernel(WalkKernel fastest);

}  // namespace tally::inspect::internal

#endif  // TALLY_INSPECT_SITE_WALK_H_
