// Replaying a treaty year with every check of the trust issue (issue 10's limit: under 0.2 s on
// one core): two parties, 10 Type One and 8 Type Two inspections each, ~1,800 notifications, the
// baseline and two data exchanges, each party's log verified under the network file (checkpoint
// signature by the origin's pinned key, every tile and bundle against the root), owners and order,
// every request through the ledger, every inspection replayed to its verdict with its bundles
// verified and its citations checked. `ratio_to_limit` is the time over 0.2 s (<= 1 passes).
//   build/release/src/tally/exercise/tally_exercise_bench --benchmark_repetitions=3
// BM_CatchRateRuns: the --runs 1000 catch-rate check, scaled from 50 runs (see below).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "tally/exercise/exercise.h"
#include "tally/exercise/node_run.h"
#include "tally/exercise/treaty_year.h"
#include "tally/inspection/ledger.h"
#include "tally/inspection/party_log.h"
#include "tally/network/network.h"
#include "tally/tlog/log_writer.h"
#include "tally/treaty/treaty_set.h"

namespace tally::exercise {
namespace {

constexpr double kLimitSeconds = 0.2;

const treaty::TreatySet& Treaties() {
  static auto* set = new treaty::TreatySet(treaty::LoadDefaultTreaties().value());
  return *set;
}

inspection::TreatyLookup Lookup() {
  return [](const std::string& id) { return Treaties().Find(id); };
}

// The year, built once, and written as two real log directories with a network file pinning them.
struct Fixture {
  TreatyYearRun run;
  std::string dir;
  std::optional<network::Network> net;
  std::vector<std::string> log_dirs;
};

const Fixture& Year() {
  static Fixture* f = [] {
    auto* fx = new Fixture();
    fx->run = RunTreatyYear(TreatyYearOptions{}, Lookup()).value();
    fx->dir = (std::filesystem::temp_directory_path() /
               ("tally_year_bench_" + std::to_string(::getpid())))
                  .string();
    std::filesystem::remove_all(fx->dir);
    std::filesystem::create_directories(fx->dir);
    network::Description d;
    d.name = "bench";
    for (const inspection::PartyLog& log : fx->run.source.logs) {
      const std::string dir = fx->dir + "/" + log.owner();
      const std::string vkey = tlog::LogWriter::Init(dir, log.origin()).value();
      auto w = tlog::LogWriter::Open(dir).value();
      std::vector<std::string> bytes;
      for (const auto& e : log.entries()) bytes.push_back(e.bytes);
      (void)w->Append(bytes).value();
      d.parties.push_back({log.owner(), log.origin(), vkey, "", "", ""});
      fx->log_dirs.push_back(dir);
    }
    fx->net.emplace(network::Network::Make(d, "bench").value());
    return fx;
  }();
  return *f;
}

// Adds the iteration's wall time against the limit.
class LimitClock {
 public:
  void Start() { start_ = std::chrono::steady_clock::now(); }
  void Stop() { total_ += std::chrono::steady_clock::now() - start_; }
  void Report(benchmark::State& state) const {
    const double seconds = std::chrono::duration<double>(total_).count();
    state.counters["ratio_to_limit"] =
        benchmark::Counter(seconds / kLimitSeconds, benchmark::Counter::kAvgIterations);
  }

