#include "tally/merkle/compact_range.h"

#include <bit>

namespace tally::merkle {

Result<CompactRange> CompactRange::FromSubtrees(uint64_t size, std::span<const Hash> subtrees) {
  if (subtrees.size() != static_cast<size_t>(std::popcount(size))) {
    return InvalidArgument("compact range: a tree of size " + std::to_string(size) + " has " +
                           std::to_string(std::popcount(size)) + " perfect subtrees, got " +
                           std::to_string(subtrees.size()) + " hashes");
  }
  CompactRange r;
  r.size_ = size;
  size_t i = 0;
  for (int level = 63; level >= 0; --level) {
    if (((size >> level) & 1) != 0) r.right_[level] = subtrees[i++];
  }
  return r;
}

Hash CompactRange::Root() const {
  if (size_ == 0) return EmptyRoot();
  bool first = true;
  Hash r{};
  for (int level = 0; level < 64; ++level) {
    if (((size_ >> level) & 1) == 0) continue;
    r = first ? right_[level] : NodeHash(right_[level], r);
    first = false;
  }
  return r;
}

std::vector<Hash> CompactRange::Subtrees() const {
  std::vector<Hash> out;
  for (int level = 63; level >= 0; --level) {
    if (((size_ >> level) & 1) != 0) out.push_back(right_[level]);
  }
  return out;
}

std::vector<NodeId> CompactRange::SubtreeIds() const {
  std::vector<NodeId> out;
  RangeNodes(0, size_, out);
  return out;
}

}  // namespace tally::merkle
