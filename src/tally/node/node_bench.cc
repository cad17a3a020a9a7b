// The witness endpoint's durable cosignatures per second, over HTTP on loopback, against the
// issue's limit (2,000/s) and the disk's own floor measured in the same run (sequential
// fdatasyncs of a small append, in the same directory): each cosignature is an Ed25519
// verification, a consistency proof and a state record fsync'd before the answer.
//   build/release/src/tally/node/tally_node_bench --benchmark_filter=AddCheckpoint
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/random.h"
#include "tally/merkle/memory_tree.h"
#include "tally/merkle/proof.h"
#include "tally/node/http_signature.h"
#include "tally/node/node.h"
#include "tally/node/node_init.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/http_client.h"
#include "tally/server/http_server.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/key_file.h"
#include "tally/tlog/witness.h"

namespace tally::node {
namespace {

namespace fs = std::filesystem;

struct Step {
  uint64_t old_size;
  std::string body;
};

double FsyncFloorPerSecond(const std::string& dir) {
  const std::string path = dir + "/floor";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  const auto start = std::chrono::steady_clock::now();
  constexpr int kSyncs = 200;
  for (int i = 0; i < kSyncs; ++i) {
    if (::write(fd, "record of about a hundred bytes................................", 64) < 0) {
      break;
    }
    ::fdatasync(fd);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  return kSyncs / secs;
}

void BM_AddCheckpointDurable(benchmark::State& state) {
  const int kLogs = 64, kSteps = 40, kClients = static_cast<int>(state.range(0));
  const std::string dir =
      fs::temp_directory_path().string() + "/tally-node-bench-" + std::to_string(::getpid());
  fs::create_directories(dir);
  // Signed checkpoints of 64 logs growing by 10 entries a step, with their proofs.
  std::vector<std::unique_ptr<tlog::Ed25519NoteSigner>> signers;
  std::vector<std::unique_ptr<tlog::NoteVerifier>> verifiers;
  std::vector<const tlog::NoteVerifier*> keys;
  std::vector<std::vector<Step>> steps(kLogs);
  for (int l = 0; l < kLogs; ++l) {
    const std::string origin = "bench.example/log" + std::to_string(l);
    signers.push_back(
        std::move(*tlog::Ed25519NoteSigner::Generate(origin, crypto::SystemRandom())));
    verifiers.push_back(std::move(*tlog::ParseVerifierKey(signers.back()->VerifierKey())));
    keys.push_back(verifiers.back().get());
    merkle::MemoryTree tree;
    uint64_t prev = 0;
    for (int s = 0; s < kSteps; ++s) {
      for (int e = 0; e < 10; ++e)
        tree.Append(crypto::AsBytes("entry " + std::to_string(e + 10 * s)));
      tlog::Checkpoint cp{origin, tree.size(), *merkle::TreeHash(tree.size(), tree), {}};
      const tlog::NoteSigner* sig[] = {signers.back().get()};
      std::string note = *tlog::SignNote(cp.Format(), sig);
      std::string body = "old " + std::to_string(prev) + "\n";
      if (prev > 0) {
        const std::vector<merkle::Hash> proof = *merkle::ConsistencyProof(prev, tree.size(), tree);
        for (const auto& h : proof) body += merkle::HashToBase64(h) + "\n";
      }
      steps[l].push_back({prev, body + "\n" + note});
      prev = tree.size();
    }
  }
  tlog::VerifierKeyring keyring(keys);
  const double floor = FsyncFloorPerSecond(dir);
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove_all(dir + "/w");
    (void)tlog::Witness::Init(dir + "/w", "bench.example/witness");
    auto witness = std::move(*tlog::Witness::Open(dir + "/w"));
    server::Logger logger(std::fopen("/dev/null", "w"));
    server::Router router;
    router.Add("POST", "/add-checkpoint",
               [&](const server::HttpRequest& r) {
                 return HandleAddCheckpoint(
                     *witness, keyring, r, [] { return uint64_t{1}; }, logger);
               },
               {kMaxAddCheckpointBody, true});
    server::ServerOptions options;
    options.worker_threads = kClients;
    server::HttpServer http(router, options, logger);
    (void)http.Listen({"127.0.0.1", 0});
    std::thread run([&] { http.Run(); });
    const std::string url =
        "http://127.0.0.1:" + std::to_string(http.BoundAddress().port) + "/add-checkpoint";
    std::atomic<int> errors{0};
    state.ResumeTiming();
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        server::HttpClient client;
        for (int s = 0; s < kSteps; ++s) {
          for (int l = c; l < kLogs; l += kClients) {
            auto r = client.Post(url, steps[l][s].body, "text/plain");
            if (!r.ok() || r->status != 200) ++errors;
          }
        }
      });
    }
    for (auto& t : clients) t.join();
    state.PauseTiming();
    http.Stop();
    run.join();
    if (errors) state.SkipWithError("some add-checkpoint requests failed");
    state.ResumeTiming();
  }
  const double total = static_cast<double>(kLogs) * kSteps * state.iterations();
  state.counters["cosignatures_per_s"] = benchmark::Counter(total, benchmark::Counter::kIsRate);
  state.counters["fsync_floor_per_s"] = floor;
  state.counters["limit_per_s"] = 2000;
  fs::remove_all(dir);
}
BENCHMARK(BM_AddCheckpointDurable)
    ->Arg(16)
    ->Arg(64)
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Signed writes between nodes: US's node key signs each delivery (RFC 9421), RU's node verifies
// the signature, the nonce and the digest and stores the document durably (0600) before 201.
void BM_SignedWrites(benchmark::State& state) {
  const int kClients = static_cast<int>(state.range(0)), kPerClient = 100;
  const std::string dir =
      fs::temp_directory_path().string() + "/tally-signed-bench-" + std::to_string(::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string net = dir + "/network.toml";
  auto us = InitNode({dir + "/us", net, "US", "bench.example/us", "", "127.0.0.1:0"});
  auto ru = InitNode({dir + "/ru", net, "RU", "bench.example/ru", "", "127.0.0.1:0"});
  if (!us.ok() || !ru.ok()) {
    state.SkipWithError("node init failed");
    return;
  }
  (void)WriteFileAtomic(net, "format = \"tally-network/1\"\nname = \"bench\"\n\n" +
                                 us->network_entry + "\n" + ru->network_entry);
  server::Logger logger(std::fopen("/dev/null", "w"));
  NodeOverrides o;
  o.mirror = false;
  o.worker_threads = kClients;
  auto node = Node::Open(dir + "/ru", o, logger);
  if (!node.ok()) {
    state.SkipWithError(node.error().message().c_str());
    return;
  }
  std::thread run([&] { (void)(*node)->Run(); });
  std::string addr;
  for (int i = 0; i < 400 && addr.empty(); ++i) {
    auto r = ReadFile(dir + "/ru/run/ready");
    if (r.ok() && !r->empty()) addr = r->substr(0, r->size() - 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto skey = *tlog::ReadSecretKeyFile(dir + "/us/private/node.key");
  auto signer = std::move(*tlog::Ed25519NoteSigner::FromSignerKey(crypto::AsText(skey.bytes())));
  std::atomic<int> errors{0};
  uint64_t total = 0;
  for (auto _ : state) {
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        server::HttpClient client;
        for (int k = 0; k < kPerClient; ++k) {
          const std::string body = "document " + std::to_string(c) + "/" + std::to_string(k) + "/" +
                                   std::to_string(total);
          std::vector<server::HttpHeader> h;
          SignRequest(*signer, "US", static_cast<int64_t>(WallClockSeconds()), "POST", "/inbox/US",
                      body, h);
          auto r = client.Send("POST", "http://" + addr + "/inbox/US", h, body);
          if (!r.ok() || r->status != 201) ++errors;
        }
      });
    }
    for (auto& t : clients) t.join();
    total += static_cast<uint64_t>(kClients) * kPerClient;
  }
  (*node)->Stop();
  run.join();
  if (errors) state.SkipWithError("some signed writes failed");
  state.counters["signed_writes_per_s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["limit_per_s"] = 2000;
  fs::remove_all(dir);
}
BENCHMARK(BM_SignedWrites)
    ->Arg(16)
    ->Arg(64)
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tally::node

BENCHMARK_MAIN();
