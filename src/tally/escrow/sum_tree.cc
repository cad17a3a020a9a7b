#include "tally/escrow/sum_tree.h"

#include <cstring>
#include <string>

#include "tally/crypto/sha256.h"
#include "tally/crypto/sha256_lanes.h"
#include "tally/escrow/huge_pages.h"

namespace tally::escrow {
namespace {

inline void PutU64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
}

// a + b, false on overflow.
inline bool AddCounts(std::span<const uint64_t> a, std::span<const uint64_t> b, uint64_t* out) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (__builtin_add_overflow(a[i], b[i], &out[i])) return false;
  }
  return true;
}

}  // namespace

Hash SumLeafHash(const Hash& salt, std::span<const uint64_t> counts, std::string_view record) {
  // One buffer, so short leaves take the two-block fast path of Sha256Prefixed.
  thread_local std::vector<uint8_t> buf;
  buf.resize(salt.size() + 8 * counts.size() + record.size());
  uint8_t* p = buf.data();
  std::copy(salt.begin(), salt.end(), p);
  p += salt.size();
  for (uint64_t c : counts) {
    PutU64(p, c);
    p += 8;
  }
  std::copy(record.begin(), record.end(), p);
  return crypto::Sha256Prefixed(0x00, buf);
}

Hash SumInnerHash(const Hash& lh, std::span<const uint64_t> lc, const Hash& rh,
                  std::span<const uint64_t> rc) {
  uint8_t stack[2 * (32 + 8 * 16)];
  std::vector<uint8_t> heap;
  const size_t len = 2 * (32 + 8 * lc.size());
  uint8_t* buf = stack;
  if (len > sizeof(stack)) {
    heap.resize(len);
    buf = heap.data();
  }
  uint8_t* p = buf;
  std::copy(lh.begin(), lh.end(), p);
  p += 32;
  for (uint64_t c : lc) {
    PutU64(p, c);
    p += 8;
  }
  std::copy(rh.begin(), rh.end(), p);
  p += 32;
  for (uint64_t c : rc) {
    PutU64(p, c);
    p += 8;
  }
  return crypto::Sha256Prefixed(0x01, std::span<const uint8_t>(buf, len));
}

Result<SumTree> SumTree::Build(std::vector<Hash> leaf_hashes, std::vector<uint64_t> leaf_counts,
                               size_t k) {
  if (leaf_hashes.empty()) return InvalidArgument("a sum tree needs at least one leaf");
  if (k == 0 || leaf_counts.size() != leaf_hashes.size() * k) {
    return InvalidArgument("sum tree: expected " + std::to_string(k) + " counts per leaf");
  }
  SumTree t;
  t.k_ = k;
  t.hashes_.push_back(std::move(leaf_hashes));
  t.counts_.push_back(std::move(leaf_counts));
  // Every inner message has the same length, so both lanes' buffers are padded once and only
  // the message bytes are rewritten per node.
  const size_t len = 1 + 2 * (32 + 8 * k);
  crypto::ShaMessage ma, mb;
  size_t blocks = 0;
  for (crypto::ShaMessage* msg : {&ma, &mb}) {
    for (size_t i = 0; i < len; ++i) msg->Push(0);
    blocks = msg->Pad(0);
  }
  auto message = [k, blocks](crypto::ShaMessage& msg, const std::vector<Hash>& h, const uint64_t* c,
                             size_t l) {
    uint8_t* p = msg.mutable_data();
    *p++ = 0x01;
    for (size_t side = 0; side < 2; ++side) {
      std::memcpy(p, h[l + side].data(), 32);
      p += 32;
      for (size_t j = 0; j < k; ++j) {
        const uint64_t be = __builtin_bswap64(c[(l + side) * k + j]);
        std::memcpy(p, &be, 8);
        p += 8;
      }
    }
    return blocks;
  };
  while (t.hashes_.back().size() > 1) {
    const std::vector<Hash>& h = t.hashes_.back();
    const std::vector<uint64_t>& c = t.counts_.back();
    const size_t n = h.size();
    const size_t m = (n + 1) / 2;
    const size_t full = n / 2;  // parents with two children
    std::vector<Hash> nh;
    HugeReserve(nh, m);
    nh.resize(m);
    std::vector<uint64_t> nc;
    HugeReserve(nc, m * k);
    nc.resize(m * k);
    for (size_t i = 0; i < full; ++i) {
      std::span<const uint64_t> lc(c.data() + 2 * i * k, k), rc(c.data() + (2 * i + 1) * k, k);
      if (!AddCounts(lc, rc, nc.data() + i * k)) {
        return InvalidArgument("sum tree: a count overflows 64 bits");
      }
    }
    // Two parents at a time (crypto/sha256_lanes.h): the hashes of one level are independent.
    for (size_t i = 0; i < full; i += 2) {
      const bool two = i + 1 < full;
      const size_t na = message(ma, h, c.data(), 2 * i);
      size_t nb = 0;
      if (two) nb = message(mb, h, c.data(), 2 * i + 2);
      crypto::ShaState sa = crypto::ShaInitial(), sb = crypto::ShaInitial();
      crypto::ShaCompress2(sa, ma.data(), na, sb, mb.data(), nb);
      nh[i] = crypto::ShaDigest(sa);
      if (two) nh[i + 1] = crypto::ShaDigest(sb);
    }
    if (n % 2 == 1) {
      nh[m - 1] = h[n - 1];
      std::copy(c.begin() + (n - 1) * k, c.begin() + n * k, nc.begin() + (m - 1) * k);
    }
    t.hashes_.push_back(std::move(nh));
    t.counts_.push_back(std::move(nc));
  }
  return t;
}

