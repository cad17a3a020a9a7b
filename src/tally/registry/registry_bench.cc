// Benchmarks of the registry: parsing the largest shipped dataset (the 1945-2025 series) against
// the bare RFC 4180 parse of the same bytes (the peer), and the cross-dataset comparison.
#include <benchmark/benchmark.h>

#include "tally/base/csv.h"
#include "tally/data/embedded.h"
#include "tally/registry/compare.h"
#include "tally/registry/dataset_csv.h"
#include "tally/registry/registry.h"

namespace tally::registry {
namespace {

std::string_view History() { return *data::EmbeddedFile("forces/fas_history.csv"); }

void BM_ParseDatasetCsv(benchmark::State& state) {
  size_t figures = 0;
  for (auto _ : state) {
    auto d = ParseDatasetCsv(History(), "fas_history.csv");
    figures += d->figures.size();
    benchmark::DoNotOptimize(d);
  }
  state.counters["figures_per_s"] =
      benchmark::Counter(static_cast<double>(figures), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * History().size()));
}
BENCHMARK(BM_ParseDatasetCsv);

// The peer: tokenising the same bytes without validating a single figure.
void BM_CsvTokenizeOnly(benchmark::State& state) {
  std::string body(History());
  for (auto& c : body) c = c == '#' ? ' ' : c;  // the preamble as ordinary (ragged) text
  const std::string csv = body.substr(body.find("state,category"));
  for (auto _ : state) {
    auto t = CsvTable::Parse(csv, "fas_history.csv");
    benchmark::DoNotOptimize(t);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * csv.size()));
}
BENCHMARK(BM_CsvTokenizeOnly);

void BM_LoadEmbedded(benchmark::State& state) {
  for (auto _ : state) {
    auto r = Registry::LoadEmbedded();
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_LoadEmbedded);

void BM_FindDisagreementsAll(benchmark::State& state) {
  auto r = Registry::LoadEmbedded();
  auto figures = *r->Select({});
  auto derived = DeriveMissing(figures);
  figures.insert(figures.end(), derived.begin(), derived.end());
  const auto secondary = r->SecondaryDatasets();
  for (auto _ : state) {
    auto d = FindDisagreements(figures, secondary);
    benchmark::DoNotOptimize(d);
  }
  state.counters["figures"] = static_cast<double>(figures.size());
}
BENCHMARK(BM_FindDisagreementsAll);

}  // namespace
}  // namespace tally::registry

BENCHMARK_MAIN();
