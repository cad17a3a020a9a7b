// Filter + smoother for 9 states x 36,500 daily steps (issue 6 limit: <= 30 ms), with the NumPy
// peer (bench/kalman_numpy.py, same model and data shape) timed in the same run.
//   counters: limit_ratio = time / 30 ms (<= 1 meets the limit); numpy_ms; speedup_vs_numpy.
// BM_NineStatesMonthly1945To2035: what `tally estimate --step month --from 1945 --to 2035` does
// (issue 12 limit: < 500 ms on one core): the joint model of each of the nine states with every
// embedded source (registry datasets, New START table, data/evidence/), noise fit included.
//   counters: limit_ratio = time / 500 ms.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/numpy_peer.h"
#include "tally/data/embedded.h"
#include "tally/estimate/embedded_evidence.h"
#include "tally/estimate/estimator.h"
#include "tally/estimate/evidence.h"
#include "tally/estimate/kalman.h"
#include "tally/estimate/registry_evidence.h"
#include "tally/model/state.h"
#include "tally/registry/registry.h"
#include "tally/stats/rng.h"

namespace tally::estimate {
namespace {

using KT = KalmanTypes<2>;
constexpr int kStates = 9;
constexpr size_t kSteps = 36500;

void BM_FilterSmooth9x36500Daily(benchmark::State& state) {
  const double dt = 1.0 / 365.2425, ql = 50, qr = 20;
  KT::Mat f, q;
  f << 1, dt, 0, 1;
  q << ql * ql * dt + qr * qr * dt * dt * dt / 3, qr * qr * dt * dt / 2, qr * qr * dt * dt / 2,
      qr * qr * dt;
  stats::Rng rng(1);
  std::vector<std::vector<KT::Observation>> obs(kStates);
  KT::Vec h;
  h << 1, 0;
  for (auto& series : obs) {
    double level = 1000;
    for (size_t t = 0; t < kSteps; ++t) {
      level += rng.Normal(0, 3);
      series.push_back({t, h, level, 625.0});
    }
  }
  std::vector<KT::Output> out(kStates);
  double total_ms = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int s = 0; s < kStates; ++s) {
      KT::Vec m0;
      m0 << obs[s][0].y, 0;
      KT::Mat p0;
      p0 << 1e6, 0, 0, 1e4;
      auto st = KalmanSmooth<2>(
          m0, p0, kSteps,
          [&](size_t, KT::Mat& ff, KT::Mat& qq) {
            ff = f;
            qq = q;
          },
          obs[s], &out[s]);
      benchmark::DoNotOptimize(st);
      benchmark::DoNotOptimize(out[s].smoothed_mean.back());
    }
    total_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  const double mean_ms = total_ms / static_cast<double>(state.iterations());
  static const double numpy_ms = bench::RunNumpyPeer("kalman_numpy.py 3");
  state.counters["ms"] = mean_ms;
  state.counters["limit_ratio"] = mean_ms / 30.0;
  state.counters["numpy_ms"] = numpy_ms;
  state.counters["speedup_vs_numpy"] = numpy_ms / mean_ms;
}
BENCHMARK(BM_FilterSmooth9x36500Daily)->Unit(benchmark::kMillisecond)->MinTime(1.0);

std::vector<Observation> ShippedEvidence() {
  auto evidence = tally::estimate::EmbeddedEvidence();
  return evidence ? *evidence : std::vector<Observation>();
}

void BM_NineStatesMonthly1945To2035(benchmark::State& state) {
  const std::vector<Observation> evidence = ShippedEvidence();
  EstimateOptions opt;
  opt.grid = {*Date::FromCivil(1945, 1, 1), *Date::FromCivil(2035, 12, 1), Step::kMonth};
  double total_ms = 0;
  size_t points = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    points = 0;
    for (const auto& s : model::AllStates()) {
      if (!s.nuclear_armed_today) continue;
      auto est = EstimateSeries(s.code, "military_stockpile", evidence, opt);
      if (est) points += est->points.size();
      benchmark::DoNotOptimize(est);
    }
    total_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  const double mean_ms = total_ms / static_cast<double>(state.iterations());
  state.counters["ms"] = mean_ms;
  state.counters["points"] = static_cast<double>(points);
  state.counters["limit_ratio"] = mean_ms / 500.0;
}
BENCHMARK(BM_NineStatesMonthly1945To2035)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace
}  // namespace tally::estimate

BENCHMARK_MAIN();
