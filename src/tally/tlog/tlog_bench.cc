// Log benchmarks, as ratios measured in the same run:
//  - durable appends in batches of 1,000 (64-byte entries) with a checkpoint signed per batch,
//    against the limit (>= 50,000 entries/s) and against the machine's own cost of the three
//    rounds of fsync a batch needs (measured here: one fdatasync of an 8 KiB file plus one
//    directory fsync, three times), the floor for any durable design on this disk;
//  - BM_AppendPeakRss: appends TALLY_BENCH_RSS_ENTRIES entries (default 10,000,000) in batches
//    of 100,000 and reports the peak resident memory against the limit (<= 1 GB).
// Run: build/c-rel/src/tally/tlog/tally_tlog_bench
//      (BM_AppendPeakRss alone: --benchmark_filter=PeakRss; it writes ~1 GB of tiles to $TMPDIR)
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tally/base/file.h"
#include "tally/tlog/log_writer.h"

namespace tally::tlog {
namespace {

namespace fs = std::filesystem;

std::string FreshDir(const std::string& name) {
  const std::string d =
      (fs::temp_directory_path() / ("tally_bench_" + name + "_" + std::to_string(::getpid())))
          .string();
  fs::remove_all(d);
  return d;
}

std::vector<std::string> Batch(uint64_t first, size_t n) {
  std::vector<std::string> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i] = "entry " + std::to_string(first + i);
    out[i].resize(64, '.');
  }
  return out;
}

// Seconds for one durable write round of the kind a batch makes: write + fdatasync of an 8 KiB
// file, then fsync of its directory (best of 20).
double FsyncRound(const std::string& dir) {
  fs::create_directories(dir);
  const std::string data(8192, 'x');
  double best = 1e9;
  for (int i = 0; i < 20; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string path = dir + "/f" + std::to_string(i);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (::write(fd, data.data(), data.size()) < 0) std::abort();
    ::fdatasync(fd);
    ::close(fd);
    (void)SyncDirectory(dir);
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  fs::remove_all(dir);
  return best;
}

void BM_DurableAppend(benchmark::State& state) {
  const std::string dir = FreshDir("append");
  const double round = FsyncRound(dir + "_fsync");
  if (!LogWriter::Init(dir, "bench.example/log").ok()) state.SkipWithError("init");
  auto w = LogWriter::Open(dir);
  uint64_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto batch = Batch(next, 1000);
    state.ResumeTiming();
    if (!(*w)->Append(batch).ok()) state.SkipWithError("append");
    next += 1000;
  }
  const double entries = static_cast<double>(next);
  state.counters["entries_per_s"] = benchmark::Counter(entries, benchmark::Counter::kIsRate);
  state.counters["ratio_to_limit"] =
      benchmark::Counter(entries / 50000.0, benchmark::Counter::kIsRate);
  // What three fsync rounds per batch allow on this disk right now.
  state.counters["fsync_round_ms"] = round * 1e3;
  state.counters["fsync_floor_entries_per_s"] = 1000.0 / (3 * round);
  state.counters["ratio_to_fsync_floor"] =
      benchmark::Counter(entries * 3 * round / 1000.0, benchmark::Counter::kIsRate);
  w->reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_DurableAppend)->Iterations(100)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_AppendPeakRss(benchmark::State& state) {
  uint64_t total = 10'000'000;
  if (const char* env = std::getenv("TALLY_BENCH_RSS_ENTRIES"))
    total = std::strtoull(env, nullptr, 10);
  const std::string dir = FreshDir("rss");
  for (auto _ : state) {
    if (!LogWriter::Init(dir, "bench.example/rss").ok()) state.SkipWithError("init");
    auto w = LogWriter::Open(dir);
    for (uint64_t next = 0; next < total; next += 100000) {
      if (!(*w)->Append(Batch(next, std::min<uint64_t>(100000, total - next))).ok()) {
        state.SkipWithError("append");
        break;
      }
    }
  }
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const double peak_mb = static_cast<double>(u.ru_maxrss) / 1024.0;
  state.counters["entries"] = static_cast<double>(total);
  state.counters["peak_rss_MB"] = peak_mb;
  state.counters["ratio_to_limit_1GB"] = peak_mb / 1024.0;
  fs::remove_all(dir);
}
BENCHMARK(BM_AppendPeakRss)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace tally::tlog

BENCHMARK_MAIN();
