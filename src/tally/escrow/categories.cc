#include "tally/escrow/categories.h"

#include <algorithm>
#include <map>

#include "tally/treaty/counting.h"

namespace tally::escrow {
namespace {

int64_t ValueOf(const treaty::Term& term, const model::Item& item) {
  switch (term.value) {
    case treaty::TermValue::kOne:
      return 1;
    case treaty::TermValue::kCapacity:
      return item.capacity;
    case treaty::TermValue::kFixed:
      return term.fixed;
  }
  return 0;
}

const treaty::FirstItems* FirstFor(const treaty::Term& term, std::string_view party) {
  const treaty::FirstItems* first = nullptr;
  for (const treaty::FirstItems& f : term.first) {
    if (f.party == party) first = &f;
  }
  return first;
}

}  // namespace

Result<Counter> Counter::Make(const treaty::Treaty& treaty, std::string_view interpretation) {
  Counter c;
  c.treaty_ = &treaty;
  TALLY_ASSIGN_OR_RETURN(c.interpretation_, treaty::ResolveInterpretation(treaty, interpretation));
  for (const treaty::Quantity& q : treaty.quantities) {
    if (q.terms.empty()) continue;
    Cat cat;
    for (const treaty::Term& t : q.terms) {
      if (t.AppliesUnder(c.interpretation_)) cat.terms.push_back(&t);
    }
    c.categories_.push_back(q.id);
    c.cats_.push_back(std::move(cat));
  }
  if (c.categories_.empty()) {
    return InvalidArgument("treaty " + treaty.id + " counts no quantity from items");
  }
  return c;
}

Status Counter::CountAll(const model::Inventory& inventory, std::string_view party,
                         std::vector<uint64_t>& flat, std::vector<size_t>& index) const {
  const size_t k = size();
  index.clear();
  for (size_t i = 0; i < inventory.items.size(); ++i) {
    if (inventory.items[i].party == party) index.push_back(i);
  }
  flat.assign(index.size() * k, 0);
  // Pass 1: terms without rank, memoised by item shape.
  Memo memo;
  for (size_t row = 0; row < index.size(); ++row) {
    TALLY_RETURN_IF_ERROR(CountItem(inventory.items[index[row]], party,
                                    std::span<uint64_t>(flat).subspan(row * k, k), memo));
  }
  if (!HasRankTerms(party)) return Status();
  // Pass 2: "first N by UID" terms, as treaty/counting.cc ranks them.
  for (size_t c = 0; c < k; ++c) {
    for (const treaty::Term* t : cats_[c].terms) {
      const treaty::FirstItems* first = FirstFor(*t, party);
      if (first == nullptr) continue;
      std::vector<size_t> rows;
      for (size_t row = 0; row < index.size(); ++row) {
        if (t->select.Matches(inventory.items[index[row]])) rows.push_back(row);
      }
      std::sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
        return inventory.items[index[a]].uid < inventory.items[index[b]].uid;
      });
      for (size_t r = 0; r < rows.size(); ++r) {
        const int64_t v = static_cast<int64_t>(r) < first->count
                              ? first->each
                              : ValueOf(*t, inventory.items[index[rows[r]]]);
        if (v < 0) return InvalidArgument("negative contribution to " + categories_[c]);
        flat[rows[r] * k + c] += static_cast<uint64_t>(v);
      }
    }
  }
  return Status();
}

namespace {

// Items of one shape — (kind, status, equipment, system, tags, range, capacity) — are treated
// alike by every selector: rule evaluation is a few dozen string comparisons, and an inventory
// has few distinct shapes, so a million items cost a million hash lookups instead. Equal shapes
// have equal hashes; SameShape settles a hit.
uint64_t ShapeHash(const model::Item& it) {
  std::hash<std::string_view> hs;
  uint64_t h = hs(it.system);
  auto mix = [&](uint64_t v) { h = (h ^ v) * 0x9E3779B97F4A7C15ull + (h >> 29); };
  mix(static_cast<uint64_t>(it.kind) << 16 | static_cast<uint64_t>(it.status) << 8 |
      static_cast<uint64_t>(it.equipment));
  for (const std::string& t : it.tags) mix(hs(t));
  mix(static_cast<uint64_t>(it.range_km));
  mix(static_cast<uint64_t>(it.capacity));
  return h;
}

bool SameShape(const model::Item& a, const model::Item& b) {
  return a.kind == b.kind && a.status == b.status && a.equipment == b.equipment &&
         a.range_km == b.range_km && a.capacity == b.capacity && a.system == b.system &&
         a.tags == b.tags;
}

// The fields SameShape compares (what counting reads), and nothing else of the item.
model::Item ShapeOf(const model::Item& it) {
  model::Item s;
  s.kind = it.kind;
  s.status = it.status;
  s.equipment = it.equipment;
  s.system = it.system;
  s.tags = it.tags;
  s.range_km = it.range_km;
  s.capacity = it.capacity;
  return s;
}

}  // namespace

