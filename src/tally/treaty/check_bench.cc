// Benchmarks: compliance checks of a batch of 10,000 postures against New START on one core,
// reported as postures/s and as the ratio to the goal of 100,000 postures/s (ratio >= 1 meets
// it). BM_ParseAndCheckBatch adds the CSV parse of the batch, as `tally check --posture` does.
#include <benchmark/benchmark.h>
#include <time.h>

#include <string>
#include <vector>

#include "tally/treaty/check.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::treaty {
namespace {

constexpr int kBatch = 10000;
constexpr double kGoalPerSecond = 100000.0;

// 10,000 postures cycling through the published table's rows, each shifted in date and count so
// that every verdict (pending, compliant, violation, no data) occurs.
std::vector<model::Posture> Batch() {
  std::vector<model::Posture> base = *NewStartAggregates();
  std::vector<model::Posture> out;
  out.reserve(kBatch);
  for (int i = 0; i < kBatch; ++i) {
    model::Posture p = base[i % base.size()];
    p.as_of = p.as_of.AddDays(i % 97);
    for (model::Count& c : p.counts) {
      if (c.value) *c.value += (i % 13) * 7;
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::string BatchCsv() {
  std::string csv = "party,as_of,deployed_delivery_vehicles,deployed_warheads,launchers\n";
  for (const model::Posture& p : Batch()) {
    csv += p.party + "," + p.as_of.ToString();
    for (const model::Count& c : p.counts) csv += "," + (c.value ? std::to_string(*c.value) : "");
    csv += "\n";
  }
  return csv;
}

// CPU time of this thread: the machine is shared, and the goal is per core.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void Report(benchmark::State& state, double cpu_seconds) {
  const double postures = static_cast<double>(state.iterations()) * kBatch;
  state.SetItemsProcessed(static_cast<int64_t>(postures));
  const double per_second = cpu_seconds > 0 ? postures / cpu_seconds : 0;
  state.counters["postures_per_cpu_s"] = per_second;
  state.counters["ratio_to_goal"] = per_second / kGoalPerSecond;  // >= 1 meets 100,000/s
}

void BM_CheckBatch(benchmark::State& state) {
  TreatySet set = *LoadDefaultTreaties();
  const Treaty& ns = **set.Get("new-start");
  std::vector<model::Posture> batch = Batch();
  const double t0 = ThreadCpuSeconds();
  for (auto _ : state) {
    std::vector<CheckResult> results = CheckAll(ns, batch);
    benchmark::DoNotOptimize(results.data());
  }
  Report(state, ThreadCpuSeconds() - t0);
}
BENCHMARK(BM_CheckBatch)->Unit(benchmark::kMillisecond);

void BM_ParseAndCheckBatch(benchmark::State& state) {
  TreatySet set = *LoadDefaultTreaties();
  const Treaty& ns = **set.Get("new-start");
  std::string csv = BatchCsv();
  const double t0 = ThreadCpuSeconds();
  for (auto _ : state) {
    auto postures = ParsePostureCsv(csv, "batch.csv");
    std::vector<CheckResult> results = CheckAll(ns, *postures);
    benchmark::DoNotOptimize(results.data());
  }
  Report(state, ThreadCpuSeconds() - t0);
}
BENCHMARK(BM_ParseAndCheckBatch)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tally::treaty

BENCHMARK_MAIN();
