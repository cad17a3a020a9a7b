#include "tally/escrow/declaration.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "tally/base/parallel.h"
#include "tally/crypto/sha256_lanes.h"
#include "tally/escrow/huge_pages.h"
#include "tally/escrow/record.h"
#include "tally/escrow/uid_check.h"

namespace tally::escrow {
namespace {

// Below this many leaves a chunk costs less than the thread that would take it.
constexpr size_t kLeavesPerChunk = 128;

}  // namespace

std::string Selection::Describe() const {
  if (all) return "all";
  std::string out;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!v.empty()) out += (out.empty() ? "" : " ") + k + "=" + v;
  };
  std::string uid_list;
  for (const std::string& u : uids) uid_list += (uid_list.empty() ? "" : ",") + u;
  add("uid", uid_list);
  add("facility", facility);
  add("region", region);
  add("category", category);
  add("kind", kind);
  std::string host_list;
  for (const std::string& h : hosted_on) host_list += (host_list.empty() ? "" : ",") + h;
  add("hosted-on", host_list);
  if (dummies) out += (out.empty() ? "" : " ") + std::string("dummies");
  return out;
}

Result<Declaration> Declaration::Commit(const treaty::Treaty& treaty,
                                        const model::Inventory& inventory, DeclarationSecret secret,
                                        const DeclareOptions& opt) {
  // One pass over the items: whether there is one party, and about how large the records will
  // be (tags are guessed, not read: reserved pages that are never written cost no memory).
  bool one_party = true;
  size_t bytes = 0;
  for (const model::Item& it : inventory.items) {
    one_party = one_party && it.party == inventory.items[0].party;
    bytes += 33 + it.uid.size() + it.party.size() + it.system.size() + it.facility.size() +
             it.host.size() + 24 * it.tags.size() + 64;
  }
  if (!UidCheckOk(inventory.items)) {
    // The model's own check names the item and the rule.
    TALLY_RETURN_IF_ERROR(model::ValidateInventory(inventory));
    return Internal("the inventory fails a cross-item check the model accepts");
  }
  std::string party = opt.party;
  if (party.empty()) {
    const std::vector<std::string> parties =
        one_party && !inventory.items.empty() ? std::vector<std::string>{inventory.items[0].party}
                                              : inventory.Parties();
    if (parties.size() != 1) {
      return InvalidArgument("the inventory holds items of " + std::to_string(parties.size()) +
                             " parties; choose one with --party");
    }
    party = parties[0];
  }
  TALLY_ASSIGN_OR_RETURN(
      DeclarationBuilder b,
      DeclarationBuilder::Make(treaty, std::move(secret), opt, party, inventory.as_of));
  b.Reserve(one_party ? inventory.items.size() : 0, one_party ? bytes : 0);
  // Callers that must not hold items and records at once stream the items into a
  // DeclarationBuilder instead (store.cc).
  for (const model::Item& item : inventory.items) {
    if (item.party != party) continue;
    TALLY_RETURN_IF_ERROR(b.Add(item));
  }
  return std::move(b).Finish();
}

Result<DeclarationBuilder> DeclarationBuilder::Make(const treaty::Treaty& treaty,
                                                    DeclarationSecret secret,
                                                    const DeclareOptions& options,
                                                    std::string party, Date as_of) {
  DeclarationBuilder b;
  TALLY_ASSIGN_OR_RETURN(b.counter_, Counter::Make(treaty, options.interpretation));
  b.treaty_ = &treaty;
  b.options_ = options;
  b.d_.secret_ = std::move(secret);
  b.d_.statement_.party = std::move(party);
  b.d_.statement_.as_of = as_of;
  return b;
}

void DeclarationBuilder::Reserve(size_t items, size_t record_bytes) {
  HugeReserve(d_.records_, record_bytes);
  HugeReserve(d_.record_end_, items);
  HugeReserve(counts_, std::max<size_t>(items, options_.pad_to.value_or(0)) * counter_.size());
}

Status DeclarationBuilder::Add(const model::Item& item) {
  const size_t k = counter_.size();
  const size_t at = counts_.size();
  counts_.resize(at + k);
  TALLY_RETURN_IF_ERROR(counter_.CountItem(item, d_.statement_.party,
                                           std::span<uint64_t>(counts_).subspan(at, k), memo_));
  TALLY_RETURN_IF_ERROR(EncodeItemRecord(item, scratch_));
  d_.records_.append(scratch_);
  d_.record_end_.push_back(d_.records_.size());
  return Status();
}

