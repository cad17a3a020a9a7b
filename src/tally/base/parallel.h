// ParallelChunks: a loop over [0, n) cut into consecutive chunks, run on the machine's cores
// when each core gets at least `min_per_chunk` iterations, else on the calling thread.
//
// The chunks are fixed by n and the number of threads only, and `fn` sees its chunk's index, so
// a caller that keeps one output per chunk and joins them in chunk order gets the same result
// for any number of threads (escrow's bundle writer and verifier rely on that).
//
// Work that is already spread over the cores (tally exercise --runs: one treaty year a core)
// runs its inner loops serially: a thread that holds a SerialScope, and every thread a
// ParallelChunks starts, never starts more.
//
// Thread safety: `fn` is called concurrently for different chunks; it must not touch what
// another chunk writes. An exception thrown by `fn` (bad_alloc) is rethrown on the calling
// thread once every chunk has ended.
#ifndef TALLY_BASE_PARALLEL_H_
#define TALLY_BASE_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace tally {

// The number of chunks ParallelChunks(n, min_per_chunk, ...) on this thread cuts [0, n) into:
// 1 to the number of cores (0 when n == 0).
size_t ChunkCount(size_t n, size_t min_per_chunk);

// Calls fn(chunk, begin, end) for each chunk; returns the number of chunks.
size_t ParallelChunks(size_t n, size_t min_per_chunk,
                      const std::function<void(size_t chunk, size_t begin, size_t end)>& fn);
// The same with the number of chunks given (a caller that sized one output per chunk with
// ChunkCount passes that count, so the two cannot differ); `chunks` must be 1 to n.
void RunChunks(size_t n, size_t chunks,
               const std::function<void(size_t chunk, size_t begin, size_t end)>& fn);

// While one lives, ParallelChunks called on this thread runs on it alone.
class SerialScope {
 public:
  SerialScope();
  ~SerialScope();
  SerialScope(const SerialScope&) = delete;
  SerialScope& operator=(const SerialScope&) = delete;

 private:
  bool was_serial_;
};

}  // namespace tally

#endif  // TALLY_BASE_PARALLEL_H_
