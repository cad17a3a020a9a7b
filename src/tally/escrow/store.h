// DeclarationStore: a declaring party's private directory for one declaration —
//
//   DIR/declaration.json   the public Statement (mode 0644; the one file meant to leave)
//   DIR/secret.key         the per-declaration secret (mode 0600, secret.h)
//   DIR/inventory.csv|json the party's item-level inventory as declared (mode 0600)
//   DIR/options.json       party, interpretation, padding, order, as-of (mode 0600)
//
// Create commits in memory first and writes nothing unless the commit succeeds; the files go to
// DIR.partial which is renamed to DIR, so a failed or interrupted declare leaves no DIR.
// Open reloads the inventory and the secret, commits again and refuses (DataLoss) a store whose
// recomputed root is not the one in declaration.json (a tampered inventory or secret).
// Errors: AlreadyExists (DIR exists), plus those of Declaration::Commit, the inventory parser
// and the file system. Ownership: returns an owned Declaration. Thread safety: none needed
// (one process per store).
#ifndef TALLY_ESCROW_STORE_H_
#define TALLY_ESCROW_STORE_H_

#include <optional>
#include <string>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/crypto/random.h"
#include "tally/escrow/declaration.h"
#include "tally/treaty/treaty.h"

namespace tally::escrow {

struct StoreOptions {
  DeclareOptions declare;
  std::optional<Date> as_of;  // overrides the inventory's date
};

Result<Declaration> CreateStore(const std::string& dir, const treaty::Treaty& treaty,
                                const std::string& inventory_path, const StoreOptions& options,
                                crypto::RandomSource& random);
// `find_treaty` maps the stored treaty id to a treaty.
Result<Declaration> OpenStore(const std::string& dir, const treaty::Treaty& treaty);
// The treaty id a store was made under (read from declaration.json).
Result<Statement> ReadStatement(const std::string& path);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_STORE_H_