Result<SumProof> SumTree::Prove(std::span<const uint64_t> indices) const {
  SumProof proof;
  std::vector<uint64_t> known(indices.begin(), indices.end());
  for (size_t i = 0; i < known.size(); ++i) {
    if (known[i] >= size() || (i > 0 && known[i] <= known[i - 1])) {
      return InvalidArgument("sum tree: leaf indices must be ascending, unique and < " +
                             std::to_string(size()));
    }
  }
  std::vector<uint64_t> next;
  for (size_t level = 0; level + 1 < hashes_.size(); ++level) {
    const uint64_t n = hashes_[level].size();
    next.clear();
    for (size_t j = 0; j < known.size(); ++j) {
      const uint64_t idx = known[j];
      const uint64_t sib = idx ^ 1;
      if (sib < n) {
        if ((idx & 1) == 0 && j + 1 < known.size() && known[j + 1] == sib) {
          ++j;  // both children known
        } else {
          proof.hashes.push_back(hashes_[level][sib]);
          const uint64_t* c = counts_[level].data() + sib * k_;
          proof.counts.insert(proof.counts.end(), c, c + k_);
        }
      }
      next.push_back(idx / 2);
    }
    known.swap(next);
  }
  return proof;
}

Result<SumNode> RootFromProof(uint64_t size, size_t k, std::span<const uint64_t> indices,
                              std::span<const Hash> leaf_hashes,
                              std::span<const uint64_t> leaf_counts, const SumProof& proof) {
  if (size == 0 || indices.empty() || leaf_hashes.size() != indices.size() ||
      leaf_counts.size() != indices.size() * k || proof.counts.size() != proof.size() * k) {
    return InvalidArgument("sum proof: inconsistent sizes");
  }
  for (size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] >= size || (i > 0 && indices[i] <= indices[i - 1])) {
      return InvalidArgument("sum proof: leaf indices must be ascending, unique and < " +
                             std::to_string(size));
    }
  }
  std::vector<uint64_t> idx(indices.begin(), indices.end());
  std::vector<Hash> hs(leaf_hashes.begin(), leaf_hashes.end());
  std::vector<uint64_t> cs(leaf_counts.begin(), leaf_counts.end());
  std::vector<uint64_t> nidx;
  std::vector<Hash> nhs;
  std::vector<uint64_t> ncs;
  size_t used = 0;
  uint64_t n = size;
  // A level's parents are independent: they are hashed after the level is laid out, two at a
  // time (crypto/sha256_lanes.h).
  struct Pending {
    size_t out;
    const Hash* lh;
    const uint64_t* lc;
    const Hash* rh;
    const uint64_t* rc;
  };
  std::vector<Pending> pending;
  crypto::ShaMessage msg[2];
  auto message = [k](crypto::ShaMessage& m, const Pending& p) {
    m.Clear();
    m.Push(0x01);
    m.Append(p.lh->data(), 32);
    for (size_t c = 0; c < k; ++c) m.PushU64(p.lc[c]);
    m.Append(p.rh->data(), 32);
    for (size_t c = 0; c < k; ++c) m.PushU64(p.rc[c]);
    return m.Pad(0);
  };
  while (n > 1) {
    nidx.clear();
    nhs.clear();
    ncs.clear();
    pending.clear();
    for (size_t j = 0; j < idx.size(); ++j) {
      const uint64_t i = idx[j];
      const uint64_t sib = i ^ 1;
      const Hash& mine = hs[j];
      std::span<const uint64_t> mc(cs.data() + j * k, k);
      const size_t at = ncs.size();
      ncs.resize(at + k);
      if (sib >= n) {
        nhs.push_back(mine);
        std::copy(mc.begin(), mc.end(), ncs.begin() + at);
      } else {
        const Hash* sh;
        std::span<const uint64_t> sc;
        if ((i & 1) == 0 && j + 1 < idx.size() && idx[j + 1] == sib) {
          sh = &hs[j + 1];
          sc = std::span<const uint64_t>(cs.data() + (j + 1) * k, k);
          ++j;
        } else {
          if (used == proof.size()) {
            return VerificationFailed(
                "inclusion-and-sum path: too few nodes for the opened leaves");
          }
          sh = &proof.hashes[used];
          sc = std::span<const uint64_t>(proof.counts.data() + used * k, k);
          ++used;
        }
        const bool left = (i & 1) == 0;
        if (!AddCounts(mc, sc, ncs.data() + at)) {
          return VerificationFailed("inclusion-and-sum path: a subtotal overflows 64 bits");
        }
        pending.push_back(left ? Pending{nhs.size(), &mine, mc.data(), sh, sc.data()}
                               : Pending{nhs.size(), sh, sc.data(), &mine, mc.data()});
        nhs.push_back(Hash{});
      }
      nidx.push_back(i / 2);
    }
    for (size_t p = 0; p < pending.size(); p += 2) {
      const bool two = p + 1 < pending.size();
      const size_t na = message(msg[0], pending[p]);
      const size_t nb = two ? message(msg[1], pending[p + 1]) : 0;
      crypto::ShaState a = crypto::ShaInitial(), b = crypto::ShaInitial();
      crypto::ShaCompress2(a, msg[0].data(), na, b, msg[1].data(), nb);
      nhs[pending[p].out] = crypto::ShaDigest(a);
      if (two) nhs[pending[p + 1].out] = crypto::ShaDigest(b);
    }
    idx.swap(nidx);
    hs.swap(nhs);
    cs.swap(ncs);
    n = (n + 1) / 2;
  }
  if (used != proof.size()) {
    return VerificationFailed("inclusion-and-sum path: " + std::to_string(proof.size() - used) +
                              " node(s) more than the opened leaves need");
  }
  return SumNode{hs[0], std::move(cs)};
}

}  // namespace tally::escrow
