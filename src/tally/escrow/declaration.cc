#include "tally/escrow/declaration.h"

#include <algorithm>

#include "tally/treaty/counting.h"

namespace tally::escrow {

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
  if (dummies) out += (out.empty() ? "" : " ") + std::string("dummies");
  return out;
}

Result<Declaration> Declaration::Commit(const treaty::Treaty& treaty, model::Inventory inventory,
                                        DeclarationSecret secret, const DeclareOptions& opt) {
  TALLY_RETURN_IF_ERROR(model::ValidateInventory(inventory));
  std::string party = opt.party;
  const std::vector<std::string> parties = inventory.Parties();
  if (party.empty()) {
    if (parties.size() != 1) {
      return InvalidArgument("the inventory holds items of " + std::to_string(parties.size()) +
                             " parties; choose one with --party");
    }
    party = parties[0];
  }
  TALLY_ASSIGN_OR_RETURN(Counter counter, Counter::Make(treaty, opt.interpretation));
  const size_t k = counter.size();
  std::vector<uint64_t> flat;
  std::vector<size_t> index;
  TALLY_RETURN_IF_ERROR(counter.CountAll(inventory, party, flat, index));
  if (index.empty()) return InvalidArgument("the inventory has no item of party " + party);
  const uint64_t n = index.size();
  if (opt.pad_to && *opt.pad_to < n) {
    return InvalidArgument("--pad-to " + std::to_string(*opt.pad_to) + " is below the " +
                           std::to_string(n) + " items of " + party);
  }
  // Cross-check against the treaty module's own counting: the root must carry the treaty counts.
  TALLY_ASSIGN_OR_RETURN(model::Posture posture, treaty::CountInventory(treaty, inventory, party,
                                                                        counter.interpretation()));

  Declaration d;
  d.inventory_.as_of = inventory.as_of;
  d.inventory_.source = inventory.source;
  d.inventory_.items.reserve(n);
  for (size_t i : index) {
    model::Item& it = d.inventory_.items.emplace_back(std::move(inventory.items[i]));
    // Tags are a set: keep them in their canonical (committed) order, so an opening shows the
    // record exactly as it was committed.
    std::sort(it.tags.begin(), it.tags.end());
    it.tags.erase(std::unique(it.tags.begin(), it.tags.end()), it.tags.end());
  }
  inventory.items.clear();
  inventory.items.shrink_to_fit();
  d.secret_ = std::move(secret);
  d.item_count_ = n;
  const uint64_t leaves = opt.pad_to.value_or(n);

  // Salts first: with salt order they also fix the permutation.
  std::vector<Salt> salts(leaves);
  for (uint64_t i = 0; i < n; ++i) salts[i] = d.secret_.ItemSalt(d.inventory_.items[i].uid);
  for (uint64_t i = n; i < leaves; ++i) salts[i] = d.secret_.DummySalt(i - n);
  std::vector<uint32_t> order(leaves);
  for (uint64_t i = 0; i < leaves; ++i) order[i] = static_cast<uint32_t>(i);
  if (opt.salt_order) {
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return salts[a] < salts[b]; });
    for (uint64_t i = 1; i < leaves; ++i) {
      if (salts[order[i]] == salts[order[i - 1]]) {
        return Internal("two leaves share a salt");  // 2^-256: a bug, not bad luck
      }
    }
  }
  std::vector<Hash> leaf_hashes(leaves);
  std::vector<uint64_t> leaf_counts(leaves * k, 0);
  d.leaf_item_.resize(leaves);
  std::string record;
  for (uint64_t pos = 0; pos < leaves; ++pos) {
    const uint32_t src = order[pos];
    if (src < n) {
      TALLY_RETURN_IF_ERROR(EncodeItemRecord(d.inventory_.items[src], record));
      std::copy(flat.begin() + src * k, flat.begin() + (src + 1) * k,
                leaf_counts.begin() + pos * k);
      d.leaf_item_[pos] = src;
    } else {
      EncodeDummyRecord(src - n, record);
      d.leaf_item_[pos] = -static_cast<int64_t>(src - n) - 1;
    }
    leaf_hashes[pos] =
        SumLeafHash(salts[src], std::span<const uint64_t>(leaf_counts).subspan(pos * k, k), record);
  }
  std::fill(salts.begin(), salts.end(), Salt{});
  flat = {};
  TALLY_ASSIGN_OR_RETURN(d.tree_,
                         SumTree::Build(std::move(leaf_hashes), std::move(leaf_counts), k));

  Statement& st = d.statement_;
  st.party = party;
  st.treaty = treaty.id;
  st.interpretation = counter.interpretation();
  st.as_of = d.inventory_.as_of;
  st.categories = counter.categories();
  st.leaves = leaves;
  st.pad_to = opt.pad_to;
  st.order = opt.salt_order ? "salt" : "input";
  st.totals.assign(d.tree_.root_counts().begin(), d.tree_.root_counts().end());
  st.root = d.tree_.root_hash();
  for (size_t c = 0; c < k; ++c) {
    const model::Count* count = posture.Find(st.categories[c]);
    if (count == nullptr || !count->value || static_cast<uint64_t>(*count->value) != st.totals[c]) {
      return Internal("the sum tree's " + st.categories[c] + " (" + std::to_string(st.totals[c]) +
                      ") differs from the treaty count");
    }
  }
  d.categories_ = st.categories;
  return d;
}

Record Declaration::RecordOfLeaf(uint64_t leaf) const {
  Record r;
  const int64_t src = leaf_item_[leaf];
  if (src < 0) {
    r.dummy = true;
    r.dummy_index = static_cast<uint64_t>(-(src + 1));
  } else {
    r.item = inventory_.items[static_cast<size_t>(src)];
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
                           category.has_value() || kind.has_value();
  const std::string region_tag = "region:" + s.region;
  for (uint64_t leaf = 0; leaf < leaf_item_.size(); ++leaf) {
    const int64_t src = leaf_item_[leaf];
    if (src < 0) {
      if (s.all || s.dummies) out.push_back(leaf);
      continue;
    }
    if (s.all) {
      out.push_back(leaf);
      continue;
    }
    if (!item_filter) continue;
    const model::Item& it = inventory_.items[static_cast<size_t>(src)];
    if (!s.uids.empty() && std::find(s.uids.begin(), s.uids.end(), it.uid) == s.uids.end()) {
      continue;
    }
    if (!s.facility.empty() && it.facility != s.facility) continue;
    if (!s.region.empty() && !it.HasTag(region_tag)) continue;
    if (kind && it.kind != *kind) continue;
    if (category && tree_.leaf_counts(leaf)[*category] == 0) continue;
    out.push_back(leaf);
  }
  if (out.empty()) return VerificationFailed("the selection " + s.Describe() + " opens no leaf");
  for (const std::string& u : s.uids) {
    if (inventory_.Find(u) == nullptr) {
      return NotFound("uid " + u + " is not in the declaration");
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
  b.opened.reserve(leaves.size());
  for (uint64_t leaf : leaves) {
    OpenedLeaf l;
    l.index = leaf;
    l.record = RecordOfLeaf(leaf);
    l.salt = l.record.dummy ? secret_.DummySalt(l.record.dummy_index)
                            : secret_.ItemSalt(l.record.item.uid);
    auto c = tree_.leaf_counts(leaf);
    l.counts.assign(c.begin(), c.end());
    for (size_t i = 0; i < c.size(); ++i) b.subtotals[i] += c[i];
    l.commitment = tree_.leaf_hash(leaf);
    b.opened.push_back(std::move(l));
  }
  return b;
}

}  // namespace tally::escrow
