#include "tally/inspect/monte_carlo.h"

#include <algorithm>
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
  uint64_t found = 0;
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
    total.found += r.found;
  }
  return total;
}

MonteCarloEstimate Summarise(uint64_t trials, const ChunkResult& r) {
  MonteCarloEstimate e;
  e.trials = trials;
  e.detections = r.detections;
  e.p_detect = trials ? static_cast<double>(r.detections) / static_cast<double>(trials) : 0.0;
  e.mean_found = trials ? static_cast<double>(r.found) / static_cast<double>(trials) : 0.0;
  WilsonInterval(r.detections, trials, e.ci95_low, e.ci95_high);
  return e;
}

// CDF thresholds of Hypergeometric(N, r, n) over x = 0..min(r, n), by the pmf recurrence
// p(x+1) = p(x) (r-x)(n-x) / ((x+1)(N-r-n+x+1)), starting from the exact P[X=0].
Result<std::vector<uint64_t>> HypergeometricCdf(const SamplingCase& c) {
  TALLY_ASSIGN_OR_RETURN(double p0, MissProbability(c));
  const uint64_t k = std::min(c.cheats, c.sample);
  std::vector<uint64_t> cdf;
  long double p = p0, cum = 0.0L;
  // When r + n > N, X starts above 0; find the lowest support point.
  uint64_t lo = c.cheats + c.sample > c.items ? c.cheats + c.sample - c.items : 0;
  for (uint64_t x = 0; x < lo; ++x) cdf.push_back(0);
  if (lo > 0) {
    // P[X = lo] = C(r, lo) C(N-r, n-lo) / C(N, n); with N-r = n-lo this is C(r,lo)/C(N,n) ...
    // computed by logs to stay in range.
    auto lchoose = [](long double a, long double b) {
      return std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1);
    };
    const long double N = c.items, r = c.cheats, n = c.sample, l = lo;
    p = std::exp(lchoose(r, l) + lchoose(N - r, n - l) - lchoose(N, n));
  }
  for (uint64_t x = lo; x <= k; ++x) {
    cum += p;
    cdf.push_back(Threshold(cum));
    const long double num = static_cast<long double>(c.cheats - x) * (c.sample - x);
    const long double den = static_cast<long double>(x + 1) *
                            (static_cast<long double>(c.items) - c.cheats - c.sample + x + 1);
    p = den > 0 ? p * num / den : 0.0L;
  }
  cdf.back() = ~uint64_t{0};
  return cdf;
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
  TALLY_ASSIGN_OR_RETURN(std::vector<uint64_t> cdf, HypergeometricCdf(c));
  const uint64_t miss_threshold = cdf[0];
  auto body = [&](uint64_t n, stats::Rng& rng) {
    ChunkResult r;
    for (uint64_t t = 0; t < n; ++t) {
      const uint64_t u = rng.Next();
      if (u < miss_threshold) continue;  // X = 0: the common case stays one compare
      ++r.detections;
      uint64_t x = 1;
      while (u >= cdf[x]) ++x;
      r.found += x;
    }
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
