#include "tally/base/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <numeric>
#include <thread>
#include <vector>

namespace tally {
namespace {

TEST(ParallelChunksTest, ChunksCoverTheRangeOnceInOrder) {
  const size_t n = 10007;
  std::vector<int> seen(n, 0);
  std::vector<std::pair<size_t, size_t>> bounds(ChunkCount(n, 100));
  const size_t chunks = ParallelChunks(n, 100, [&](size_t c, size_t begin, size_t end) {
    bounds[c] = {begin, end};
    for (size_t i = begin; i < end; ++i) ++seen[i];
  });
  EXPECT_EQ(chunks, bounds.size());
  EXPECT_GE(chunks, 1u);
  EXPECT_LE(chunks, std::max(1u, std::thread::hardware_concurrency()));
  for (int s : seen) ASSERT_EQ(s, 1);
  EXPECT_EQ(bounds.front().first, 0u);
  EXPECT_EQ(bounds.back().second, n);
  for (size_t c = 1; c < bounds.size(); ++c) EXPECT_EQ(bounds[c].first, bounds[c - 1].second);
}

TEST(ParallelChunksTest, SmallAndEmptyRangesStayOnTheCallingThread) {
  EXPECT_EQ(ParallelChunks(0, 10, [](size_t, size_t, size_t) { FAIL(); }), 0u);
  const auto caller = std::this_thread::get_id();
  EXPECT_EQ(ParallelChunks(15, 10,
                           [&](size_t, size_t begin, size_t end) {
                             EXPECT_EQ(std::this_thread::get_id(), caller);
                             EXPECT_EQ(begin, 0u);
                             EXPECT_EQ(end, 15u);
                           }),
            1u);
}

TEST(ParallelChunksTest, ASerialScopeAndTheChunksThemselvesStartNoThread) {
  const auto caller = std::this_thread::get_id();
  {
    SerialScope serial;
    EXPECT_EQ(ChunkCount(1 << 20, 1), 1u);
    ParallelChunks(1 << 20, 1,
                   [&](size_t, size_t, size_t) { EXPECT_EQ(std::this_thread::get_id(), caller); });
  }
  // Nested: a chunk's own loop runs on the chunk's thread.
  std::atomic<size_t> inner_chunks{0};
  ParallelChunks(1 << 12, 1, [&](size_t, size_t, size_t) {
    inner_chunks += ParallelChunks(1 << 12, 1, [](size_t, size_t, size_t) {});
  });
  EXPECT_EQ(inner_chunks.load(), ChunkCount(1 << 12, 1));
}

TEST(ParallelChunksTest, AnExceptionInAChunkReachesTheCallerAfterEveryChunkEnds) {
  std::atomic<size_t> ended{0};
  const size_t chunks = ChunkCount(1 << 12, 1);
  EXPECT_THROW(RunChunks(1 << 12, chunks,
                         [&](size_t c, size_t, size_t) {
                           ++ended;
                           if (c == chunks - 1) throw std::bad_alloc();
                         }),
               std::bad_alloc);
  EXPECT_EQ(ended.load(), chunks);
}

}  // namespace
}  // namespace tally
