// Escrow benchmarks (issue 4 limits): commit a 1,000,000-item declaration at >= 1,000,000 items/s
// on one core; verify opening bundles of 10,000 items at >= 200,000 items/s; peak resident memory
// <= 500 MB at 1M items. Each figure is also reported as a ratio to its limit (>= 1 passes for
// rates, <= 1 for memory).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <memory>

#include "tally/crypto/random.h"
#include "tally/data/embedded.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/declaration.h"
#include "tally/escrow/inventory_generator.h"
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

// About a million US items: the 1 September 2020 structure repeated (synthetic).
const model::Inventory& MillionItems() {
  static model::Inventory* inv = [] {
    auto rows = ParseForceStructureCsv(*data::EmbeddedFile("inventories/structure-2020-09-01.csv"),
                                       "structure");
    GenerateOptions opt{"US", Date::Parse("2020-09-01").value(), 7, 1};
    const size_t per_copy = GenerateInventory(*rows, opt)->items.size();
    opt.copies = (1'000'000 + per_copy - 1) / per_copy;
    return new model::Inventory(std::move(GenerateInventory(*rows, opt).value()));
  }();
  return *inv;
}

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

DeclarationSecret Secret() {
  FixedRandom r;
  return DeclarationSecret::Generate(r);
}

void BM_Commit1M(benchmark::State& state) {
  const model::Inventory& inv = MillionItems();
  const double n = static_cast<double>(inv.items.size());
  DeclareOptions opt;
  opt.pad_to = 1u << 20;
  for (auto _ : state) {
    auto d = Declaration::Commit(NewStart(), inv, Secret(), opt);
    if (!d.ok()) state.SkipWithError(d.error().message().c_str());
    benchmark::DoNotOptimize(d->statement().root);
  }
  state.counters["items"] = n;
  state.counters["items_per_s"] =
      benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["ratio_to_1M_per_s"] =
      benchmark::Counter(n / kCommitLimit, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_mb"] = PeakRssMb();
  state.counters["rss_ratio_to_500mb"] = PeakRssMb() / kRssLimitMb;
}
BENCHMARK(BM_Commit1M)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// The commit's cryptographic core alone (salts, leaf hashes, sum tree), without the copy of the
// inventory, validation and counting that Commit also does.
void BM_CommitCore1M(benchmark::State& state) {
  const model::Inventory& inv = MillionItems();
  const size_t n = inv.items.size();
  const DeclarationSecret secret = Secret();
  std::vector<uint64_t> counts(n * 3, 1);
  for (auto _ : state) {
    std::vector<Hash> leaves(n);
    std::string record;
    for (size_t i = 0; i < n; ++i) {
      const Salt salt = secret.ItemSalt(inv.items[i].uid);
      (void)EncodeItemRecord(inv.items[i], record);
      leaves[i] = SumLeafHash(salt, std::span<const uint64_t>(counts).subspan(i * 3, 3), record);
    }
    auto tree = SumTree::Build(std::move(leaves), counts, 3);
    benchmark::DoNotOptimize(tree->root_hash());
  }
  state.counters["items_per_s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CommitCore1M)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

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
    auto v = VerifyBundle(d->statement(), *b, counter);
    if (!v.ok()) state.SkipWithError(v.error().message().c_str());
    benchmark::DoNotOptimize(v->subtotals);
  }
  const double rate = 10'000;
  state.counters["items_per_s"] =
      benchmark::Counter(rate, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["ratio_to_200k_per_s"] =
      benchmark::Counter(rate / kVerifyLimit, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bundle_mb"] = static_cast<double>(json.size()) / 1e6;
}
BENCHMARK(BM_VerifyBundle10k)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tally::escrow

BENCHMARK_MAIN();