namespace {

// Leaf positions in ascending salt order: a counting sort on the top 16 bits (salts are uniform,
// so buckets hold a handful of leaves), then each bucket sorted on the whole salt. About ten
// times faster than a comparison sort of a million 32-byte keys.
std::vector<uint32_t> SaltOrder(const std::vector<Salt>& salts) {
  const size_t n = salts.size();
  struct Key {
    uint64_t prefix;  // the salt's first 8 bytes, big-endian
    uint32_t index;
  };
  auto prefix = [&](size_t i) {
    uint64_t v;
    std::memcpy(&v, salts[i].data(), 8);
    return __builtin_bswap64(v);
  };
  std::vector<uint32_t> start(65537, 0);
  for (size_t i = 0; i < n; ++i) ++start[(prefix(i) >> 48) + 1];
  for (size_t b = 0; b < 65536; ++b) start[b + 1] += start[b];
  std::vector<Key> keys;
  HugeReserve(keys, n);
  keys.resize(n);
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t p = prefix(i);
      keys[fill[p >> 48]++] = Key{p, static_cast<uint32_t>(i)};
    }
  }
  for (size_t b = 0; b < 65536; ++b) {
    std::sort(keys.begin() + start[b], keys.begin() + start[b + 1],
              [&](const Key& x, const Key& y) {
                if (x.prefix != y.prefix) return x.prefix < y.prefix;
                return salts[x.index] < salts[y.index];
              });
  }
  std::vector<uint32_t> order;
  HugeReserve(order, n);
  order.resize(n);
  for (size_t i = 0; i < n; ++i) order[i] = keys[i].index;
  return order;
}

}  // namespace

