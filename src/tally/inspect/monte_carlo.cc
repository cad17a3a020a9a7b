#include "tally/inspect/monte_carlo.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "tally/inspect/site_walk.h"
#include "tally/stats/rng.h"

namespace tally::inspect {
namespace {

constexpr uint64_t kChunk = 1 << 16;

// A probability as a 64-bit threshold: a uniform 64-bit draw u "succeeds" iff u < threshold.
uint64_t Threshold(long double p) {
  if (p <= 0.0L) return 0;
  if (p >= 1.0L) return ~uint64_t{0};
  return static_cast<uint64_t>(p * 18446744073709551616.0L);
}

struct ChunkResult {
  uint64_t detections = 0;
};

// Runs `body(chunk_index, trials_in_chunk, rng)` over all chunks on `threads` workers and sums.
template <typename Body>
ChunkResult RunChunks(uint64_t trials, uint64_t seed, unsigned threads, Body body) {
  const uint64_t chunks = (trials + kChunk - 1) / kChunk;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<uint64_t>(threads, std::max<uint64_t>(chunks, 1)));
  std::vector<ChunkResult> per_chunk(chunks);
  std::atomic<uint64_t> next{0};
  auto worker = [&] {
    for (uint64_t c = next++; c < chunks; c = next++) {
      const uint64_t n = std::min(kChunk, trials - c * kChunk);
      stats::Rng rng(seed, c);
      per_chunk[c] = body(n, rng);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  ChunkResult total;
  for (const auto& r : per_chunk) {
    total.detections += r.detections;
  }
  return total;
}

MonteCarloEstimate Summarise(uint64_t trials, const ChunkResult& r) {
  MonteCarloEstimate e;
  e.trials = trials;
  e.detections = r.detections;
  e.p_detect = trials ? static_cast<double>(r.detections) / static_cast<double>(trials) : 0.0;
  WilsonInterval(r.detections, trials, e.ci95_low, e.ci95_high);
  return e;
}

}  // namespace

void WilsonInterval(uint64_t successes, uint64_t trials, double& low, double& high) {
  if (trials == 0) {
    low = 0.0;
    high = 1.0;
    return;
  }
  const double z = 1.959963984540054;
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double denom = 1.0 + z * z / n;
  const double centre = (p + z * z / (2 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom;
  low = std::max(0.0, centre - half);
  high = std::min(1.0, centre + half);
}

Result<MonteCarloEstimate> SimulateSimple(const SamplingCase& c, const MonteCarloOptions& options) {
  TALLY_ASSIGN_OR_RETURN(double miss, MissProbability(c));
  const uint64_t miss_threshold = Threshold(miss);
  // Detection is X > 0, i.e. the uniform draw lands above the CDF at 0; counting it without a
  // branch keeps the loop at one draw and one compare per trial.
  auto body = [&](uint64_t n, stats::Rng& rng) {
    ChunkResult r;
    for (uint64_t t = 0; t < n; ++t) r.detections += rng.Next() >= miss_threshold;
    return r;
  };
  return Summarise(options.trials, RunChunks(options.trials, options.seed, options.threads, body));
}

Status Validate(const SiteRegime& g) {
  if (g.sites.empty()) return InvalidArgument("sites: expected at least one site, got none");
  for (const auto& s : g.sites) {
    if (s.items == 0)
      return InvalidArgument("site '" + s.name + "': items: expected at least 1, got 0");
    if (s.cheats > s.items) {
      return InvalidArgument("site '" + s.name + "': cheats: expected at most items (" +
                             std::to_string(s.items) + "), got " + std::to_string(s.cheats));
    }
    if (g.choice == SiteChoice::kGiven && !(s.weight > 0.0)) {
      return InvalidArgument("site '" + s.name + "': weight: expected a positive number");
    }
  }
  if (g.visits_per_year > g.sites.size()) {
    return InvalidArgument("visits_per_year: expected at most the number of sites (" +
                           std::to_string(g.sites.size()) + "), got " +
                           std::to_string(g.visits_per_year));
  }
  if (g.years == 0) return InvalidArgument("years: expected at least 1, got 0");
  if (g.undeclared_sites > g.candidate_locations) {
    return InvalidArgument("undeclared_sites: expected at most candidate_locations (" +
                           std::to_string(g.candidate_locations) + "), got " +
                           std::to_string(g.undeclared_sites));
  }
  if (g.challenge_inspections_per_year > g.candidate_locations) {
    return InvalidArgument("challenge_inspections_per_year: expected at most candidate_locations");
  }
  return Status::Ok();
}

namespace {

// Site weights as the regime's choice rule gives them.
std::vector<double> SiteWeights(const SiteRegime& g) {
  std::vector<double> w;
  for (const auto& s : g.sites) {
    w.push_back(g.choice == SiteChoice::kUniform   ? 1.0
                : g.choice == SiteChoice::kByItems ? static_cast<double>(s.items)
                                                   : s.weight);
  }
  return w;
}

}  // namespace

Result<MonteCarloEstimate> SimulateSites(const SiteRegime& g, const MonteCarloOptions& options) {
  TALLY_RETURN_IF_ERROR(Validate(g));
  const size_t j_count = g.sites.size();
  const std::vector<double> weight = SiteWeights(g);
  std::vector<double> site_miss(j_count);
  std::vector<uint64_t> miss(j_count);  // per-visit miss threshold for a 64-bit draw
  for (size_t j = 0; j < j_count; ++j) {
    const auto& s = g.sites[j];
    TALLY_ASSIGN_OR_RETURN(
        site_miss[j], MissProbability({s.items, s.cheats, std::min(g.items_per_visit, s.items)}));
    miss[j] = Threshold(site_miss[j]);
  }
  double challenge_miss = 1.0;
  if (g.challenge_inspections_per_year > 0 && g.undeclared_sites > 0) {
    TALLY_ASSIGN_OR_RETURN(challenge_miss,
                           MissProbability({g.candidate_locations, g.undeclared_sites,
                                            g.challenge_inspections_per_year}));
  }
  const uint64_t challenge_threshold = Threshold(challenge_miss);
  internal::SiteWalk walk;
  if (internal::PlanSiteWalk(j_count, g.visits_per_year, walk)) {
    internal::BuildSiteWalk(weight, site_miss, challenge_miss, walk);
    auto walk_body = [&](uint64_t n, stats::Rng& chunk_rng) {
      ChunkResult r;
      r.detections = internal::WalkChunk(walk, g.years, n, chunk_rng);
      return r;
    };
    return Summarise(options.trials,
                     RunChunks(options.trials, options.seed, options.threads, walk_body));
  }
  // The direct path: successive weighted draws, walking the weights linearly.
  const bool uniform = g.choice == SiteChoice::kUniform;
  double total_weight = 0;
  for (double w : weight) total_weight += w;

  auto body = [&](uint64_t n, stats::Rng& rng) {
    ChunkResult r;
    std::vector<uint32_t> order(j_count);
    std::vector<double> w(j_count);
    for (uint64_t t = 0; t < n; ++t) {
      bool caught = false;
      for (uint64_t y = 0; y < g.years && !caught; ++y) {
        if (uniform) {
          // Partial Fisher-Yates: the first v entries are a uniform random v-subset.
          for (uint32_t j = 0; j < j_count; ++j) order[j] = j;
          for (uint64_t v = 0; v < g.visits_per_year && !caught; ++v) {
            const uint64_t pick = v + rng.Below(j_count - v);
            std::swap(order[v], order[pick]);
            caught = rng.Next() >= miss[order[v]];
          }
        } else {
          std::copy(weight.begin(), weight.end(), w.begin());
          double left = total_weight;
          for (uint64_t v = 0; v < g.visits_per_year && !caught; ++v) {
            double u = rng.Uniform() * left;
            size_t j = 0;
            while (j + 1 < j_count && (w[j] == 0.0 || u >= w[j])) {
              u -= w[j];
              ++j;
            }
            left -= w[j];
            w[j] = 0.0;
            caught = rng.Next() >= miss[j];
          }
        }
        if (!caught && challenge_threshold != ~uint64_t{0})
          caught = rng.Next() >= challenge_threshold;
      }
      r.detections += caught;
    }
    return r;
  };
  return Summarise(options.trials, RunChunks(options.trials, options.seed, options.threads, body));
}

Result<double> ExactSiteDetection(const SiteRegime& g) {
  TALLY_RETURN_IF_ERROR(Validate(g));
  const size_t J = g.sites.size();
  if (J > 20)
    return InvalidArgument("exact site detection: at most 20 sites, got " + std::to_string(J));
  const std::vector<double> weight = SiteWeights(g);
  std::vector<double> q(J);
  for (size_t j = 0; j < J; ++j) {
    const auto& s = g.sites[j];
    TALLY_ASSIGN_OR_RETURN(
        q[j], MissProbability({s.items, s.cheats, std::min(g.items_per_visit, s.items)}));
  }
  // reach[S]: probability that the year's first |S| visits went to exactly the set S, in some
  // order, without a detection. Summing over sets of size v gives the year's miss probability.
  std::vector<long double> reach(size_t{1} << J, 0.0L);
  reach[0] = 1.0L;
  long double year_miss = 0.0L;
  for (size_t state = 0; state < reach.size(); ++state) {
    if (reach[state] == 0.0L) continue;
    const size_t visited = static_cast<size_t>(__builtin_popcountll(state));
    if (visited == g.visits_per_year) {
      year_miss += reach[state];
      continue;
    }
    long double left = 0.0L;
    for (size_t j = 0; j < J; ++j) {
      if (!(state >> j & 1)) left += weight[j];
    }
    for (size_t j = 0; j < J; ++j) {
      if (state >> j & 1) continue;
      reach[state | (size_t{1} << j)] += reach[state] * (weight[j] / left) * q[j];
    }
  }
  if (g.challenge_inspections_per_year > 0 && g.undeclared_sites > 0) {
    TALLY_ASSIGN_OR_RETURN(double cm, MissProbability({g.candidate_locations, g.undeclared_sites,
                                                       g.challenge_inspections_per_year}));
    year_miss *= cm;
  }
  return static_cast<double>(1.0L - std::pow(year_miss, static_cast<long double>(g.years)));
}

Result<double> ExactUniformSiteDetection(const SiteRegime& g) {
  TALLY_RETURN_IF_ERROR(Validate(g));
  if (g.choice != SiteChoice::kUniform) {
    return InvalidArgument("exact site detection covers uniform site choice only");
  }
  // E[prod_{j in S} q_j] over uniform v-subsets S = e_v(q) / C(J, v); e_k by the usual DP, with
  // the binomial folded in step by step to stay in range.
  const size_t J = g.sites.size();
  const size_t v = g.visits_per_year;
  std::vector<long double> e(v + 1, 0.0L);  // e[k] = e_k / C(processed, k)
  e[0] = 1.0L;
  for (size_t j = 0; j < J; ++j) {
    const auto& s = g.sites[j];
    TALLY_ASSIGN_OR_RETURN(
        double q, MissProbability({s.items, s.cheats, std::min(g.items_per_visit, s.items)}));
    const long double m = static_cast<long double>(j);  // sites processed before this one
    for (size_t k = std::min(v, j + 1); k >= 1; --k) {
      // e_k(new)/C(m+1,k) = [e_k(old) + q e_{k-1}(old)] / C(m+1,k)
      const long double keep = (m + 1 - k) / (m + 1);                 // C(m,k)/C(m+1,k)
      const long double add = static_cast<long double>(k) / (m + 1);  // C(m,k-1)/C(m+1,k)
      e[k] = e[k] * keep + q * e[k - 1] * add;
    }
  }
  long double year_miss = e[v];
  if (g.challenge_inspections_per_year > 0 && g.undeclared_sites > 0) {
    TALLY_ASSIGN_OR_RETURN(double cm, MissProbability({g.candidate_locations, g.undeclared_sites,
                                                       g.challenge_inspections_per_year}));
    year_miss *= cm;
  }
  return static_cast<double>(1.0L - std::pow(year_miss, static_cast<long double>(g.years)));
}

}  // namespace tally::inspect
