#include "tally/escrow/uid_check.h"

#include <functional>

#include "tally/escrow/huge_pages.h"

namespace tally::escrow {
namespace {

// Slots hold index + 1 (0 = empty) in the low 32 bits and the top 32 bits of the UID's hash, so
// that a probe compares strings only when the hashes agree.
class UidTable {
 public:
  explicit UidTable(size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    HugeReserve(slots_, cap);
    slots_.assign(cap, 0);
    mask_ = cap - 1;
  }
  // The index of `uid`, or -1; inserts `index` when absent and index >= 0.
  static uint64_t Hash(std::string_view uid) { return std::hash<std::string_view>()(uid); }
  void Prefetch(uint64_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
  template <typename Get>
  int64_t FindOrInsert(const Get& items, std::string_view uid, uint64_t h, int64_t index) {
    const uint64_t tag = h >> 32;
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      const uint64_t v = slots_[s];
      if (v == 0) {
        if (index >= 0) slots_[s] = (tag << 32) | static_cast<uint64_t>(index + 1);
        return -1;
      }
      if ((v >> 32) == tag) {
        const size_t at = static_cast<size_t>(v & 0xffffffffu) - 1;
        if (items(at).uid == uid) return static_cast<int64_t>(at);
      }
    }
  }

 private:
  std::vector<uint64_t> slots_;
  size_t mask_ = 0;
};

// `items(i)` gives item i's key; n items.
template <typename Get>
bool Check(size_t n, const Get& items, bool any_host) {
  if (n >= (uint64_t{1} << 32) - 1) return false;
  UidTable table(n);
  // Hashes first, so that each probe's slot can be prefetched a few items ahead: the table is
  // far larger than the caches and every probe would otherwise wait for memory.
  constexpr size_t kAhead = 16;
  std::vector<uint64_t> hashes;
  HugeReserve(hashes, n);
  hashes.resize(n);
  for (size_t i = 0; i < n; ++i) hashes[i] = UidTable::Hash(items(i).uid);
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) table.Prefetch(hashes[i + kAhead]);
    const ItemKey it = items(i);
    if (it.uid.empty() || it.party.empty()) return false;
    if (table.FindOrInsert(items, it.uid, hashes[i], static_cast<int64_t>(i)) >= 0) return false;
  }
  auto wanted = [&](const ItemKey& it) {
    return !it.host.empty() && (any_host || it.kind == model::ItemKind::kWarhead);
  };
  size_t m = 0;
  for (size_t i = 0; i < n; ++i) {
    if (wanted(items(i))) hashes[m++] = UidTable::Hash(items(i).host);
  }
  size_t j = 0;
  for (size_t i = 0; i < n; ++i) {
    const ItemKey it = items(i);
    if (!wanted(it)) continue;
    if (j + kAhead < m) table.Prefetch(hashes[j + kAhead]);
    const bool warhead = it.kind == model::ItemKind::kWarhead;
    const int64_t at = table.FindOrInsert(items, it.host, hashes[j++], -1);
    if (at < 0) return false;
    if (!warhead) continue;
    const ItemKey host = items(static_cast<size_t>(at));
    if (!model::IsMissile(host.kind) || host.party != it.party) return false;
    if ((it.status == model::ItemStatus::kDeployed) !=
        (host.status == model::ItemStatus::kDeployed)) {
      return false;  // a deployed warhead off a deployed missile, or a non-deployed one on it
    }
  }
  return true;
}

}  // namespace

bool UidCheckOk(const std::vector<ItemKey>& items, bool any_host) {
  return Check(
      items.size(), [&](size_t i) -> const ItemKey& { return items[i]; }, any_host);
}

bool UidCheckOk(const std::vector<model::Item>& items) {
  return Check(
      items.size(),
      [&](size_t i) {
        const model::Item& it = items[i];
        return ItemKey{it.uid, it.party, it.host, it.kind, it.status};
      },
      false);
}

}  // namespace tally::escrow
