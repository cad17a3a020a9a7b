// Store: the SQLite file that keeps every dataset version a user imports.
//
// One file (by default $XDG_DATA_HOME/tally/tally.db; docs/store.md) holds datasets by name and
// version. Import parses a dataset file (registry/dataset_csv.h) and, in one transaction, adds it
// as the next version of its name with the exact bytes, their SHA-256, the file it came from and
// the import time. Importing bytes the store already holds changes nothing and returns the
// existing version (idempotent). Nothing is ever updated or deleted: SQL triggers refuse it, so a
// version, once imported, means the same figures forever.
//
// Crash safety: the database runs in WAL mode with synchronous=FULL and every import is one
// transaction, so after kill -9 or power loss a dataset version is either wholly present or
// absent.
//
// Errors: Open returns kNotFound for a read-only open of a missing file, kDataLoss for a file
// that is not a tally store (or a newer schema), kIoError when SQLite cannot open or write it.
// Import returns the parser's kInvalidArgument (file:line: field ...) and writes nothing.
// Load returns kNotFound for an unknown name@version and kDataLoss when stored bytes no longer
// match their hash.
//
// Ownership and threads: a Store owns one SQLite connection; use it from one thread at a time.
// Several processes may use one file: writers wait up to 5 s for each other.
#ifndef TALLY_STORE_STORE_H_
#define TALLY_STORE_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/registry/dataset.h"
#include "tally/registry/registry.h"

struct sqlite3;

namespace tally::store {

enum class OpenMode { kReadOnly, kReadWrite };

// One stored dataset version, without its figures.
struct VersionInfo {
  std::string name;
  int version = 0;
  std::string title;
  std::string publisher;
  std::string published;     // YYYY-MM-DD
  std::string origin;        // the file name given at import
  std::string content_hash;  // "sha256:<hex>"
  std::string imported_at;   // RFC 3339 UTC
  int figures = 0;
};

struct ImportOptions {
  // Recorded as the dataset's origin; usually the path the user gave.
  std::string origin;
  // RFC 3339 UTC import time; empty = the system clock (tests pin it).
  std::string imported_at;
  // Called inside the transaction after the figures are written and before COMMIT; crash tests
  // kill the process here to prove the transaction is all-or-nothing.
  std::function<void()> before_commit;
};

struct ImportResult {
  VersionInfo info;
  bool already_present = false;  // the same bytes were imported before; nothing was written
};

class Store {
 public:
  // Opens (kReadWrite: creates, with its parent directories) the store at `path`.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, OpenMode mode);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }

  // Parses `content` (named options.origin in errors) and imports it; see the class comment.
  Result<ImportResult> Import(std::string_view content, const ImportOptions& options);

  // Every stored version, ordered by name then version.
  Result<std::vector<VersionInfo>> List() const;
  // One version with its figures, version and provenance fields set.
  Result<registry::Dataset> Load(const std::string& name, int version) const;
  // The exact bytes imported as name@version (what its content hash covers).
  Result<std::string> Content(const std::string& name, int version) const;
  // Adds every stored version to `registry` (versions 1, 2, ...; the compiled-in data is 0).
  Status AddAllTo(registry::Registry& registry) const;

 private:
  Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const char* sql) const;
  Status Migrate();

  sqlite3* db_;
  std::string path_;
};

// The registry a command reads: the compiled-in datasets plus every version in the store at
// `store_path` when that file exists (a missing store is not an error: nothing imported yet).
// The store is opened read-only and never created here.
Result<registry::Registry> LoadRegistry(const std::string& store_path);

}  // namespace tally::store

#endif  // TALLY_STORE_STORE_H_
