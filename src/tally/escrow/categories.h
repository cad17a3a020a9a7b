// Categories: the treaty-counted quantities a declaration's Merkle-sum tree carries at every node
// (New START: deployed_delivery_vehicles, deployed_warheads, launchers), and the per-item
// contribution of one item to each of them under the treaty's counting rules (treaty/counting.h).
//
// The sum of the per-item counts over a party's items equals treaty::CountInventory for every
// quantity with terms (commit_reference_test.cc checks it for every bundled treaty, and Commit
// checks the root against the per-item sums, so the root's sums ARE the treaty counts). Quantities
// without terms ("not provided" figures) are not categories. "First N items count M" terms (START I
// bombers) depend on an item's rank by UID among the party's selected items, which an opened item
// alone does not show: such terms are evaluated with the rank at commit time, and a verifier
// accepts either value (ItemCountBounds).
//
// Errors: NotFound for an unknown interpretation; InvalidArgument for a negative contribution.
// Ownership: borrows the Treaty, which must outlive the Counter. Thread safety: a const Counter
// may be shared; Count() memoises nothing and is reentrant.
#ifndef TALLY_ESCROW_CATEGORIES_H_
#define TALLY_ESCROW_CATEGORIES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tally/base/result.h"
#include "tally/model/inventory.h"
#include "tally/treaty/treaty.h"

namespace tally::escrow {

using Counts = std::vector<uint64_t>;

class Counter {
 public:
  static Result<Counter> Make(const treaty::Treaty& treaty, std::string_view interpretation);

  const std::vector<std::string>& categories() const { return categories_; }
  size_t size() const { return categories_.size(); }
  const std::string& interpretation() const { return interpretation_; }

  // Contributions of every item of `party` in `inventory`, in inventory order (items of other
  // parties are skipped: `index[i]` is the inventory index of row i).
  Status CountAll(const model::Inventory& inventory, std::string_view party,
                  std::vector<uint64_t>& flat_counts, std::vector<size_t>& index) const;
  // The contributions of one item of `party`, without "first N" terms (HasRankTerms): what
  // CountAll's first pass gives it. `memo` caches them by item shape across calls (one memo per
  // party and thread). out.size() == size().
  struct Memo {
    // Shapes seen so far: a representative item (its shape fields only) and its contributions,
    // found by a hash of the shape fields; the representative confirms a hit without building
    // a key string.
    struct Shape {
      model::Item item;
      std::vector<int64_t> counts;
    };
    std::vector<Shape> shapes;
    std::unordered_multimap<uint64_t, size_t> by_hash;
    size_t last = SIZE_MAX;  // the previous item's shape
  };
  Status CountItem(const model::Item& item, std::string_view party, std::span<uint64_t> out,
                   Memo& memo) const;
  // True when a "first N items" term applies to `party` (its counts depend on UID ranks).
  bool HasRankTerms(std::string_view party) const;
  // Lowest and highest contribution an item can have whatever its rank (equal unless a "first
  // N" term selects it).
  void Bounds(const model::Item& item, Counts& low, Counts& high) const;
  // The same, cached in `memo` by item shape and party (a verifier sees few distinct shapes).
  struct BoundsMemo {
    struct Shape {
      model::Item item;  // shape fields and party only
      Counts low, high;
    };
    std::vector<Shape> shapes;
    std::unordered_multimap<uint64_t, size_t> by_hash;
  };
  void Bounds(const model::Item& item, Counts& low, Counts& high, BoundsMemo& memo) const;

 private:
  struct Cat {
    std::vector<const treaty::Term*> terms;
  };
  const treaty::Treaty* treaty_ = nullptr;
  std::string interpretation_;
  std::vector<std::string> categories_;
  std::vector<Cat> cats_;
};

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_CATEGORIES_H_
