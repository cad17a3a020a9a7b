// Escrow benchmarks (issue 4 limits): commit a 1,000,000-item declaration at >= 1,000,000 items/s
// on one core; verify opening bundles of 10,000 items at >= 200,000 items/s; peak resident memory
// <= 500 MB at 1M items. Rates are per second of this thread's CPU time (the machine is shared),
// and each figure is also reported as a ratio to its limit (>= 1 passes for rates, <= 1 for
// memory). Memory: BM_DeclarePeakRss1M measures the peak resident size of a child process doing
// what `tally declare` does with a million-row CSV; `tally declare` itself is measured with
// /usr/bin/time -v (docs/escrow.md).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "tally/crypto/random.h"
#include "tally/data/embedded.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/declaration.h"
#include "tally/escrow/inventory_generator.h"
#include "tally/escrow/inventory_stream.h"
#include "tally/treaty/inventory_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::escrow {
namespace {

constexpr double kCommitLimit = 1'000'000;  // items/s
constexpr double kVerifyLimit = 200'000;    // items/s
constexpr double kRssLimitMb = 500;

class FixedRandom : public crypto::RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(i * 31 + 7);
  }
};

const treaty::Treaty& NewStart() {
  static treaty::TreatySet* set = new treaty::TreatySet(treaty::LoadDefaultTreaties().value());
  return *set->Get("new-start").value();
}

// About a million US items: the 1 September 2020 structure repeated (synthetic), as the CSV
// file `tally inventory generate --copies 292` writes.
std::string GenerateMillionItemsCsv();

const std::string& MillionItemsCsv() {
  static std::string* csv = new std::string(GenerateMillionItemsCsv());
  return *csv;
}

// The same items as the inventory parser gives them to Declaration::Commit (tally reopening a
// store, or a library caller with a parsed file).
const model::Inventory& MillionItems() {
  static model::Inventory* inv = [] {
    auto* parsed =
        new model::Inventory(treaty::ParseInventory(MillionItemsCsv(), "inventory.csv").value());
    malloc_trim(0);  // the parser's table is gone: give its pages back
    return parsed;
  }();
  return *inv;
}

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// A field of /proc/self/status in MB (VmRSS, VmHWM); 0 where there is no procfs.
double StatusMb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream s(line.substr(field.size() + 1));
      double kb = 0;
      s >> kb;
      return kb / 1024.0;
    }
  }
  return 0;
}

// Starts a memory measurement: resets the high-water mark to the current resident size.
double StartMemory() {
  std::ofstream("/proc/self/clear_refs") << "5";
  return StatusMb("VmRSS");
}

DeclarationSecret Secret() {
  FixedRandom r;
  return DeclarationSecret::Generate(r);
}

void RateCounters(benchmark::State& state, double items, double limit, const char* ratio_name) {
  state.counters["items"] = items;
  state.counters["items_per_s"] =
      benchmark::Counter(items, benchmark::Counter::kIsIterationInvariantRate);
  state.counters[ratio_name] =
      benchmark::Counter(items / limit, benchmark::Counter::kIsIterationInvariantRate);
}

// The whole benchmark process's peak so far (its fixtures included; BM_DeclarePeakRss1M is the
// figure for the limit).
void MemoryCounters(benchmark::State& state) { state.counters["process_peak_mb"] = PeakRssMb(); }

std::string GenerateMillionItemsCsv() {
  auto rows = ParseForceStructureCsv(*data::EmbeddedFile("inventories/structure-2020-09-01.csv"),
                                     "structure");
  GenerateOptions opt{"US", Date::Parse("2020-09-01").value(), 7, 1};
  const size_t per_copy = GenerateInventory(*rows, opt)->items.size();
  opt.copies = (1'000'000 + per_copy - 1) / per_copy;
  return InventoryToCsv(GenerateInventory(*rows, opt).value());
}

// Peak resident memory of what `tally declare` does with a million-row CSV file (the text in
// memory, the rows streamed into the declaration, the tree), in a child process forked before
// any fixture of this program exists, so that nothing else is resident: the child makes the
// text, gives the generator's memory back, resets its high-water mark, commits, and reports
// VmHWM. Registered first for that reason.
void BM_DeclarePeakRss1M(benchmark::State& state) {
  double peak = 0, rss_before = 0;
  for (auto _ : state) {
    int fds[2];
    if (pipe(fds) != 0) state.SkipWithError("pipe");
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      std::string text = GenerateMillionItemsCsv();
      malloc_trim(0);
      double out[2] = {StartMemory(), 0};
      DeclareOptions opt;
      opt.pad_to = 1u << 20;
      auto d = CommitInventoryCsv(std::move(text), "inventory.csv", std::nullopt, NewStart(),
                                  Secret(), opt);
      out[1] = d && d->ok() ? StatusMb("VmHWM") : -1;
      if (write(fds[1], out, sizeof(out)) != static_cast<ssize_t>(sizeof(out))) _exit(1);
      _exit(0);
    }
    close(fds[1]);
    double in[2] = {0, -1};
    if (read(fds[0], in, sizeof(in)) != static_cast<ssize_t>(sizeof(in)) || in[1] < 0) {
      state.SkipWithError("the child failed");
    }
    close(fds[0]);
    waitpid(pid, nullptr, 0);
    rss_before = in[0];
    peak = std::max(peak, in[1]);
  }
  state.counters["peak_rss_mb"] = peak;
  state.counters["rss_ratio_to_500mb"] = peak / kRssLimitMb;
  state.counters["rss_before_commit_mb"] = rss_before;  // the CSV text and the program
}
BENCHMARK(BM_DeclarePeakRss1M)->Unit(benchmark::kMillisecond)->Iterations(1);