Status Counter::CountItem(const model::Item& it, std::string_view party, std::span<uint64_t> out,
                          Memo& memo) const {
  const size_t k = size();
  const Memo::Shape* shape = nullptr;
  // Neighbouring items often share a shape (an inventory lists a base's silos together).
  if (memo.last < memo.shapes.size() && SameShape(memo.shapes[memo.last].item, it)) {
    shape = &memo.shapes[memo.last];
  }
  const uint64_t h = shape == nullptr ? ShapeHash(it) : 0;
  for (auto [b, e] = memo.by_hash.equal_range(h); shape == nullptr && b != e; ++b) {
    if (SameShape(memo.shapes[b->second].item, it)) {
      shape = &memo.shapes[b->second];
      memo.last = b->second;
    }
  }
  if (shape == nullptr) {
    Memo::Shape s;
    s.item = ShapeOf(it);
    s.counts.assign(k, 0);
    for (size_t c = 0; c < k; ++c) {
      for (const treaty::Term* t : cats_[c].terms) {
        if (FirstFor(*t, party) != nullptr) continue;
        if (t->select.Matches(it)) s.counts[c] += ValueOf(*t, it);
      }
    }
    memo.by_hash.emplace(h, memo.shapes.size());
    memo.last = memo.shapes.size();
    memo.shapes.push_back(std::move(s));
    shape = &memo.shapes.back();
  }
  for (size_t c = 0; c < k; ++c) {
    if (shape->counts[c] < 0) {
      return InvalidArgument("item " + it.uid + ": negative contribution to " + categories_[c]);
    }
    out[c] = static_cast<uint64_t>(shape->counts[c]);
  }
  return Status();
}

bool Counter::HasRankTerms(std::string_view party) const {
  for (const Cat& cat : cats_) {
    for (const treaty::Term* t : cat.terms) {
      if (FirstFor(*t, party) != nullptr) return true;
    }
  }
  return false;
}

void Counter::Bounds(const model::Item& item, Counts& low, Counts& high, BoundsMemo& memo) const {
  const uint64_t h = ShapeHash(item) ^ std::hash<std::string_view>()(item.party);
  for (auto [b, e] = memo.by_hash.equal_range(h); b != e; ++b) {
    const BoundsMemo::Shape& s = memo.shapes[b->second];
    if (s.item.party == item.party && SameShape(s.item, item)) {
      low = s.low;
      high = s.high;
      return;
    }
  }
  Bounds(item, low, high);
  BoundsMemo::Shape s;
  s.item = ShapeOf(item);
  s.item.party = item.party;
  s.low = low;
  s.high = high;
  memo.by_hash.emplace(h, memo.shapes.size());
  memo.shapes.push_back(std::move(s));
}

void Counter::Bounds(const model::Item& item, Counts& low, Counts& high) const {
  low.assign(size(), 0);
  high.assign(size(), 0);
  for (size_t c = 0; c < size(); ++c) {
    int64_t lo = 0;
    int64_t hi = 0;
    for (const treaty::Term* t : cats_[c].terms) {
      if (!t->select.Matches(item)) continue;
      const int64_t v = ValueOf(*t, item);
      const treaty::FirstItems* first = FirstFor(*t, item.party);
      if (first == nullptr) {
        lo += v;
        hi += v;
      } else {
        lo += std::min(v, first->each);
        hi += std::max(v, first->each);
      }
    }
    low[c] = lo < 0 ? 0 : static_cast<uint64_t>(lo);
    high[c] = hi < 0 ? 0 : static_cast<uint64_t>(hi);
  }
}

}  // namespace tally::escrow