Result<Declaration> DeclarationBuilder::Finish() && {
  Declaration& d = d_;
  const std::string party = d.statement_.party;
  const size_t k = counter_.size();
  const uint64_t n = d.record_end_.size();
  if (n == 0) return InvalidArgument("the inventory has no item of party " + party);
  if (options_.pad_to && *options_.pad_to < n) {
    return InvalidArgument("--pad-to " + std::to_string(*options_.pad_to) + " is below the " +
                           std::to_string(n) + " items of " + party);
  }
  if (n > (uint64_t{1} << 31) || options_.pad_to.value_or(n) > (uint64_t{1} << 31)) {
    return InvalidArgument("a declaration holds at most 2^31 leaves");
  }
  if (counter_.HasRankTerms(party)) {
    // "First N by UID" terms need every item: recount from the records (treaties with such
    // terms, START I, have small inventories).
    model::Inventory inv;
    for (size_t i = 0; i < n; ++i) {
      TALLY_ASSIGN_OR_RETURN(Record r, DecodeRecord(d.ItemRecord(i)));
      inv.items.push_back(std::move(r.item));
    }
    std::vector<size_t> index;
    TALLY_RETURN_IF_ERROR(counter_.CountAll(inv, party, counts_, index));
  }
  memo_ = {};
  // The sums of the per-item counts, independently of the tree: the cross-check of the root.
  std::vector<uint64_t> totals(k, 0);
  for (uint64_t i = 0; i < n; ++i) {
    for (size_t c = 0; c < k; ++c) {
      if (__builtin_add_overflow(totals[c], counts_[i * k + c], &totals[c])) {
        return InvalidArgument("the inventory's " + counter_.categories()[c] +
                               " count overflows 64 bits");
      }
    }
  }
  d.item_count_ = n;
  const uint64_t leaves = options_.pad_to.value_or(n);

  // Salts first: with salt order they also fix the permutation.
  std::vector<Salt> salts;
  HugeReserve(salts, leaves);
  salts.resize(leaves);
  {
    constexpr size_t kChunk = 4096;
    std::vector<std::string_view> uids;
    uids.reserve(kChunk);
    for (uint64_t i = 0; i < n; i += kChunk) {
      uids.clear();
      for (uint64_t j = i; j < n && j < i + kChunk; ++j) {
        ItemView v;
        if (!ViewItemRecord(d.ItemRecord(j), v)) return Internal("a committed record is malformed");
        uids.push_back(v.uid);
      }
      d.secret_.ItemSalts(uids, salts.data() + i);
    }
    d.secret_.DummySalts(0, leaves - n, salts.data() + n);
  }
  std::vector<uint32_t> order;
  if (options_.salt_order) {
    order = SaltOrder(salts);
    for (uint64_t i = 1; i < leaves; ++i) {
      if (salts[order[i]][0] == salts[order[i - 1]][0] && salts[order[i]] == salts[order[i - 1]]) {
        return Internal("two leaves share a salt");  // 2^-256: a bug, not bad luck
      }
    }
  } else {
    HugeReserve(order, leaves);
    order.resize(leaves);
    for (uint64_t i = 0; i < leaves; ++i) order[i] = static_cast<uint32_t>(i);
  }
  // Leaf hashes in inventory order, two at a time (crypto/sha256_lanes.h): 0x00 || salt || counts
  // || record. A leaf's hash does not depend on its position, and walking records, counts and salts
  // in memory order keeps the hashing out of cache misses. Each hash overwrites its own salt
  // (no other leaf needs it): fresh memory costs its zeroing by the kernel, and this commit's
  // peak.
  std::vector<Hash>& hashes = salts;
  counts_.resize(leaves * k, 0);  // dummies count zero
  {
    crypto::ShaMessage m[2];
    std::string dummy;
    for (uint64_t src = 0; src < leaves; src += 2) {
      size_t blocks[2] = {0, 0};
      for (uint64_t lane = 0; lane < 2 && src + lane < leaves; ++lane) {
        const uint64_t i = src + lane;
        crypto::ShaMessage& msg = m[lane];
        msg.Clear();
        msg.Push(0x00);
        msg.Append(salts[i].data(), salts[i].size());
        for (size_t j = 0; j < k; ++j) msg.PushU64(counts_[i * k + j]);
        if (i < n) {
          msg.Append(d.ItemRecord(i));
        } else {
          EncodeDummyRecord(i - n, dummy);
          msg.Append(dummy);
        }
        blocks[lane] = msg.Pad(0);
      }
      crypto::ShaState a = crypto::ShaInitial(), b = crypto::ShaInitial();
      crypto::ShaCompress2(a, m[0].data(), blocks[0], b, m[1].data(), blocks[1]);
      hashes[src] = crypto::ShaDigest(a);
      if (blocks[1] > 0) hashes[src + 1] = crypto::ShaDigest(b);
    }
    // The messages held salts.
    m[0].Clear();
    m[0].Append(std::string(256, '\0'));
    m[1].Clear();
    m[1].Append(std::string(256, '\0'));
  }
  // Gathered into leaf order: independent loads, which the CPU overlaps (following the
  // permutation's cycles in place would be one long chain of cache misses).
  std::vector<Hash> leaf_hashes;
  HugeReserve(leaf_hashes, leaves);
  leaf_hashes.resize(leaves);
  std::vector<uint64_t> leaf_counts;
  HugeReserve(leaf_counts, leaves * k);
  leaf_counts.resize(leaves * k);
  for (uint64_t pos = 0; pos < leaves; ++pos) {
    const uint32_t src = order[pos];
    leaf_hashes[pos] = hashes[src];
    std::copy(counts_.begin() + src * k, counts_.begin() + (src + 1) * k,
              leaf_counts.begin() + pos * k);
  }
  salts = {};
  counts_ = {};
  d.leaf_item_ = std::move(order);
  TALLY_ASSIGN_OR_RETURN(d.tree_,
                         SumTree::Build(std::move(leaf_hashes), std::move(leaf_counts), k));

  Statement& st = d.statement_;
  st.treaty = treaty_->id;
  st.interpretation = counter_.interpretation();
  st.categories = counter_.categories();
  st.leaves = leaves;
  st.pad_to = options_.pad_to;
  st.order = options_.salt_order ? "salt" : "input";
  st.totals.assign(d.tree_.root_counts().begin(), d.tree_.root_counts().end());
  st.root = BindRoot(st, d.tree_.root_hash());  // binds every field of the statement
  for (size_t c = 0; c < k; ++c) {
    if (totals[c] != st.totals[c]) {
      return Internal("the sum tree's " + st.categories[c] + " (" + std::to_string(st.totals[c]) +
                      ") differs from the items' count (" + std::to_string(totals[c]) + ")");
    }
  }
  d.categories_ = st.categories;
  return std::move(d);
}

Record Declaration::RecordOfLeaf(uint64_t leaf) const {
  Record r;
  const uint64_t src = leaf_item_[leaf];
  if (src >= item_count_) {
    r.dummy = true;
    r.dummy_index = src - item_count_;
  } else {
    // Committed records decode: they were encoded from valid items.
    r = DecodeRecord(ItemRecord(static_cast<size_t>(src))).value();
  }
  return r;
}

