// Merkle benchmarks, each reported as ratios measured in the same run:
//  - all stored hashes of 1M x 64-byte leaves, on 1 and 2 threads, against a plain SHA-256 loop
//    doing the same hashing (incremental low-level SHA-256 per hash) and against the limits
//    (>= 4.0 M leaves/s on one core, >= 7 M/s on two);
//  - inclusion-proof verification against the limit (>= 250,000/s per core; Go ~120,000/s).
// Run: build/c-rel/src/tally/merkle/tally_merkle_bench
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <random>
#include <vector>

#include "tally/crypto/sha256.h"
#include "tally/merkle/memory_tree.h"
#include "tally/merkle/proof.h"

namespace tally::merkle {
namespace {

constexpr size_t kLeaves = 1 << 20;  // 1,048,576

const std::vector<std::vector<uint8_t>>& Leaves() {
  static const auto* leaves = [] {
    auto* v = new std::vector<std::vector<uint8_t>>(kLeaves, std::vector<uint8_t>(64));
    std::mt19937_64 rng(1);
    for (auto& l : *v) {
      for (auto& b : l) b = static_cast<uint8_t>(rng());
    }
    return v;
  }();
  return *leaves;
}

const std::vector<std::span<const uint8_t>>& Spans() {
  static const auto* spans = [] {
    auto* v = new std::vector<std::span<const uint8_t>>(Leaves().begin(), Leaves().end());
    return v;
  }();
  return *spans;
}

// Wall-clock and process CPU seconds (all threads) of one call. On a shared, loaded machine the
// CPU figure is the steadier one: leaves per CPU-second is the per-core rate.
struct Timing {
  double wall = 0, cpu = 0;
};
double CpuNow() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}
template <typename Fn>
Timing Time(Fn&& fn) {
  const double c0 = CpuNow();
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
          CpuNow() - c0};
}

// The peer: the same tree, in the same stored-hash layout, with a plain incremental SHA-256 call
// per hash (what an implementation on OpenSSL's low-level API does).
std::vector<Hash> PlainLoop(const std::vector<std::span<const uint8_t>>& leaves) {
  std::vector<Hash> stored(StoredHashCount(leaves.size()));
  crypto::Sha256 sha;
  for (uint64_t i = 0; i < leaves.size(); ++i) {
    sha.Reset();
    sha.Update(uint8_t{0});
    sha.Update(leaves[i]);
    Hash h = sha.Final();
    stored[StoredHashIndex(0, i)] = h;
    for (int level = 1; level <= std::countr_one(i); ++level) {
      sha.Reset();
      sha.Update(uint8_t{1});
      sha.Update(stored[StoredHashIndex(level - 1, (i >> (level - 1)) - 1)]);
      sha.Update(h);
      h = sha.Final();
      stored[StoredHashIndex(level, i >> level)] = h;
    }
  }
  return stored;
}

// Best of three runs of the plain loop: {leaves per wall second, leaves per CPU second}.
Timing PlainLoopRate() {
  static const Timing rate = [] {
    Timing best{1e9, 1e9};
    for (int r = 0; r < 3; ++r) {
      Timing t = Time([] { benchmark::DoNotOptimize(PlainLoop(Spans())); });
      best.wall = std::min(best.wall, t.wall);
      best.cpu = std::min(best.cpu, t.cpu);
    }
    return Timing{kLeaves / best.wall, kLeaves / best.cpu};
  }();
  return rate;
}

void BM_BuildStoredHashes(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const auto& spans = Spans();
  const Timing peer = PlainLoopRate();
  Timing best{1e9, 1e9};
  for (auto _ : state) {
    Timing t = Time([&] { benchmark::DoNotOptimize(BuildStoredHashes(spans, threads)); });
    best.wall = std::min(best.wall, t.wall);
    best.cpu = std::min(best.cpu, t.cpu);
  }
  const double wall_rate = kLeaves / best.wall;
  const double core_rate = kLeaves / best.cpu;  // per CPU-second, i.e. per core
  const double limit = threads == 1 ? 4.0e6 : 7.0e6;
  state.counters["M_per_s_wall"] = wall_rate / 1e6;
  state.counters["M_per_s_per_core"] = core_rate / 1e6;
  state.counters["plain_M_per_s_per_core"] = peer.cpu / 1e6;
  state.counters["per_core_ratio_to_plain"] = core_rate / peer.cpu;
  state.counters["wall_ratio_to_limit"] = wall_rate / limit;
  state.counters["cores_x_per_core_ratio_to_limit"] = core_rate * threads / limit;
}
BENCHMARK(BM_BuildStoredHashes)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_VerifyInclusion(benchmark::State& state) {
  static const MemoryTree* tree = new MemoryTree(MemoryTree::FromLeaves(Spans(), 2));
  const uint64_t size = tree->size();
  const Hash root = tree->Root();
  std::mt19937_64 rng(2);
  struct Case {
    uint64_t index;
    Hash leaf;
    std::vector<Hash> proof;
  };
  std::vector<Case> cases;
  for (int i = 0; i < 4096; ++i) {
    const uint64_t index = rng() % size;
    cases.push_back({index, LeafHash(Leaves()[index]),
                     *InclusionProof(index, size, const_cast<MemoryTree&>(*tree))});
  }
  size_t k = 0;
  uint64_t ok = 0;
  for (auto _ : state) {
    const Case& c = cases[k++ & 4095];
    ok += VerifyInclusion(c.index, size, c.leaf, c.proof, root).ok();
  }
  if (ok != static_cast<uint64_t>(state.iterations())) state.SkipWithError("a proof failed");
  state.counters["verifications_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["ratio_to_limit"] = benchmark::Counter(
      static_cast<double>(state.iterations()) / 250000.0, benchmark::Counter::kIsRate);
  state.counters["ratio_to_go"] = benchmark::Counter(
      static_cast<double>(state.iterations()) / 120000.0, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_VerifyInclusion);

}  // namespace
}  // namespace tally::merkle

BENCHMARK_MAIN();
