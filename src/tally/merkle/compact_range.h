// CompactRange: the right edge of a Merkle tree, enough to append leaves and compute the root.
//
// A tree of size n is the perfect subtrees for the set bits of n (largest first); keeping their
// hashes (at most 64) is all an appender or a monitor needs. Append reports every newly completed
// perfect subtree (leaf first, then each parent the leaf completes), which is how tiles and Go's
// stored-hash layout are filled without reading anything back.
// Errors: FromSubtrees rejects a hash list whose length is not popcount(size) (InvalidArgument).
// Thread safety: a plain value; not for concurrent mutation.
#ifndef TALLY_MERKLE_COMPACT_RANGE_H_
#define TALLY_MERKLE_COMPACT_RANGE_H_

#include <array>
#include <cstdint>
#include <vector>

#include "tally/base/result.h"
#include "tally/merkle/hash.h"
#include "tally/merkle/proof.h"

namespace tally::merkle {

class CompactRange {
 public:
  CompactRange() = default;

  // From the perfect-subtree hashes of a tree of `size`, largest (leftmost) first.
  static Result<CompactRange> FromSubtrees(uint64_t size, std::span<const Hash> subtrees);

  uint64_t size() const { return size_; }

  // Appends one leaf hash; calls visit(NodeId, const Hash&) for the leaf and for each subtree it
  // completes, lowest level first.
  template <typename Visit>
  void Append(const Hash& leaf_hash, Visit&& visit) {
    const uint64_t n = size_;
    Hash h = leaf_hash;
    int level = 0;
    visit(NodeId{0, n}, h);
    while (((n >> level) & 1) != 0) {
      h = NodeHash(right_[level], h);
      ++level;
      visit(NodeId{level, n >> level}, h);
    }
    right_[level] = h;
    ++size_;
  }
  void Append(const Hash& leaf_hash) {
    Append(leaf_hash, [](NodeId, const Hash&) {});
  }

  Hash Root() const;
  // The perfect-subtree hashes, largest first (popcount(size) of them).
  std::vector<Hash> Subtrees() const;
  // The NodeIds of those subtrees, largest first.
  std::vector<NodeId> SubtreeIds() const;

 private:
  uint64_t size_ = 0;
  std::array<Hash, 64> right_{};  // right_[l]: the latest completed subtree at level l
};

}  // namespace tally::merkle

#endif  // TALLY_MERKLE_COMPACT_RANGE_H_
