// SumTree: a Merkle-sum tree over salted leaf commitments. Every node carries a hash and K
// non-negative counts (the treaty categories, escrow/categories.h); a parent's counts are the sum
// of its children's, so the root's counts are the declared totals and the root hash binds them.
//
//   leaf  = SHA-256(0x00 || salt[32] || counts[K] as u64 BE || record)     (escrow/record.h)
//   inner = SHA-256(0x01 || L.hash || L.counts || R.hash || R.counts)
//
// Both children's counts enter the parent hash (not only their sum), the fix for the flaw in
// Maxwell's original proof-of-reserves tree; sums are checked for overflow, so no subtree can
// carry a "negative" count that cancels a real one. The shape is RFC 9162's (a node without a
// right sibling is carried up unchanged), built level by level.
//
// SumProof is a multi-leaf inclusion-and-sum path: the sibling nodes needed to recompute the root
// from a set of opened leaves, in the order docs/formats/opening-bundle.md gives.
// Errors: RootFromProof returns VerificationFailed when the proof has too few or too many nodes
// or a sum overflows; InvalidArgument for bad indices.
// Ownership: a SumTree owns its levels (about (32 + 8K) bytes x 2n). Thread safety: const use
// is safe from several threads.
#ifndef TALLY_ESCROW_SUM_TREE_H_
#define TALLY_ESCROW_SUM_TREE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/merkle/hash.h"

namespace tally::escrow {

using merkle::Hash;

struct SumNode {
  Hash hash{};
  std::vector<uint64_t> counts;
};

struct SumProof {
  std::vector<Hash> hashes;
  std::vector<uint64_t> counts;  // K per node, node after node
  size_t size() const { return hashes.size(); }
};

Hash SumLeafHash(const Hash& salt, std::span<const uint64_t> counts, std::string_view record);
Hash SumInnerHash(const Hash& lh, std::span<const uint64_t> lc, const Hash& rh,
                  std::span<const uint64_t> rc);

class SumTree {
 public:
  // `leaf_counts` holds K counts per leaf; n = leaf_hashes.size() >= 1.
  static Result<SumTree> Build(std::vector<Hash> leaf_hashes, std::vector<uint64_t> leaf_counts,
                               size_t k);

  uint64_t size() const { return hashes_.empty() ? 0 : hashes_[0].size(); }
  size_t k() const { return k_; }
  const Hash& root_hash() const { return hashes_.back()[0]; }
  std::span<const uint64_t> root_counts() const { return counts_.back(); }
  const Hash& leaf_hash(uint64_t i) const { return hashes_[0][i]; }
  std::span<const uint64_t> leaf_counts(uint64_t i) const {
    return std::span<const uint64_t>(counts_[0]).subspan(i * k_, k_);
  }

  // `indices` sorted ascending, unique, each < size().
  Result<SumProof> Prove(std::span<const uint64_t> indices) const;

 private:
  size_t k_ = 0;
  std::vector<std::vector<Hash>> hashes_;      // level 0 = leaves, last = root
  std::vector<std::vector<uint64_t>> counts_;  // K per node
};

// Recomputes the root from opened leaves (sorted unique indices, their leaf hashes and K counts
// each) and a proof, for a tree of `size` leaves.
Result<SumNode> RootFromProof(uint64_t size, size_t k, std::span<const uint64_t> indices,
                              std::span<const Hash> leaf_hashes,
                              std::span<const uint64_t> leaf_counts, const SumProof& proof);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_SUM_TREE_H_
