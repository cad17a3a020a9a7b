// `tally report --html` end to end (issue 15's limit: the HTML report written in under 1 s): the
// embedded data loaded, the site data built (report, series, the New START replay, three Kalman
// estimate bands), the HTML rendered and written atomically. `ratio_to_limit` is the time over
// 1 s (<= 1 passes); the render alone and the dashboard's documents are measured beside it, and
// the site data `tally dashboard` and tallyd build at start (with the upload cases and the shipped
// scenarios' projections, kDashboardProjectionMembers members each), against the same 1 s.
//   build/release/src/tally/dashboard/tally_dashboard_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "tally/dashboard/html_report.h"
#include "tally/dashboard/routes.h"

namespace tally::dashboard {
namespace {

constexpr double kLimitSeconds = 1.0;

Date ReportDate() { return *Date::FromCivil(2026, 3, 1); }

void BM_WriteHtmlReport(benchmark::State& state) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("tally_report_bench_" + std::to_string(::getpid()) + ".html"))
                               .string();
  size_t bytes = 0;
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    // As `tally report --html` builds it: no projections (the report shows none).
    auto site = BuildDefaultSiteData(ReportDate(), 0);
    if (!site.ok()) {
      state.SkipWithError(site.error().message().c_str());
      return;
    }
    const std::string html = RenderHtmlReport(*site);
    if (!WriteHtmlReport(*site, path).ok()) {
      state.SkipWithError("write failed");
      return;
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bytes = html.size();
  }
  std::filesystem::remove(path);
  state.counters["ratio_to_limit"] =
      benchmark::Counter(seconds / kLimitSeconds / static_cast<double>(state.iterations()));
  state.counters["kib"] = static_cast<double>(bytes) / 1024;
}
BENCHMARK(BM_WriteHtmlReport)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DashboardSiteData(benchmark::State& state) {
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto site = BuildDefaultSiteData(ReportDate());
    if (!site.ok()) {
      state.SkipWithError(site.error().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(site->projections.data());
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["ratio_to_limit"] =
      benchmark::Counter(seconds / kLimitSeconds / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_DashboardSiteData)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RenderHtmlOnly(benchmark::State& state) {
  static const SiteData* site = new SiteData(BuildDefaultSiteData(ReportDate()).value());
  for (auto _ : state) benchmark::DoNotOptimize(RenderHtmlReport(*site));
}
BENCHMARK(BM_RenderHtmlOnly)->Unit(benchmark::kMillisecond);

void BM_DashboardDocuments(benchmark::State& state) {
  static const SiteData* site = new SiteData(BuildDefaultSiteData(ReportDate()).value());
  for (auto _ : state) benchmark::DoNotOptimize(BuildDashboardDocuments(*site));
}
BENCHMARK(BM_DashboardDocuments)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tally::dashboard

BENCHMARK_MAIN();
