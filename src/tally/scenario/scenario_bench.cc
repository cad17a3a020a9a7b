// A 10,000-member ensemble of a monthly 10-year 3-party projection (the shipped arms-race-3party
// scenario: Richardson reactions, uncertain parameters), simulated and summarised into bands on 2
// threads (issue 6 limit: <= 1 s on 2 cores), with the NumPy peer (bench/ensemble_numpy.py)
// timed in the same run.
//   counters: limit_ratio = time / 1 s (<= 1 meets the limit); numpy_ms; speedup_vs_numpy.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "bench/numpy_peer.h"
#include "tally/base/file.h"
#include "tally/scenario/projection.h"
#include "tally/scenario/scenario.h"

namespace tally::scenario {
namespace {

void BM_Ensemble10000Monthly10y3Party(benchmark::State& state) {
#ifdef TALLY_BENCH_DIR
  const std::string path =
      std::string(TALLY_BENCH_DIR) + "/../data/scenarios/arms-race-3party.toml";
#else
  const std::string path = "data/scenarios/arms-race-3party.toml";
#endif
  auto text = ReadFile(path);
  if (!text) {
    state.SkipWithError(text.error().message().c_str());
    return;
  }
  auto sc = ParseScenario(*text, path);
  if (!sc) {
    state.SkipWithError(sc.error().message().c_str());
    return;
  }
  sc->end = sc->start.AddMonths(119);  // exactly 120 monthly steps
  const int threads = static_cast<int>(state.range(0));
  double total_ms = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto p = Project(*sc, 10000, 20260205, threads);
    benchmark::DoNotOptimize(p);
    total_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  const double mean_ms = total_ms / static_cast<double>(state.iterations());
  static const double numpy_ms = bench::RunNumpyPeer("ensemble_numpy.py 3");
  state.counters["ms"] = mean_ms;
  state.counters["limit_ratio"] = mean_ms / 1000.0;
  state.counters["numpy_ms"] = numpy_ms;
  state.counters["speedup_vs_numpy"] = numpy_ms / mean_ms;
}
BENCHMARK(BM_Ensemble10000Monthly10y3Party)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tally::scenario

BENCHMARK_MAIN();