// The full Declaration::Commit of a model::Inventory: cross-item checks, counting, records,
// salts, leaves, salt order, sum tree, and the check of the root against the items' count.
void BM_Commit1M(benchmark::State& state) {
  const model::Inventory& inv = MillionItems();
  DeclareOptions opt;
  opt.pad_to = 1u << 20;
  for (auto _ : state) {
    auto d = Declaration::Commit(NewStart(), inv, Secret(), opt);
    if (!d.ok()) state.SkipWithError(d.error().message().c_str());
    benchmark::DoNotOptimize(d->statement().root);
  }
  RateCounters(state, static_cast<double>(inv.items.size()), kCommitLimit, "ratio_to_1M_per_s");
  MemoryCounters(state);
}
BENCHMARK(BM_Commit1M)->Unit(benchmark::kMillisecond)->Iterations(3);

// What `tally declare` does with a CSV file: the rows stream into the declaration (no CsvTable,
// no model::Items), then the commit.
void BM_CommitCsv1M(benchmark::State& state) {
  const std::string& csv = MillionItemsCsv();
  DeclareOptions opt;
  opt.pad_to = 1u << 20;
  const DeclarationSecret secret = Secret();
  for (auto _ : state) {
    state.PauseTiming();
    std::string text = csv;  // the file as read
    state.ResumeTiming();
    auto d =
        CommitInventoryCsv(std::move(text), "inventory.csv", std::nullopt, NewStart(), secret, opt);
    if (!d || !d->ok()) state.SkipWithError("the CSV fast path declined or failed");
    benchmark::DoNotOptimize((*d)->statement().root);
  }
  RateCounters(state, static_cast<double>(MillionItems().items.size()), kCommitLimit,
               "ratio_to_1M_per_s");
  MemoryCounters(state);
  state.counters["csv_mb"] = static_cast<double>(csv.size()) / 1e6;
}
BENCHMARK(BM_CommitCsv1M)->Unit(benchmark::kMillisecond)->Iterations(3);

// The commit's cryptographic core alone: salts, leaf hashes, salt order and sum tree
// (DeclarationBuilder::Finish), after the items were counted and encoded (not timed).
void BM_CommitCore1M(benchmark::State& state) {
  const model::Inventory& inv = MillionItems();
  DeclareOptions opt;
  opt.pad_to = 1u << 20;
  for (auto _ : state) {
    state.PauseTiming();
    auto b = DeclarationBuilder::Make(NewStart(), Secret(), opt, "US", inv.as_of);
    for (const model::Item& it : inv.items) (void)b->Add(it);
    state.ResumeTiming();
    auto d = std::move(*b).Finish();
    benchmark::DoNotOptimize(d->statement().root);
  }
  RateCounters(state, static_cast<double>(inv.items.size()), kCommitLimit, "ratio_to_1M_per_s");
}
BENCHMARK(BM_CommitCore1M)->Unit(benchmark::kMillisecond)->Iterations(3);

// Parse and verify a 10,000-leaf bundle from its text, as a verifier receives it.
void BM_VerifyBundle10k(benchmark::State& state) {
  static Declaration* d = [] {
    DeclareOptions opt;
    opt.pad_to = 1u << 20;
    return new Declaration(Declaration::Commit(NewStart(), MillionItems(), Secret(), opt).value());
  }();
  std::vector<uint64_t> leaves;
  for (uint64_t i = 0; i < 10'000; ++i) leaves.push_back(i * 104 + 3);  // spread over the tree
  const std::string json = BundleToJson(d->OpenLeaves(leaves, "benchmark").value());
  const Counter counter = Counter::Make(NewStart(), "").value();
  for (auto _ : state) {
    auto b = BundleFromJson(json, "bundle.json");
    if (!b.ok()) state.SkipWithError(b.error().message().c_str());
    auto v = VerifyBundle(d->statement(), std::move(*b), counter);
    if (!v.ok()) state.SkipWithError(v.error().message().c_str());
    benchmark::DoNotOptimize(v->subtotals);
  }
  RateCounters(state, 10'000, kVerifyLimit, "ratio_to_200k_per_s");
  state.counters["bundle_mb"] = static_cast<double>(json.size()) / 1e6;
}
BENCHMARK(BM_VerifyBundle10k)->Unit(benchmark::kMillisecond);

// Write a 10,000-leaf bundle's text, as the inspected party does for every opening (an exercise
// writes about 5 MB of them per treaty year); reported in MB/s.
void BM_BundleToJson10k(benchmark::State& state) {
  static Declaration* d = [] {
    DeclareOptions opt;
    opt.pad_to = 1u << 20;
    return new Declaration(Declaration::Commit(NewStart(), MillionItems(), Secret(), opt).value());
  }();
  std::vector<uint64_t> leaves;
  for (uint64_t i = 0; i < 10'000; ++i) leaves.push_back(i * 104 + 3);
  const Bundle bundle = d->OpenLeaves(leaves, "benchmark").value();
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string json = BundleToJson(bundle);
    bytes = json.size();
    benchmark::DoNotOptimize(json.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bundle_mb"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_BundleToJson10k)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tally::escrow

BENCHMARK_MAIN();
