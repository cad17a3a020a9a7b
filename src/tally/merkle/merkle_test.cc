#include <gtest/gtest.h>

#include <random>
#include <string>

#include "tally/crypto/encoding.h"
#include "tally/merkle/compact_range.h"
#include "tally/merkle/memory_tree.h"
#include "tally/merkle/proof.h"

namespace tally::merkle {
namespace {

// The RFC 6962 / transparency-dev reference leaves (testonly/constants.go) and roots.
std::vector<std::vector<uint8_t>> ReferenceLeaves() {
  const char* hex[] = {"",
                       "00",
                       "10",
                       "2021",
                       "3031",
                       "40414243",
                       "5051525354555657",
                       "606162636465666768696a6b6c6d6e6f"};
  std::vector<std::vector<uint8_t>> out;
  for (const char* h : hex) out.push_back(*crypto::HexDecode(h));
  return out;
}

const char* kReferenceRoots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

MemoryTree ReferenceTree(size_t n) {
  MemoryTree t;
  auto leaves = ReferenceLeaves();
  for (size_t i = 0; i < n; ++i) t.Append(leaves[i]);
  return t;
}

std::vector<std::vector<uint8_t>> NumberedLeaves(size_t n) {
  std::vector<std::vector<uint8_t>> out;
  for (size_t i = 0; i < n; ++i) {
    std::string s = "leaf " + std::to_string(i);
    out.emplace_back(s.begin(), s.end());
  }
  return out;
}

std::vector<std::span<const uint8_t>> Spans(const std::vector<std::vector<uint8_t>>& v) {
  return {v.begin(), v.end()};
}

TEST(TreeHash, EmptyTreeIsSha256OfNothing) {
  MemoryTree t;
  EXPECT_EQ(HashToBase64(t.Root()), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(*TreeHash(0, t), EmptyRoot());
}

TEST(TreeHash, MatchesReferenceRootsForEverySize) {
  for (size_t n = 1; n <= 8; ++n) {
    MemoryTree t = ReferenceTree(n);
    EXPECT_EQ(HashToHex(t.Root()), kReferenceRoots[n - 1]) << n;
    EXPECT_EQ(HashToHex(*TreeHash(n, t)), kReferenceRoots[n - 1]) << n;
    CompactRange r;
    for (const auto& leaf : ReferenceLeaves()) {
      if (r.size() == n) break;
      r.Append(LeafHash(leaf));
    }
    EXPECT_EQ(HashToHex(r.Root()), kReferenceRoots[n - 1]) << n;
  }
}

TEST(InclusionProof, Rfc6962SevenLeafExample) {
  MemoryTree t = ReferenceTree(7);
  auto leaves = ReferenceLeaves();
  const Hash a = LeafHash(leaves[0]), b = LeafHash(leaves[1]), c = LeafHash(leaves[2]),
             d = LeafHash(leaves[3]), e = LeafHash(leaves[4]), f = LeafHash(leaves[5]),
             j = LeafHash(leaves[6]);
  const Hash g = NodeHash(a, b), h = NodeHash(c, d), i = NodeHash(e, f);
  const Hash k = NodeHash(g, h), l = NodeHash(i, j);
  EXPECT_EQ(*InclusionProof(0, 7, t), (std::vector<Hash>{b, h, l}));
  EXPECT_EQ(*InclusionProof(3, 7, t), (std::vector<Hash>{c, g, l}));
  EXPECT_EQ(*InclusionProof(4, 7, t), (std::vector<Hash>{f, j, k}));
  EXPECT_EQ(*InclusionProof(6, 7, t), (std::vector<Hash>{i, k}));
  EXPECT_EQ(*ConsistencyProof(3, 7, t), (std::vector<Hash>{c, d, g, l}));
  EXPECT_EQ(*ConsistencyProof(4, 7, t), (std::vector<Hash>{l}));
  EXPECT_EQ(*ConsistencyProof(6, 7, t), (std::vector<Hash>{i, j, k}));
}

TEST(Proofs, EveryProofOfSmallTreesVerifiesAndMutationsMostlyFail) {
  auto leaves = NumberedLeaves(70);
  MemoryTree t;
  std::vector<Hash> roots;
  for (size_t n = 1; n <= leaves.size(); ++n) {
    t.Append(leaves[n - 1]);
    roots.push_back(t.Root());
  }
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const Hash& root = roots[n - 1];
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = InclusionProof(i, n, t);
      ASSERT_TRUE(proof.ok());
      const Hash leaf = LeafHash(leaves[i]);
      ASSERT_TRUE(VerifyInclusion(i, n, leaf, *proof, root).ok()) << i << "/" << n;
      EXPECT_FALSE(VerifyInclusion(i, n, LeafHash(leaves[(i + 1) % 70]), *proof, root).ok());
      auto extra = *proof;
      extra.push_back(root);
      EXPECT_FALSE(VerifyInclusion(i, n, leaf, extra, root).ok());
      if (!proof->empty()) {
        auto missing = *proof;
        missing.pop_back();
        EXPECT_FALSE(VerifyInclusion(i, n, leaf, missing, root).ok());
        auto flipped = *proof;
        flipped[0][5] ^= 0x40;
        EXPECT_FALSE(VerifyInclusion(i, n, leaf, flipped, root).ok());
      }
    }
    for (uint64_t m = 1; m <= n; ++m) {
      auto proof = ConsistencyProof(m, n, t);
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(VerifyConsistency(m, n, *proof, roots[m - 1], root).ok()) << m << "->" << n;
      if (m < n) {
        auto extra = *proof;
        extra.push_back(root);
        EXPECT_FALSE(VerifyConsistency(m, n, extra, roots[m - 1], root).ok());
        auto missing = *proof;
        missing.pop_back();
        EXPECT_FALSE(VerifyConsistency(m, n, missing, roots[m - 1], root).ok());
        EXPECT_FALSE(VerifyConsistency(m, n, *proof, roots[n - 1], root).ok() &&
                     roots[n - 1] != roots[m - 1]);
      }
    }
  }
}

TEST(Verify, RejectsImpossibleParameters) {
  const Hash h = LeafHash(std::string_view("x"));
  EXPECT_EQ(VerifyInclusion(3, 3, h, {}, h).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(~uint64_t{0}, ~uint64_t{0}, h, {}, h).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(VerifyInclusion(0, 1, h, {}, h).ok());
  EXPECT_FALSE(VerifyInclusion(0, 2, h, {}, h).ok());
  EXPECT_EQ(VerifyConsistency(0, 3, {}, h, h).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(4, 3, {}, h, h).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(VerifyConsistency(3, 3, {}, h, h).ok());
  std::vector<Hash> one{h};
  EXPECT_FALSE(VerifyConsistency(3, 3, one, h, h).ok());
  EXPECT_FALSE(VerifyConsistency(2, 3, {}, h, h).ok());
  // A proof binds to the root, not to the claimed size: index 0 of size 3 also checks at size 4.
  auto leaves = NumberedLeaves(3);
  MemoryTree t = MemoryTree::FromLeaves(Spans(leaves));
  auto proof = *InclusionProof(0, 3, t);
  EXPECT_TRUE(VerifyInclusion(0, 4, LeafHash(leaves[0]), proof, t.Root()).ok());
  // A 64-bit index near the top: the proof length check must not overflow.
  std::vector<Hash> sixty_four(64, h);
  EXPECT_FALSE(VerifyInclusion(~uint64_t{0} - 1, ~uint64_t{0}, h, sixty_four, h).ok());
}

TEST(ProofFromBase64, RejectsNon32ByteHashes) {
  std::vector<std::string> lines = {HashToBase64(EmptyRoot()), "AAAA"};
  EXPECT_FALSE(ProofFromBase64(lines, "proof").ok());
  lines.pop_back();
  EXPECT_TRUE(ProofFromBase64(lines, "proof").ok());
}

TEST(StoredHashes, IndexMatchesGoLayout) {
  // Values from Go's tlog.StoredHashIndex.
  EXPECT_EQ(StoredHashIndex(0, 0), 0u);
  EXPECT_EQ(StoredHashIndex(0, 1), 1u);
  EXPECT_EQ(StoredHashIndex(1, 0), 2u);
  EXPECT_EQ(StoredHashIndex(0, 2), 3u);
  EXPECT_EQ(StoredHashIndex(0, 3), 4u);
  EXPECT_EQ(StoredHashIndex(1, 1), 5u);
  EXPECT_EQ(StoredHashIndex(2, 0), 6u);
  EXPECT_EQ(StoredHashCount(1000000), 1999993u);
}

TEST(StoredHashes, ParallelBuildEqualsSequentialAppend) {
  for (size_t n : {1u, 2u, 5u, 4095u, 4096u, 4097u, 8192u, 20000u}) {
    auto leaves = NumberedLeaves(n);
    MemoryTree seq;
    for (const auto& l : leaves) seq.Append(l);
    for (int threads : {1, 2, 3}) {
      auto stored = BuildStoredHashes(Spans(leaves), threads);
      ASSERT_EQ(stored.size(), StoredHashCount(n));
      EXPECT_EQ(stored, seq.stored()) << n << " leaves, " << threads << " threads";
    }
  }
}

TEST(CompactRange, ReportsCompletedSubtreesAndRoundTrips) {
  auto leaves = NumberedLeaves(300);
  MemoryTree t = MemoryTree::FromLeaves(Spans(leaves));
  CompactRange r;
  for (const auto& l : leaves) {
    r.Append(LeafHash(l), [&](NodeId id, const Hash& h) {
      EXPECT_EQ(h, t.Subtree(id.level, id.index)) << id.level << "/" << id.index;
    });
    auto copy = CompactRange::FromSubtrees(r.size(), r.Subtrees());
    ASSERT_TRUE(copy.ok());
    EXPECT_EQ(copy->Root(), r.Root());
    EXPECT_EQ(r.Root(), *TreeHash(r.size(), t));
  }
  EXPECT_FALSE(CompactRange::FromSubtrees(3, std::vector<Hash>(1)).ok());
}

TEST(Proofs, RandomProofsOfALargeTree) {
  const size_t n = 100000;
  auto leaves = NumberedLeaves(n);
  MemoryTree t = MemoryTree::FromLeaves(Spans(leaves), 2);
  std::mt19937_64 rng(7);
  for (int k = 0; k < 200; ++k) {
    const uint64_t size = 1 + rng() % n;
    const uint64_t index = rng() % size;
    const uint64_t old = 1 + rng() % size;
    const Hash root = *TreeHash(size, t);
    auto inc = InclusionProof(index, size, t);
    ASSERT_TRUE(inc.ok());
    EXPECT_TRUE(VerifyInclusion(index, size, LeafHash(leaves[index]), *inc, root).ok());
    auto con = ConsistencyProof(old, size, t);
    ASSERT_TRUE(con.ok());
    EXPECT_TRUE(VerifyConsistency(old, size, *con, *TreeHash(old, t), root).ok());
  }
}

}  // namespace
}  // namespace tally::merkle
