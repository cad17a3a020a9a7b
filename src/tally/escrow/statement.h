// Statement: the public face of a declaration — what a party publishes, puts on its log and has
// the other parties cosign: who declares, under which treaty and interpretation, as of when, the
// categories, the tree size (padded), how leaves are ordered, the declared totals and the root
// (docs/formats/declaration.md §Statement).
//
// The JSON text of a statement is canonical (fixed key order, no spaces), so it is also the
// payload of the log entry of kind "declaration" and two parties holding the same statement hold
// the same bytes. It contains no item, no salt and nothing derived from the secret except the
// root. A statement has exactly one accepted encoding: StatementFromJson refuses a repeated or
// unknown key, a missing field, and any text that is not StatementToJson of what it read (other
// key order, spaces, a non-canonical date or base64), each with the field named.
//
// Every field is bound by the root (format 2): `root` is not the sum tree's root itself but
// BindRoot of it and of every other field, so a statement whose `as_of`, `interpretation`,
// `order`, categories, size, padding or totals were edited no longer matches any opening of the
// tree (docs/formats/declaration.md §Root).
// Errors: StatementFromJson returns InvalidArgument "name: field 'x': expected ..., got ...".
// Thread safety: values and reentrant functions.
#ifndef TALLY_ESCROW_STATEMENT_H_
#define TALLY_ESCROW_STATEMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/merkle/hash.h"

namespace tally::escrow {

inline constexpr std::string_view kStatementFormat = "tally-declaration/2";

struct Statement {
  std::string party;
  std::string treaty;
  std::string interpretation;  // "" when the treaty has none
  Date as_of;
  std::vector<std::string> categories;
  uint64_t leaves = 0;             // tree size, padding included
  std::optional<uint64_t> pad_to;  // the public upper bound, when padded
  std::string order = "salt";      // "salt": ascending salt; "input": inventory order
  std::vector<uint64_t> totals;    // one per category: the root's sums
  merkle::Hash root{};

  // The declared total of `category`, or nullopt.
  std::optional<uint64_t> Total(std::string_view category) const;
};

// The statement root: SHA-256(0x02 ‖ the format id ‖ each field of `s` but `root`, length-
// prefixed ‖ `tree_root`), binding the sum tree's root to everything the statement says about it.
merkle::Hash BindRoot(const Statement& s, const merkle::Hash& tree_root);

std::string StatementToJson(const Statement& s);
Result<Statement> StatementFromJson(std::string_view text, const std::string& name);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_STATEMENT_H_
