#include "tally/merkle/proof.h"

#include <bit>

namespace tally::merkle {
namespace {

// The largest power of two strictly below n (n >= 2): the RFC's split point k.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

struct Range {
  uint64_t lo, hi;
};

// Reads every range's perfect subtrees in one batch and folds each range to its hash.
Result<std::vector<Hash>> HashRanges(const std::vector<Range>& ranges, HashReader& reader) {
  std::vector<NodeId> ids;
  std::vector<size_t> starts;
  for (const Range& r : ranges) {
    starts.push_back(ids.size());
    RangeNodes(r.lo, r.hi, ids);
  }
  starts.push_back(ids.size());
  std::vector<Hash> hashes(ids.size());
  TALLY_RETURN_IF_ERROR(reader.ReadHashes(ids, hashes));
  std::vector<Hash> out;
  out.reserve(ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) {
    size_t j = starts[i + 1] - 1;
    Hash h = hashes[j];
    while (j > starts[i]) {
      --j;
      h = NodeHash(hashes[j], h);
    }
    out.push_back(h);
  }
  return out;
}

void InclusionRanges(uint64_t m, uint64_t lo, uint64_t hi, std::vector<Range>& out) {
  if (hi - lo <= 1) return;
  const uint64_t k = SplitPoint(hi - lo);
  if (m < lo + k) {
    InclusionRanges(m, lo, lo + k, out);
    out.push_back({lo + k, hi});
  } else {
    InclusionRanges(m, lo + k, hi, out);
    out.push_back({lo, lo + k});
  }
}

void ConsistencyRanges(uint64_t m, uint64_t lo, uint64_t hi, bool whole, std::vector<Range>& out) {
  if (m == hi) {
    if (!whole) out.push_back({lo, hi});
    return;
  }
  const uint64_t k = SplitPoint(hi - lo);
  if (m <= lo + k) {
    ConsistencyRanges(m, lo, lo + k, whole, out);
    out.push_back({lo + k, hi});
  } else {
    ConsistencyRanges(m, lo + k, hi, false, out);
    out.push_back({lo, lo + k});
  }
}

}  // namespace

void RangeNodes(uint64_t lo, uint64_t hi, std::vector<NodeId>& out) {
  while (lo < hi) {
    const uint64_t k = std::bit_floor(hi - lo);
    // Shrink until aligned, so that a misuse yields a correct (if longer) cover, never garbage.
    uint64_t size = k;
    while ((lo & (size - 1)) != 0) size >>= 1;
    out.push_back({std::countr_zero(size), lo / size});
    lo += size;
  }
}

Result<Hash> TreeHash(uint64_t size, HashReader& reader) {
  if (size == 0) return EmptyRoot();
  TALLY_ASSIGN_OR_RETURN(auto hashes, HashRanges({{0, size}}, reader));
  return hashes[0];
}

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, HashReader& reader) {
  if (index >= size) {
    return InvalidArgument("inclusion proof: index " + std::to_string(index) +
                           " is not below the tree size " + std::to_string(size));
  }
  std::vector<Range> ranges;
  InclusionRanges(index, 0, size, ranges);
  return HashRanges(ranges, reader);
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2, HashReader& reader) {
  if (size1 == 0) return InvalidArgument("consistency proof: the old size must be at least 1");
  if (size1 > size2) {
    return InvalidArgument("consistency proof: old size " + std::to_string(size1) +
                           " is larger than new size " + std::to_string(size2));
  }
  std::vector<Range> ranges;
  if (size1 < size2) ConsistencyRanges(size1, 0, size2, true, ranges);
  return HashRanges(ranges, reader);
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  if (index >= size) {
    return InvalidArgument("inclusion: index " + std::to_string(index) +
                           " is not below the tree size " + std::to_string(size));
  }
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return VerificationFailed("inclusion: the proof has more hashes than a tree of size " +
                                std::to_string(size) + " needs for index " + std::to_string(index));
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return VerificationFailed("inclusion: the proof is missing hashes for index " +
                              std::to_string(index) + " in a tree of size " + std::to_string(size));
  }
  if (r != root) {
    return VerificationFailed("inclusion: the proof for index " + std::to_string(index) +
                              " leads to root " + HashToBase64(r) + ", not the expected " +
                              HashToBase64(root));
  }
  return Status::Ok();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, std::span<const Hash> proof,
                         const Hash& root1, const Hash& root2) {
  if (size1 == 0) return InvalidArgument("consistency: the old size must be at least 1");
  if (size1 > size2) {
    return InvalidArgument("consistency: old size " + std::to_string(size1) +
                           " is larger than new size " + std::to_string(size2));
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return VerificationFailed("consistency: a proof between equal sizes must be empty");
    }
    if (root1 != root2) {
      return VerificationFailed("consistency: two different roots for tree size " +
                                std::to_string(size1));
    }
    return Status::Ok();
  }
  if (proof.empty()) return VerificationFailed("consistency: the proof is empty");
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      return VerificationFailed("consistency: the proof from size " + std::to_string(size1) +
                                " to " + std::to_string(size2) + " has extra hashes");
    }
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return VerificationFailed("consistency: the proof from size " + std::to_string(size1) + " to " +
                              std::to_string(size2) + " is missing hashes");
  }
  if (fr != root1) {
    return VerificationFailed("consistency: the proof does not lead to the old root (size " +
                              std::to_string(size1) + ")");
  }
  if (sr != root2) {
    return VerificationFailed("consistency: the proof does not lead to the new root (size " +
                              std::to_string(size2) + ")");
  }
  return Status::Ok();
}

Result<std::vector<Hash>> ProofFromBase64(std::span<const std::string> lines,
                                          std::string_view what) {
  std::vector<Hash> out;
  out.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    TALLY_ASSIGN_OR_RETURN(
        Hash h, HashFromBase64(lines[i], std::string(what) + "[" + std::to_string(i) + "]"));
    out.push_back(h);
  }
  return out;
}

std::vector<std::string> ProofToBase64(std::span<const Hash> proof) {
  std::vector<std::string> out;
  out.reserve(proof.size());
  for (const Hash& h : proof) out.push_back(HashToBase64(h));
  return out;
}

}  // namespace tally::merkle
