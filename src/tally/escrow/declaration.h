// Declaration: one party's complete item-level declaration under escrow, as its owner holds it —
// the items, the secret, the Merkle-sum tree — and the openings it can make.
//
// Commit serializes every item of the party canonically (record.h), derives each leaf's salt
// from the secret (secret.h), counts each item under the treaty's rules (categories.h), adds
// `pad_to - n` dummy leaves with zero counts, orders leaves by salt (or keeps inventory order),
// and builds the sum tree (sum_tree.h). It checks that the root's sums equal
// treaty::CountInventory for the party, so the published totals are the treaty counts.
// Open makes a Bundle for a Selection; only the selected leaves' records and salts leave the
// object. Nothing in this class returns an unopened item, salt or the secret (see
// declaration_test.cc, which enumerates every output).
//
// Errors: InvalidArgument (no items for the party, several parties and none chosen, pad_to below
// the item count, an invalid inventory); NotFound (unknown interpretation); VerificationFailed
// when a selection matches nothing.
// Ownership: owns its inventory copy and secret. Thread safety: const methods may be called
// concurrently.
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
  bool dummies = false;  // also open the padding

  std::string Describe() const;
};

class Declaration {
 public:
  static Result<Declaration> Commit(const treaty::Treaty& treaty, model::Inventory inventory,
                                    DeclarationSecret secret, const DeclareOptions& options);

  const Statement& statement() const { return statement_; }
  uint64_t item_count() const { return item_count_; }

  // Leaf positions of the selection, ascending.
  Result<std::vector<uint64_t>> Select(const Selection& selection) const;
  Result<Bundle> Open(const Selection& selection) const;
  Result<Bundle> OpenLeaves(const std::vector<uint64_t>& leaves, std::string description) const;

 private:
  Declaration() = default;
  Record RecordOfLeaf(uint64_t leaf) const;

  Statement statement_;
  model::Inventory inventory_;  // the party's items only
  DeclarationSecret secret_;
  std::vector<std::string> categories_;
  std::vector<int64_t> leaf_item_;  // >= 0: index into inventory_.items; < 0: dummy -(i+1)
  SumTree tree_;
  uint64_t item_count_ = 0;
};

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_DECLARATION_H_
