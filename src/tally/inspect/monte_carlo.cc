#include "tally/inspect/monte_carlo.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <thread>

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

// For up to kMaxTableSites sites, every state of a year's draw (the set of sites already visited)
// gets a Walker alias table over the sites still available, so that one visit costs one 64-bit
// draw: the high half picks a table slot (multiply-shift), the fraction left over by that multiply
// is the alias coin, and the low half decides detection at the chosen site. Each slot packs the
// coin threshold (24 bits; selection probabilities are exact to 6e-8) and the two candidate sites
// (4 bits each) into one 32-bit word; states are 16 slots apart.
constexpr size_t kMaxTableSites = 14;
constexpr int kSlotShift = 4;

std::vector<uint32_t> BuildAliasTables(const std::vector<double>& weight) {
  const size_t J = weight.size();
  const size_t states = size_t{1} << J;
  std::vector<uint32_t> table(states << kSlotShift, 0);
  std::vector<uint32_t> avail;
  std::vector<double> scaled;
  std::vector<size_t> small, large;
  auto pack = [](double keep, uint32_t primary, uint32_t alias) {
    const uint32_t coin = keep >= 1.0 ? 0xFFFFFFu : static_cast<uint32_t>(keep * 16777216.0);
    return coin << 8 | primary << 4 | alias;
  };
  for (size_t state = 0; state < states; ++state) {
    avail.clear();
    double total = 0;
    for (uint32_t j = 0; j < J; ++j) {
      if (!(state >> j & 1)) {
        avail.push_back(j);
        total += weight[j];
      }
    }
    const size_t k = avail.size();
    if (k == 0) continue;
    uint32_t* slot = &table[state << kSlotShift];
    scaled.assign(k, 0);
    small.clear();
    large.clear();
    for (size_t i = 0; i < k; ++i) {
      scaled[i] = weight[avail[i]] * static_cast<double>(k) / total;
      (scaled[i] < 1.0 ? small : large).push_back(i);
      slot[i] = pack(1.0, avail[i], avail[i]);
    }
    while (!small.empty() && !large.empty()) {
      const size_t lo = small.back(), hi = large.back();
      small.pop_back();
      slot[lo] = pack(scaled[lo], avail[lo], avail[hi]);
      scaled[hi] -= 1.0 - scaled[lo];
      if (scaled[hi] < 1.0) {
        large.pop_back();
        small.push_back(hi);
      }
    }
    // Whatever is left (rounding) keeps its own site with certainty, as packed above.
  }
  return table;
}

uint32_t Threshold32(double p) {
  if (p <= 0.0) return 0;
  if (p >= 1.0) return 0xFFFFFFFFu;
  return static_cast<uint32_t>(p * 4294967296.0);
}

}  // namespace

Result<MonteCarloEstimate> SimulateSites(const SiteRegime& g, const MonteCarloOptions& options) {
  TALLY_RETURN_IF_ERROR(Validate(g));
  const size_t j_count = g.sites.size();
  std::vector<uint64_t> miss(j_count);  // per-visit miss threshold at each site
  std::vector<double> weight(j_count);
  for (size_t j = 0; j < j_count; ++j) {
    const auto& s = g.sites[j];
    TALLY_ASSIGN_OR_RETURN(
        double m, MissProbability({s.items, s.cheats, std::min(g.items_per_visit, s.items)}));
    miss[j] = Threshold(m);
    weight[j] = g.choice == SiteChoice::kUniform   ? 1.0
                : g.choice == SiteChoice::kByItems ? static_cast<double>(s.items)
                                                   : s.weight;
  }
  double challenge_miss = 1.0;
  if (g.challenge_inspections_per_year > 0 && g.undeclared_sites > 0) {
    TALLY_ASSIGN_OR_RETURN(challenge_miss,
                           MissProbability({g.candidate_locations, g.undeclared_sites,
                                            g.challenge_inspections_per_year}));
  }
  const uint64_t challenge_threshold = Threshold(challenge_miss);
  if (j_count <= kMaxTableSites) {
    const std::vector<uint32_t> table = BuildAliasTables(SiteWeights(g));
    const uint32_t all_sites = (1u << j_count) - 1;
    std::vector<uint32_t> miss32(j_count);
    for (size_t j = 0; j < j_count; ++j) {
      miss32[j] = Threshold32(static_cast<double>(miss[j]) / 18446744073709551616.0);
    }
    const uint64_t visits = g.visits_per_year;
    // Four trials advance in lockstep, each with its own generator, so that the dependent chain
    // (visited set -> table -> site -> visited set) of one trial overlaps with the others'.
    // Visits after a detection are still drawn and ignored: branch-free, and the result is the
    // same in distribution.
    constexpr int kLanes = 4;
    auto table_body = [&](uint64_t n, stats::Rng& chunk_rng) {
      ChunkResult r;
      std::array<stats::Rng, kLanes> lane_rng = {
          stats::Rng(chunk_rng.Next()), stats::Rng(chunk_rng.Next()), stats::Rng(chunk_rng.Next()),
          stats::Rng(chunk_rng.Next())};
      for (uint64_t t = 0; t < n; t += kLanes) {
        uint32_t alive[kLanes] = {1, 1, 1, 1};
        for (uint64_t y = 0; y < g.years; ++y) {
          uint32_t state[kLanes] = {0, 0, 0, 0};
          for (uint64_t v = 0; v < visits; ++v) {
            for (int l = 0; l < kLanes; ++l) {
              const uint64_t x = lane_rng[l].Next();
              const uint64_t left =
                  static_cast<uint64_t>(__builtin_popcount(~state[l] & all_sites));
              const uint64_t scaled = (x >> 32) * left;
              const uint32_t entry =
                  table[(size_t{state[l]} << kSlotShift) + static_cast<size_t>(scaled >> 32)];
              const uint32_t coin = static_cast<uint32_t>(scaled) >> 8;
              const uint32_t site = coin < (entry >> 8) ? (entry >> 4 & 15) : (entry & 15);
              alive[l] &= static_cast<uint32_t>(x) < miss32[site];
              state[l] |= 1u << site;
            }
          }
          if (challenge_threshold != ~uint64_t{0}) {
            for (int l = 0; l < kLanes; ++l) alive[l] &= lane_rng[l].Next() < challenge_threshold;
          }
        }
        const uint64_t valid = std::min<uint64_t>(kLanes, n - t);
        for (uint64_t l = 0; l < valid; ++l) r.detections += !alive[l];
      }
      return r;
    };
    return Summarise(options.trials,
                     RunChunks(options.trials, options.seed, options.threads, table_body));
  }
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
