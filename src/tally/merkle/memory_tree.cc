#include "tally/merkle/memory_tree.h"

#include <algorithm>
#include <bit>
#include <thread>

namespace tally::merkle {
namespace {

// Leaves per block hashed by one thread in one go: 2^12 leaves keeps a block's stored hashes
// (~256 KiB) in L2 while leaving enough blocks to balance two threads.
constexpr int kBlockLevel = 12;

// Hashes leaves [lo, hi) (lo aligned to the block size) and every subtree completed inside the
// block, level by level, writing each at its stored-hash index. Within a level the hashes are
// independent, so they go two at a time through the interleaved SHA-256 (crypto/sha256.h).
void HashBlock(std::span<const std::span<const uint8_t>> leaves, uint64_t lo, uint64_t hi,
               Hash* stored) {
  uint64_t i = lo;
  for (; i + 1 < hi; i += 2) {
    const auto& x = leaves[i];
    const auto& y = leaves[i + 1];
    if (x.size() == 64 && y.size() == 64) {
      crypto::Sha256Prefixed65Pair(0x00, x.data(), x.data() + 32, y.data(), y.data() + 32,
                                   stored[StoredHashIndex(0, i)],
                                   stored[StoredHashIndex(0, i + 1)]);
    } else {
      stored[StoredHashIndex(0, i)] = LeafHash(x);
      stored[StoredHashIndex(0, i + 1)] = LeafHash(y);
    }
  }
  if (i < hi) stored[StoredHashIndex(0, i)] = LeafHash(leaves[i]);
  for (int level = 1; level <= kBlockLevel; ++level) {
    const uint64_t first = lo >> level;
    const uint64_t end = hi >> level;  // nodes whose leaves all lie in [lo, hi)
    if (end <= first) break;
    const auto child = [&](uint64_t k) -> const Hash& {
      return stored[StoredHashIndex(level - 1, k)];
    };
    uint64_t k = first;
    for (; k + 1 < end; k += 2) {
      crypto::Sha256Prefixed65Pair(0x01, child(2 * k).data(), child(2 * k + 1).data(),
                                   child(2 * k + 2).data(), child(2 * k + 3).data(),
                                   stored[StoredHashIndex(level, k)],
                                   stored[StoredHashIndex(level, k + 1)]);
    }
    if (k < end) stored[StoredHashIndex(level, k)] = NodeHash(child(2 * k), child(2 * k + 1));
  }
}

}  // namespace

uint64_t StoredHashIndex(int level, uint64_t n) {
  for (int l = level; l > 0; --l) n = 2 * n + 1;
  uint64_t i = 0;
  for (; n > 0; n >>= 1) i += n;
  return i + static_cast<uint64_t>(level);
}

uint64_t StoredHashCount(uint64_t n) {
  if (n == 0) return 0;
  uint64_t count = StoredHashIndex(0, n - 1) + 1;
  for (uint64_t i = n - 1; (i & 1) != 0; i >>= 1) ++count;
  return count;
}

std::vector<Hash> BuildStoredHashes(std::span<const std::span<const uint8_t>> leaves, int threads) {
  const uint64_t n = leaves.size();
  std::vector<Hash> stored(StoredHashCount(n));
  const uint64_t block = uint64_t{1} << kBlockLevel;
  const uint64_t blocks = (n + block - 1) / block;
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<uint64_t>(blocks, 1))));
  auto work = [&](uint64_t first_block, uint64_t end_block) {
    for (uint64_t b = first_block; b < end_block; ++b) {
      HashBlock(leaves, b * block, std::min(n, (b + 1) * block), stored.data());
    }
  };
  if (threads == 1) {
    work(0, blocks);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back(work, blocks * t / threads, blocks * (t + 1) / threads);
    }
    for (auto& th : pool) th.join();
  }
  // Subtrees above the block level: completed by the last leaf of each full block.
  for (uint64_t b = 0; b < n / block; ++b) {
    const uint64_t i = (b + 1) * block - 1;
    const int top = std::countr_one(i);
    for (int level = kBlockLevel + 1; level <= top; ++level) {
      const Hash& left = stored[StoredHashIndex(level - 1, (i >> (level - 1)) - 1)];
      const Hash& right = stored[StoredHashIndex(level - 1, i >> (level - 1))];
      stored[StoredHashIndex(level, i >> level)] = NodeHash(left, right);
    }
  }
  return stored;
}

MemoryTree MemoryTree::FromLeaves(std::span<const std::span<const uint8_t>> leaves, int threads) {
  MemoryTree t;
  t.stored_ = BuildStoredHashes(leaves, threads);
  t.size_ = leaves.size();
  return t;
}

void MemoryTree::AppendLeafHash(const Hash& leaf_hash) {
  const uint64_t n = size_;
  Hash h = leaf_hash;
  stored_.push_back(h);
  for (int level = 1; level <= std::countr_one(n); ++level) {
    h = NodeHash(stored_[StoredHashIndex(level - 1, (n >> (level - 1)) - 1)], h);
    stored_.push_back(h);
  }
  ++size_;
}

Hash MemoryTree::Root() const {
  std::vector<NodeId> ids;
  RangeNodes(0, size_, ids);
  if (ids.empty()) return EmptyRoot();
  Hash h = Subtree(ids.back().level, ids.back().index);
  for (size_t j = ids.size() - 1; j-- > 0;) h = NodeHash(Subtree(ids[j].level, ids[j].index), h);
  return h;
}

Status MemoryTree::ReadHashes(std::span<const NodeId> ids, std::span<Hash> out) {
  for (size_t i = 0; i < ids.size(); ++i) {
    const NodeId& id = ids[i];
    if (id.level < 0 || id.level > 63 || id.index >= (size_ >> id.level)) {
      return NotFound("memory tree: no subtree at level " + std::to_string(id.level) + " index " +
                      std::to_string(id.index) + " in a tree of size " + std::to_string(size_));
    }
    out[i] = stored_[StoredHashIndex(id.level, id.index)];
  }
  return Status::Ok();
}

}  // namespace tally::merkle
