#include "tally/base/parallel.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace tally {
namespace {

thread_local bool serial = false;

}  // namespace

SerialScope::SerialScope() : was_serial_(serial) { serial = true; }
SerialScope::~SerialScope() { serial = was_serial_; }

size_t ChunkCount(size_t n, size_t min_per_chunk) {
  if (n == 0) return 0;
  if (serial) return 1;
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<size_t>(n / std::max<size_t>(min_per_chunk, 1), 1, cores);
}

size_t ParallelChunks(size_t n, size_t min_per_chunk,
                      const std::function<void(size_t, size_t, size_t)>& fn) {
  const size_t chunks = ChunkCount(n, min_per_chunk);
  if (chunks > 0) RunChunks(n, chunks, fn);
  return chunks;
}

void RunChunks(size_t n, size_t chunks, const std::function<void(size_t, size_t, size_t)>& fn) {
  chunks = std::clamp<size_t>(chunks, n == 0 ? 0 : 1, n);
  if (chunks == 0) return;
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto run = [&](size_t c) {
    SerialScope inner;
    try {
      fn(c, n * c / chunks, n * (c + 1) / chunks);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  size_t started = 1;
  for (; started < chunks; ++started) {
    // A thread that cannot be started leaves its chunk, and the ones after it, to this one.
    try {
      pool.emplace_back(run, started);
    } catch (const std::system_error&) {
      break;
    }
  }
  run(0);
  for (size_t c = started; c < chunks; ++c) run(c);
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace tally