Result<std::vector<uint64_t>> Declaration::Select(const Selection& s) const {
  std::vector<uint64_t> out;
  std::optional<size_t> category;
  if (!s.category.empty()) {
    for (size_t c = 0; c < categories_.size(); ++c) {
      if (categories_[c] == s.category) category = c;
    }
    if (!category) {
      std::string known;
      for (const auto& c : categories_) known += (known.empty() ? "" : ", ") + c;
      return InvalidArgument("unknown category '" + s.category + "' (the declaration has " + known +
                             ")");
    }
  }
  std::optional<model::ItemKind> kind;
  if (!s.kind.empty()) {
    kind = model::ParseItemKind(s.kind);
    if (!kind) return InvalidArgument("unknown item kind '" + s.kind + "'");
  }
  const bool item_filter = !s.uids.empty() || !s.facility.empty() || !s.region.empty() ||
                           category.has_value() || kind.has_value() || !s.hosted_on.empty();
  const std::string region_tag = "region:" + s.region;
  if (s.all) {
    out.resize(leaf_item_.size());
    for (uint64_t leaf = 0; leaf < out.size(); ++leaf) out[leaf] = leaf;
  } else {
    std::vector<uint32_t> leaf_of_item;  // the inverse of leaf_item_, for the items
    if (item_filter) leaf_of_item.resize(item_count_);
    for (uint64_t leaf = 0; leaf < leaf_item_.size(); ++leaf) {
      const uint64_t src = leaf_item_[leaf];
      if (src >= item_count_) {
        if (s.dummies) out.push_back(leaf);
      } else if (item_filter) {
        leaf_of_item[src] = static_cast<uint32_t>(leaf);
      }
    }
    // The records are read in inventory order, back to back in the arena: leaf order is salt
    // order, which would visit the arena at random.
    for (size_t i = 0; item_filter && i < item_count_; ++i) {
      ItemView it;
      if (!ViewItemRecord(ItemRecord(i), it)) return Internal("a committed record is malformed");
      if (!s.uids.empty() && std::find(s.uids.begin(), s.uids.end(), it.uid) == s.uids.end()) {
        continue;
      }
      if (!s.facility.empty() && it.facility != s.facility) continue;
      if (!s.hosted_on.empty() &&
          std::find(s.hosted_on.begin(), s.hosted_on.end(), it.host) == s.hosted_on.end()) {
        continue;
      }
      if (!s.region.empty() && !ViewHasTag(it, region_tag)) continue;
      if (kind && it.kind != KindCode(*kind)) continue;
      const uint32_t leaf = leaf_of_item[i];
      if (category && tree_.leaf_counts(leaf)[*category] == 0) continue;
      out.push_back(leaf);
    }
    std::sort(out.begin(), out.end());
  }
  if (out.empty()) return VerificationFailed("the selection " + s.Describe() + " opens no leaf");
  if (!s.uids.empty()) {
    const std::unordered_set<std::string_view> wanted(s.uids.begin(), s.uids.end());
    std::unordered_set<std::string_view> found;
    for (size_t i = 0; i < item_count_; ++i) {
      ItemView it;
      if (!ViewItemRecord(ItemRecord(i), it)) return Internal("a committed record is malformed");
      if (wanted.count(it.uid)) found.insert(it.uid);
    }
    for (const std::string& u : s.uids) {
      if (!found.count(u)) return NotFound("uid " + u + " is not in the declaration");
    }
  }
  return out;
}

Result<Bundle> Declaration::Open(const Selection& selection) const {
  TALLY_ASSIGN_OR_RETURN(std::vector<uint64_t> leaves, Select(selection));
  return OpenLeaves(leaves, selection.Describe());
}

Result<Bundle> Declaration::OpenLeaves(const std::vector<uint64_t>& leaves,
                                       std::string description) const {
  Bundle b;
  b.party = statement_.party;
  b.treaty = statement_.treaty;
  b.as_of = statement_.as_of;
  b.leaves = statement_.leaves;
  b.categories = statement_.categories;
  b.root = statement_.root;
  b.selection = std::move(description);
  b.subtotals.assign(categories_.size(), 0);
  TALLY_ASSIGN_OR_RETURN(b.path, tree_.Prove(leaves));
  // Each leaf read on its own (the records, salts and tree are only read): a large site's
  // opening on every core.
  b.opened.resize(leaves.size());
  ParallelChunks(leaves.size(), kLeavesPerChunk, [&](size_t, size_t begin, size_t end) {
    for (size_t at = begin; at < end; ++at) {
      OpenedLeaf& l = b.opened[at];
      l.index = leaves[at];
      l.record = RecordOfLeaf(l.index);
      l.salt = l.record.dummy ? secret_.DummySalt(l.record.dummy_index)
                              : secret_.ItemSalt(l.record.item.uid);
      auto c = tree_.leaf_counts(l.index);
      l.counts.assign(c.begin(), c.end());
      l.commitment = tree_.leaf_hash(l.index);
    }
  });
  for (const OpenedLeaf& l : b.opened) {
    for (size_t i = 0; i < l.counts.size(); ++i) b.subtotals[i] += l.counts[i];
  }
  return b;
}

}  // namespace tally::escrow
