// MemoryTree: a whole Merkle tree held in memory as "stored hashes" in the layout of Go's
// golang.org/x/mod/sumdb/tlog (Crosby-Wallach order: leaf n, then every subtree it completes),
// so that StoredHashIndex agrees with tlog.StoredHashIndex and tiles fall out by slicing.
//
// BuildStoredHashes computes all stored hashes of a batch of leaves at once, on several threads:
// each thread hashes whole aligned blocks of leaves (and every subtree inside them) straight into
// its part of the output; the few subtrees spanning blocks are joined afterwards.
// Errors: ReadHashes returns NotFound for a subtree beyond size().
// Memory: about 2 x 32 bytes per leaf. Thread safety: const methods may run concurrently.
#ifndef TALLY_MERKLE_MEMORY_TREE_H_
#define TALLY_MERKLE_MEMORY_TREE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "tally/merkle/proof.h"

namespace tally::merkle {

// Go's tlog.StoredHashIndex: where the subtree (level, n) sits in the stored-hash sequence.
uint64_t StoredHashIndex(int level, uint64_t n);
// Go's tlog.StoredHashCount: how many stored hashes a tree of n leaves has.
uint64_t StoredHashCount(uint64_t n);

// All stored hashes of the tree whose leaves are `leaves`, computed with `threads` threads
// (1 = on the calling thread).
std::vector<Hash> BuildStoredHashes(std::span<const std::span<const uint8_t>> leaves,
                                    int threads = 1);

class MemoryTree final : public HashReader {
 public:
  MemoryTree() = default;
  static MemoryTree FromLeaves(std::span<const std::span<const uint8_t>> leaves, int threads = 1);

  void AppendLeafHash(const Hash& leaf_hash);
  void Append(std::span<const uint8_t> data) { AppendLeafHash(LeafHash(data)); }

  uint64_t size() const { return size_; }
  const std::vector<Hash>& stored() const { return stored_; }
  const Hash& Subtree(int level, uint64_t index) const {
    return stored_[StoredHashIndex(level, index)];
  }
  Hash Root() const;

  Status ReadHashes(std::span<const NodeId> ids, std::span<Hash> out) override;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> stored_;
};

}  // namespace tally::merkle

#endif  // TALLY_MERKLE_MEMORY_TREE_H_
