// Monte Carlo throughput of inspection regimes, reported against the limits and against a
// NumPy implementation of the same two-stage regime run in the same process tree:
//   SimpleRegime/N           trials/s on N threads; ratio_to_limit = trials/s / 500 M (1 thread),
//                            speedup_vs_1_core (2 threads; limit 1.8x)
//   SiteRegime/N             trials/s on N threads; ratio_to_numpy = tally /
//                            bench/inspect_sites_numpy.py (NumPy single-threaded, as NumPy runs
//                            this regime), the peer run once per repetition, right after tally
//   SiteRegimeAvx2/N         the same limited to the AVX2 kernel: what CPUs without AVX-512 run
//   SiteRegimeScalar/N       the same limited to the scalar kernel: what other CPUs run
//                            (each is the fastest kernel the CPU has, up to the one named)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "bench/numpy_peer.h"
#include "tally/inspect/monte_carlo.h"
#include "tally/inspect/site_walk.h"

namespace tally::inspect {
namespace {

double g_one_core_rate = 0;

double Rate(uint64_t trials, double seconds) { return static_cast<double>(trials) / seconds; }

void BM_SimpleRegime(benchmark::State& state) {
  const unsigned threads = static_cast<unsigned>(state.range(0));
  const SamplingCase c{1550, 10, 30};  // baselines.md: exact P_d = 0.178005307894536
  MonteCarloOptions o{200'000'000, 1, threads};
  double rate = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto e = SimulateSimple(c, o);
    benchmark::DoNotOptimize(e);
    rate = Rate(o.trials,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  state.counters["trials_per_s"] = rate;
  if (threads == 1) {
    g_one_core_rate = rate;
    state.counters["ratio_to_limit_500M"] = rate / 500e6;
  } else if (g_one_core_rate > 0) {
    state.counters["speedup_vs_1_core"] = rate / g_one_core_rate;
  }
}
BENCHMARK(BM_SimpleRegime)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

SiteRegime BenchSites() {
  SiteRegime g;
  // 12 bases of different sizes; 20 overloaded missiles at three of them.
  const uint64_t items[] = {150, 150, 150, 120, 160, 20, 46, 60, 90, 30, 40, 80};
  const uint64_t cheats[] = {8, 0, 0, 7, 0, 0, 0, 5, 0, 0, 0, 0};
  for (int i = 0; i < 12; ++i) g.sites.push_back({"s" + std::to_string(i), items[i], cheats[i], 0});
  g.visits_per_year = 10;
  g.items_per_visit = 1;
  g.years = 1;
  g.choice = SiteChoice::kByItems;
  return g;
}

void SiteRegimeBench(benchmark::State& state, internal::WalkKernel kernel) {
  const SiteRegime g = BenchSites();
  const unsigned threads = static_cast<unsigned>(state.range(0));
  // About half a second of work on one core for each kernel.
  const bool scalar = kernel == internal::WalkKernel::kScalar;
  MonteCarloOptions o{scalar ? 50'000'000u : 200'000'000u, 1, threads};
  internal::LimitWalkKernel(kernel);
  double rate = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto e = SimulateSites(g, o);
    benchmark::DoNotOptimize(e);
    rate = Rate(o.trials,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  internal::LimitWalkKernel(internal::WalkKernel::kAvx512);
  state.counters["trials_per_s"] = rate;
  const double numpy = bench::RunNumpyPeer("inspect_sites_numpy.py 2000000");
  state.counters["numpy_trials_per_s"] = numpy;
  if (numpy > 0) state.counters["ratio_to_numpy"] = rate / numpy;
}

void BM_SiteRegime(benchmark::State& state) {
  SiteRegimeBench(state, internal::WalkKernel::kAvx512);
}
void BM_SiteRegimeAvx2(benchmark::State& state) {
  SiteRegimeBench(state, internal::WalkKernel::kAvx2);
}
void BM_SiteRegimeScalar(benchmark::State& state) {
  SiteRegimeBench(state, internal::WalkKernel::kScalar);
}

BENCHMARK(BM_SiteRegime)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(BM_SiteRegimeAvx2)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(BM_SiteRegimeScalar)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace tally::inspect

BENCHMARK_MAIN();
