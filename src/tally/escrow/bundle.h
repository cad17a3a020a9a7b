// Bundle: an opening of part of a declaration — the opened leaves (record, salt, counts,
// position), the subtotals the opener claims for them, and one inclusion-and-sum path that
// links them all to the declaration's root (docs/formats/opening-bundle.md).
//
// VerifyBundle checks a bundle offline against a Statement (as taken from the log) and the
// treaty's counting rules, and names the first thing that fails:
//   - the bundle is for another declaration (root, size, party or categories differ);
//   - a leaf position is out of range or repeated; a record is malformed or of another party;
//   - a leaf's counts disagree with the treaty's rules for its item, or a dummy has counts;
//   - a leaf's fields or salt do not match the commitment the bundle lists for it;
//   - leaves are not in salt order ("salt" declarations: a moved leaf);
//   - the path does not reach the declared root (a subtotal on the path or a position altered);
//   - the declared totals disagree with the root's sums;
//   - a claimed subtotal disagrees with the opened leaves.
// VerifyOpenings additionally refuses a leaf opened two ways and one UID at two leaves.
// Errors: VerificationFailed for the findings above (exit 1); InvalidArgument for a malformed
// bundle file (exit 2). Never throws. Thread safety: values and reentrant functions.
#ifndef TALLY_ESCROW_BUNDLE_H_
#define TALLY_ESCROW_BUNDLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/escrow/categories.h"
#include "tally/escrow/record.h"
#include "tally/escrow/secret.h"
#include "tally/escrow/statement.h"
#include "tally/escrow/sum_tree.h"

namespace tally::escrow {

inline constexpr std::string_view kBundleFormat = "tally-opening-bundle/2";

struct OpenedLeaf {
  uint64_t index = 0;
  Record record;
  Salt salt{};
  std::vector<uint64_t> counts;
  Hash commitment{};  // the leaf hash, as the opener states it (a diagnostic aid)
};

struct Bundle {
  std::string party;
  std::string treaty;
  Date as_of;
  uint64_t leaves = 0;
  std::vector<std::string> categories;
  Hash root{};
  std::string selection;  // what was opened, e.g. "facility=Minot AFB"
  std::vector<uint64_t> subtotals;
  std::vector<OpenedLeaf> opened;  // ascending index
  SumProof path;
};

std::string BundleToJson(const Bundle& bundle);
Result<Bundle> BundleFromJson(std::string_view text, const std::string& name);

struct VerifiedOpening {
  std::vector<OpenedLeaf> opened;
  std::vector<uint64_t> subtotals;
  uint64_t items = 0;
  uint64_t dummies = 0;
};

// `counter` must be made for the statement's treaty and interpretation.
Result<VerifiedOpening> VerifyBundle(const Statement& statement, const Bundle& bundle,
                                     const Counter& counter);
// The same, moving the opened leaves into the result instead of copying them (a verifier that
// parsed the bundle only to verify it).
Result<VerifiedOpening> VerifyBundle(const Statement& statement, Bundle&& bundle,
                                     const Counter& counter);
// The same checks without a result: for a verifier that keeps the bundle it already holds.
Status CheckBundle(const Statement& statement, const Bundle& bundle, const Counter& counter);
// Several bundles of one declaration: each verified, then checked against each other.
Result<VerifiedOpening> VerifyOpenings(const Statement& statement,
                                       const std::vector<Bundle>& bundles, const Counter& counter);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_BUNDLE_H_