 private:
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::duration total_{};
};

void ReplayAll(benchmark::State& state, const inspection::ReplaySource& source) {
  const auto lookup = Lookup();
  size_t consistent = 0;
  for (const std::string& id : Year().run.inspections) {
    auto rec = inspection::Replay(lookup, source, id, 0);
    if (!rec.ok()) {
      state.SkipWithError(rec.error().message().c_str());
      return;
    }
    consistent += rec->Verdict() == "consistent";
  }
  const treaty::Treaty* t = Treaties().Find("new-start");
  const inspection::Ledger ledger = inspection::BuildLedger(*t, source.logs);
  benchmark::DoNotOptimize(ledger.requests.size());
  if (consistent != Year().run.inspections.size()) {
    state.SkipWithError("an honest year did not end consistent");
  }
}

// From the logs in memory: the ledger and every inspection's replay.
void BM_ReplayTreatyYearInMemory(benchmark::State& state) {
  const Fixture& fx = Year();
  LimitClock clock;
  for (auto _ : state) {
    clock.Start();
    inspection::ReplaySource source = fx.run.source;  // the copy re-indexes, as a reader does
    ReplayAll(state, source);
    clock.Stop();
  }
  clock.Report(state);
  state.counters["inspections"] = static_cast<double>(fx.run.inspections.size());
  state.counters["entries"] = static_cast<double>(fx.run.entries);
}

// From the log directories: read and verify both logs under the network, then replay.
void BM_ReplayTreatyYearFromLogs(benchmark::State& state) {
  const Fixture& fx = Year();
  LimitClock clock;
  for (auto _ : state) {
    clock.Start();
    inspection::ReplaySource source;
    for (const std::string& dir : fx.log_dirs) {
      auto log = inspection::ReadPartyLog(dir, *fx.net);
      if (!log.ok()) {
        state.SkipWithError(log.error().message().c_str());
        return;
      }
      source.logs.push_back(std::move(*log));
    }
    source.documents = fx.run.source.documents;
    source.Index();
    ReplayAll(state, source);
    clock.Stop();
  }
  clock.Report(state);
  state.counters["inspections"] = static_cast<double>(fx.run.inspections.size());
  state.counters["entries"] = static_cast<double>(fx.run.entries);
}

// Issue 14's in-process limit: the default exercise (two parties, one treaty year, every
// inspection, ~1,800 notifications, declarations of ~3,500 items each) under 0.5 s. The time over
// 0.5 s is reported as ratio_to_limit_0_5s (<= 1 passes).
void BM_ExerciseYearInProcess(benchmark::State& state) {
  const auto lookup = Lookup();
  TreatyYearOptions o;
  o.cheats.push_back(ParseCheat("RU:overloaded-missile", o.parties).value());
  o.cheats.push_back(ParseCheat("RU:refuse-reveal", o.parties).value());
  std::chrono::steady_clock::duration total{};
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto run = RunTreatyYear(o, lookup);
    total += std::chrono::steady_clock::now() - start;
    if (!run.ok()) {
      state.SkipWithError(run.error().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(run->entries);
  }
  state.counters["ratio_to_limit_0_5s"] = benchmark::Counter(
      std::chrono::duration<double>(total).count() / 0.5, benchmark::Counter::kAvgIterations);
}

// Issue 14's limit with nodes as processes: the same default year carried by one tallyd per party
// (node_run.h: nodes started, every entry appended in treaty time, documents delivered signed,
// mirrors caught up, every inspection replayed by both nodes, nodes stopped), under 3 s wall.
// The time over 3 s is reported as ratio_to_limit_3s (<= 1 passes).
void BM_ExerciseYearOnNodes(benchmark::State& state) {
  const auto lookup = Lookup();
  TreatyYearOptions o;
  o.cheats.push_back(ParseCheat("RU:overloaded-missile", o.parties).value());
  o.cheats.push_back(ParseCheat("RU:refuse-reveal", o.parties).value());
  std::chrono::steady_clock::duration total{};
  int round = 0;
  for (auto _ : state) {
    NodeRunOptions n;
    n.tallyd = TALLYD_BIN;
    n.dir = (std::filesystem::temp_directory_path() /
             ("tally_bench_nodes_" + std::to_string(::getpid()) + "_" + std::to_string(round++)))
                .string();
    const auto start = std::chrono::steady_clock::now();
    auto run = RunTreatyYear(o, lookup);
    if (!run.ok()) {
      state.SkipWithError(run.error().message().c_str());
      return;
    }
    auto nodes = RunOnNodes(*run, o, lookup, n);
    total += std::chrono::steady_clock::now() - start;
    std::filesystem::remove_all(n.dir);
    if (!nodes.ok() || !nodes->ok()) {
      state.SkipWithError(nodes.ok() ? "a node check failed" : nodes.error().message().c_str());
      return;
    }
    state.counters["publish_s"] = nodes->publish_seconds;
    state.counters["settle_s"] = nodes->settle_seconds;
  }
  state.counters["ratio_to_limit_3s"] = benchmark::Counter(
      std::chrono::duration<double>(total).count() / 3.0, benchmark::Counter::kAvgIterations);
}

// Issue 14's scale limit: three parties (trilateral-example: US, RU, CN) at about N items each
// (items_per_party: each party its own multiplier), Y treaty years from year 1, in process, under
// 30 s wall and 1 GB peak RSS for N = 100,000 and Y = 10. ratio_to_limit_30s is the time over
// 30 s, peak_rss_ratio_1gb the process's peak RSS so far over 1 GB (<= 1 passes; run this case
// alone, --benchmark_filter=ThreeParties, for the RSS to be its own). The smaller arguments show
// how the time grows with items and with years.
void BM_ExerciseThreePartiesInProcess(benchmark::State& state) {
  const auto lookup = Lookup();
  TreatyYearOptions o;
  o.treaty = "trilateral-example";
  o.parties = {"US", "RU", "CN"};
  o.year = 1;
  o.items_per_party = state.range(0);
  o.years = static_cast<int>(state.range(1));
  std::chrono::steady_clock::duration total{};
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto run = RunTreatyYear(o, lookup);
    total += std::chrono::steady_clock::now() - start;
    if (!run.ok()) {
      state.SkipWithError(run.error().message().c_str());
      return;
    }
    state.counters["entries"] = static_cast<double>(run->entries);
    state.counters["inspections"] = static_cast<double>(run->inspections.size());
    benchmark::DoNotOptimize(run->entries);
  }
  state.counters["ratio_to_limit_30s"] = benchmark::Counter(
      std::chrono::duration<double>(total).count() / 30.0, benchmark::Counter::kAvgIterations);
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_ratio_1gb"] = static_cast<double>(usage.ru_maxrss) * 1024.0 / 1e9;
}

// Issue 14's catch-rate limit: `tally exercise --in-process --cheat RU:overloaded-missile
// --runs 1000` under 60 s wall on both cores. 50 runs (RunExercise spreads them over the cores as
// the command does), the wall time scaled to 1000 runs; ratio_to_limit_60s is that over 60 s
// (<= 1 passes) and ratio_to_target_35s over the 35 s that leaves CI's two cores a margin.
void BM_CatchRateRuns(benchmark::State& state) {
  const auto lookup = Lookup();
  TreatyYearOptions o;
  o.cheats.push_back(ParseCheat("RU:overloaded-missile", o.parties).value());
  constexpr uint64_t kRuns = 50;
  std::chrono::steady_clock::duration total{};
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto result = RunExercise(o, kRuns, lookup);
    total += std::chrono::steady_clock::now() - start;
    if (!result.ok()) {
      state.SkipWithError(result.error().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(result->rates.front().caught);
  }
  const double per_1000 = std::chrono::duration<double>(total).count() * 1000.0 / kRuns;
  state.counters["seconds_per_1000_runs"] =
      benchmark::Counter(per_1000, benchmark::Counter::kAvgIterations);
  state.counters["ratio_to_limit_60s"] =
      benchmark::Counter(per_1000 / 60.0, benchmark::Counter::kAvgIterations);
  state.counters["ratio_to_target_35s"] =
      benchmark::Counter(per_1000 / 35.0, benchmark::Counter::kAvgIterations);
}

}  // namespace
}  // namespace tally::exercise

BENCHMARK(tally::exercise::BM_ExerciseThreePartiesInProcess)
    ->ArgNames({"items_per_party", "years"})
    ->Args({10000, 1})
    ->Args({30000, 1})
    ->Args({100000, 1})
    ->Args({100000, 3})
    ->Args({100000, 10})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

BENCHMARK(tally::exercise::BM_CatchRateRuns)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Iterations(1);

BENCHMARK(tally::exercise::BM_ExerciseYearOnNodes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(tally::exercise::BM_ExerciseYearInProcess)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Process CPU time beside wall time: the machine is shared, and one core is the limit's terms.
BENCHMARK(tally::exercise::BM_ReplayTreatyYearInMemory)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(tally::exercise::BM_ReplayTreatyYearFromLogs)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

BENCHMARK_MAIN();
