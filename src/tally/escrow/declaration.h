// Declaration: one party's complete item-level declaration under escrow, as its owner holds it —
// the items, the secret, the Merkle-sum tree — and the openings it can make.
//
// Commit serializes every item of the party canonically (record.h), derives each leaf's salt
// from the secret (secret.h), counts each item under the treaty's rules (categories.h), adds
// `pad_to - n` dummy leaves with zero counts, orders leaves by salt (or keeps inventory order),
// and builds the sum tree (sum_tree.h). It checks that the root's sums equal the sums of the
// per-item counts it put in the leaves (each item is counted once; that those counts add up to
// treaty::CountInventory for every bundled treaty is a test, commit_reference_test.cc).
// Open makes a Bundle for a Selection; only the selected leaves' records and salts leave the
// object. Nothing in this class returns an unopened item, salt or the secret (see
// declaration_test.cc, which enumerates every output).
//
// Errors: InvalidArgument (no items for the party, several parties and none chosen, pad_to below
// the item count, an invalid inventory); NotFound (unknown interpretation); VerificationFailed
// when a selection matches nothing.
// Ownership: owns its secret and the party's items as canonical records (not model::Items). Thread
// safety: const methods may be called concurrently.
#ifndef TALLY_ESCROW_DECLARATION_H_
#define TALLY_ESCROW_DECLARATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/categories.h"
#include "tally/escrow/secret.h"
#include "tally/escrow/statement.h"
#include "tally/escrow/sum_tree.h"
#include "tally/model/inventory.h"
#include "tally/treaty/treaty.h"

namespace tally::escrow {

struct DeclareOptions {
  std::string party;           // "" = the inventory's only party
  std::string interpretation;  // "" = the treaty's default
  std::optional<uint64_t> pad_to;
  bool salt_order = true;  // false: leaves in inventory order (no hiding of grouping)
};

// What to open. Every non-empty field must match (a conjunction); `all` opens every leaf,
// dummies included.
struct Selection {
  bool all = false;
  std::vector<std::string> uids;
  std::string facility;
  std::string region;    // items tagged "region:<name>"
  std::string category;  // items that count in this category (quantity id)
  std::string kind;      // item kind name
  // Items carried by these items (their `host` is one of them): the warheads on a designated
  // missile, the missiles in a designated launcher.
  std::vector<std::string> hosted_on;
  bool dummies = false;  // also open the padding

  std::string Describe() const;
};

class DeclarationBuilder;

class Declaration {
 public:
  // Validates the inventory (the checks of model::ValidateInventory, once), then builds through
  // DeclarationBuilder. The declaration keeps the party's items as records, not the inventory.
  static Result<Declaration> Commit(const treaty::Treaty& treaty, const model::Inventory& inventory,
                                    DeclarationSecret secret, const DeclareOptions& options);

  const Statement& statement() const { return statement_; }
  uint64_t item_count() const { return item_count_; }

  // Leaf positions of the selection, ascending.
  Result<std::vector<uint64_t>> Select(const Selection& selection) const;
  Result<Bundle> Open(const Selection& selection) const;
  Result<Bundle> OpenLeaves(const std::vector<uint64_t>& leaves, std::string description) const;

 private:
  friend class DeclarationBuilder;
  Declaration() = default;
  Record RecordOfLeaf(uint64_t leaf) const;
  std::string_view ItemRecord(size_t item) const {
    const uint64_t begin = item == 0 ? 0 : record_end_[item - 1];
    return std::string_view(records_).substr(begin, record_end_[item] - begin);
  }

  Statement statement_;
  DeclarationSecret secret_;
  std::vector<std::string> categories_;
  // The party's items as their canonical records (record.h), in inventory order, back to back:
  // about a third of the memory of model::Items, and what the leaves commit to anyway.
  std::string records_;
  std::vector<uint64_t> record_end_;  // end offset of item i's record in records_
  // The source of each leaf: an item index (< item_count_) or item_count_ + dummy number.
  std::vector<uint32_t> leaf_item_;
  SumTree tree_;
  uint64_t item_count_ = 0;
};

// Builds a Declaration item by item, so that a reader streaming a large inventory never holds it
// as model::Items (store.cc reads CSV inventories this way). Add() the declaring party's items
// in inventory order, then Finish(). The builder checks no cross-item rule: the caller has
// validated the inventory (model::ValidateInventory or an equivalent check).
// Errors: those of Counter::Make (Make), of counting and record encoding (Add), and "no item",
// pad_to below the item count (Finish). Thread safety: none (one builder per thread).
class DeclarationBuilder {
 public:
  static Result<DeclarationBuilder> Make(const treaty::Treaty& treaty, DeclarationSecret secret,
                                         const DeclareOptions& options, std::string party,
                                         Date as_of);
  // Optional: room for `items` records of `record_bytes` bytes in all (an upper bound is fine).
  void Reserve(size_t items, size_t record_bytes);
  Status Add(const model::Item& item);
  void SetDate(Date as_of) { d_.statement_.as_of = as_of; }
  size_t size() const { return d_.record_end_.size(); }
  std::string_view record(size_t i) const { return d_.ItemRecord(i); }
  Result<Declaration> Finish() &&;

 private:
  DeclarationBuilder() = default;
  const treaty::Treaty* treaty_ = nullptr;
  DeclareOptions options_;
  Counter counter_;
  Counter::Memo memo_;
  Declaration d_;
  std::vector<uint64_t> counts_;  // K per item, inventory order
  std::string scratch_;
};

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_DECLARATION_H_
