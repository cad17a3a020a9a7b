// A bounded, rate-limited HTTP load on loopback for `scripts/load`: T client threads send GETs
// for the given paths at R requests/s in total for S seconds, then stop by themselves. Prints
// one JSON document: requests, errors (transport failures and non-200 answers), the rate
// achieved, p50/p99 latency, and the server's resident memory (VmRSS of --pid) at the start, the
// end and its peak, sampled every second. Exit 1 on any error or when the resident memory at the
// end exceeds the start by more than 25 % + 16 MiB (memory not flat).
//   tally_http_load --url http://127.0.0.1:PORT --paths /checkpoint,/tile/0/000 --seconds 30
//                   --rate 20000 --threads 8 --pid PID
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tally/server/http_client.h"

namespace {

long RssKb(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, paths_arg = "/checkpoint";
  double seconds = 30, rate = 1000;
  int threads = 8;
  long pid = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--url")
      url = v;
    else if (a == "--paths")
      paths_arg = v;
    else if (a == "--seconds")
      seconds = std::atof(v.c_str());
    else if (a == "--rate")
      rate = std::atof(v.c_str());
    else if (a == "--threads")
      threads = std::max(1, std::atoi(v.c_str()));
    else if (a == "--pid")
      pid = std::atol(v.c_str());
    else {
      std::fprintf(stderr, "tally_http_load: unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  if (url.empty() || seconds <= 0 || seconds > 3600 || rate <= 0) {
    std::fprintf(stderr,
                 "usage: tally_http_load --url URL [--paths P,Q] [--seconds S<=3600] "
                 "[--rate R] [--threads T] [--pid PID]\n");
    return 2;
  }
  std::vector<std::string> paths;
  std::stringstream ss(paths_arg);
  for (std::string p; std::getline(ss, p, ',');) paths.push_back(p);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  std::atomic<long> requests{0}, errors{0};
  std::mutex mu;
  std::vector<double> latencies;
  const long rss_start = pid ? RssKb(pid) : -1;
  std::atomic<long> rss_peak{rss_start};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      if (pid) rss_peak = std::max(rss_peak.load(), RssKb(pid));
    }
  });
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      tally::server::HttpClient client(std::chrono::seconds(5));
      const double interval = threads / rate;  // seconds between this thread's requests
      std::vector<double> mine;
      for (long k = 0;; ++k) {
        const auto due =
            start + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(interval * (k + t / double(threads))));
        if (due >= end || Clock::now() >= end) break;  // bounded in time even when behind
        std::this_thread::sleep_until(due);
        const auto sent = Clock::now();
        auto r = client.Get(url + paths[static_cast<size_t>(k) % paths.size()]);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        ++requests;
        if (!r.ok() || r->status != 200) ++errors;
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& c : clients) c.join();
  done = true;
  sampler.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double q) {
    return latencies.empty() ? 0.0
                             : latencies[std::min(latencies.size() - 1,
                                                  static_cast<size_t>(q * latencies.size()))];
  };
  const long rss_end = pid ? RssKb(pid) : -1;
  std::printf(
      "{\"requests\": %ld, \"errors\": %ld, \"seconds\": %.1f, \"target_rate\": %.0f, "
      "\"achieved_rate\": %.0f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"rss_start_kb\": %ld, "
      "\"rss_end_kb\": %ld, \"rss_peak_kb\": %ld}\n",
      requests.load(), errors.load(), elapsed, rate, requests / elapsed, pct(0.5), pct(0.99),
      rss_start, rss_end, rss_peak.load());
  const bool flat = rss_start < 0 || rss_end <= rss_start + rss_start / 4 + 16 * 1024;
  return errors == 0 && flat ? 0 : 1;
}
