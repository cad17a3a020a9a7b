#include "tally/store/store.h"

#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/registry/dataset_csv.h"

namespace tally::store {
namespace {

// Lower-case hex SHA-256 of a version's exact bytes: what `sha256sum FILE` prints.
std::string ContentHash(std::string_view content) {
  return crypto::HexEncode(crypto::Sha256Of(content));
}

constexpr int kSchemaVersion = 1;

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS datasets(
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  version        INTEGER NOT NULL CHECK (version >= 1),
  title          TEXT NOT NULL,
  publisher      TEXT NOT NULL,
  published      TEXT NOT NULL,
  source         TEXT NOT NULL,
  url            TEXT NOT NULL,
  edition        TEXT NOT NULL,
  notes          TEXT NOT NULL,
  origin         TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  content        BLOB NOT NULL,
  imported_at    TEXT NOT NULL,
  figure_count   INTEGER NOT NULL,
  UNIQUE (name, version)
);
CREATE INDEX IF NOT EXISTS datasets_by_hash ON datasets(content_sha256);
CREATE TABLE IF NOT EXISTS figures(
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  line       INTEGER NOT NULL,
  state      TEXT NOT NULL,
  category   TEXT NOT NULL,
  as_of      TEXT NOT NULL,
  as_of_day  INTEGER NOT NULL,
  value      INTEGER NOT NULL,
  low        INTEGER,
  high       INTEGER,
  confidence TEXT NOT NULL,
  source     TEXT NOT NULL,
  notes      TEXT NOT NULL,
  PRIMARY KEY (dataset_id, line)
);
CREATE TRIGGER IF NOT EXISTS datasets_append_only_u BEFORE UPDATE ON datasets
  BEGIN SELECT RAISE(ABORT, 'tally store: dataset versions are never changed'); END;
CREATE TRIGGER IF NOT EXISTS datasets_append_only_d BEFORE DELETE ON datasets
  BEGIN SELECT RAISE(ABORT, 'tally store: dataset versions are never deleted'); END;
CREATE TRIGGER IF NOT EXISTS figures_append_only_u BEFORE UPDATE ON figures
  BEGIN SELECT RAISE(ABORT, 'tally store: figures are never changed'); END;
CREATE TRIGGER IF NOT EXISTS figures_append_only_d BEFORE DELETE ON figures
  BEGIN SELECT RAISE(ABORT, 'tally store: figures are never deleted'); END;
)sql";

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindBlob(int i, std::string_view s) {
    sqlite3_bind_blob(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& BindOptional(int i, const std::optional<int64_t>& v) {
    if (v) return Bind(i, *v);
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::string Blob(int col) const {
    const void* b = sqlite3_column_blob(stmt_, col);
    return b ? std::string(static_cast<const char*>(b),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// A store file that is not a database, or a damaged one, is bad input (exit 2): the user named the
// wrong file or must restore it; neither is a finding about data nor a bug.
constexpr const char* kStoreHint = " (name another store with --store PATH or TALLY_STORE)";

Status SqlError(sqlite3* db, std::string_view what) {
  const int rc = sqlite3_errcode(db) & 0xff;
  if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
    return InvalidArgument("store: " + std::string(what) +
                           ": the file is not a readable tally store (" + sqlite3_errmsg(db) + ")" +
                           kStoreHint);
  }
  return IoError("store: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

std::string NowUtc() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Status Begin() {
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return SqlError(db_, "begin");
    }
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return SqlError(db_, "commit");
    }
    open_ = false;
    return Status::Ok();
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

constexpr char kSelectInfo[] =
    "SELECT name, version, title, publisher, published, origin, content_sha256, imported_at, "
    "figure_count FROM datasets";

VersionInfo ReadInfo(const Stmt& s) {
  VersionInfo v;
  v.name = s.Text(0);
  v.version = static_cast<int>(s.Int(1));
  v.title = s.Text(2);
  v.publisher = s.Text(3);
  v.published = s.Text(4);
  v.origin = s.Text(5);
  v.content_hash = "sha256:" + s.Text(6);
  v.imported_at = s.Text(7);
  v.figures = static_cast<int>(s.Int(8));
  return v;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, OpenMode mode) {
  if (mode == OpenMode::kReadOnly && !FileExists(path)) {
    return NotFound("no store at " + path + " (import a dataset with `tally data import FILE`)");
  }
  if (mode == OpenMode::kReadWrite) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) TALLY_RETURN_IF_ERROR(MakeDirectories(parent.string()));
  }
  sqlite3* db = nullptr;
  const int flags = mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY
                                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    Status s = InvalidArgument("store: cannot open " + path + ": " +
                               (db ? sqlite3_errmsg(db) : "out of memory") + kStoreHint);
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Store> store(new Store(db, path));
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  if (mode == OpenMode::kReadWrite) {
    TALLY_RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL"));
    TALLY_RETURN_IF_ERROR(store->Exec("PRAGMA synchronous=FULL"));
    TALLY_RETURN_IF_ERROR(store->Exec("PRAGMA foreign_keys=ON"));
    TALLY_RETURN_IF_ERROR(store->Migrate());
  }
  // Whatever the mode, the file must be a tally store of a schema this build understands.
  Stmt s(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!s.ok() || s.Step() != SQLITE_ROW) {
    return InvalidArgument("store: " + path + " is not a tally store (no schema_version)" +
                           kStoreHint);
  }
  if (s.Text(0) != std::to_string(kSchemaVersion)) {
    return InvalidArgument("store: " + path + " has schema version " + QuoteText(s.Text(0)) +
                           "; this tally reads " + std::to_string(kSchemaVersion) + kStoreHint);
  }
  return store;
}

Store::~Store() { sqlite3_close(db_); }

Status Store::Exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    // A file that is not a database at all is stored data we cannot read, not an I/O fault.
    const int rc = sqlite3_errcode(db_) & 0xff;
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
      return InvalidArgument("store: " + path_ + " is not a readable tally store (" + m + ")" +
                             kStoreHint);
    }
    return IoError("store: " + path_ + ": " + m);
  }
  return Status::Ok();
}

Status Store::Migrate() {
  Transaction tx(db_);
  TALLY_RETURN_IF_ERROR(tx.Begin());
  TALLY_RETURN_IF_ERROR(Exec(kSchema));
  TALLY_RETURN_IF_ERROR(Exec(("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '" +
                              std::to_string(kSchemaVersion) + "')")
                                 .c_str()));
  return tx.Commit();
}

Result<ImportResult> Store::Import(std::string_view content, const ImportOptions& options) {
  // Parse first: bad input never opens a transaction.
  TALLY_ASSIGN_OR_RETURN(registry::Dataset d, registry::ParseDatasetCsv(content, options.origin));
  const std::string hash = ContentHash(content);

  Transaction tx(db_);
  TALLY_RETURN_IF_ERROR(tx.Begin());
  {
    Stmt same(db_,
              (std::string(kSelectInfo) + " WHERE content_sha256 = ? AND content = ?").c_str());
    if (!same.ok()) return SqlError(db_, "prepare");
    same.Bind(1, hash).BindBlob(2, content);
    if (same.Step() == SQLITE_ROW) {
      ImportResult r;
      r.info = ReadInfo(same);
      r.already_present = true;
      return r;  // the transaction rolls back: nothing written
    }
  }
  int version = 1;
  {
    Stmt max(db_, "SELECT COALESCE(MAX(version), 0) FROM datasets WHERE name = ?");
    max.Bind(1, d.name);
    if (max.Step() != SQLITE_ROW) return SqlError(db_, "read versions");
    version = static_cast<int>(max.Int(0)) + 1;
  }
  const std::string imported_at = options.imported_at.empty() ? NowUtc() : options.imported_at;
  int64_t id = 0;
  {
    Stmt ins(db_,
             "INSERT INTO datasets(name, version, title, publisher, published, source, url, "
             "edition, notes, origin, content_sha256, content, imported_at, figure_count) "
             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.Bind(1, d.name)
        .Bind(2, int64_t{version})
        .Bind(3, d.title)
        .Bind(4, d.publisher)
        .Bind(5, d.published.ToString())
        .Bind(6, d.source)
        .Bind(7, d.url)
        .Bind(8, d.edition)
        .Bind(9, d.notes)
        .Bind(10, options.origin)
        .Bind(11, hash)
        .BindBlob(12, content)
        .Bind(13, imported_at)
        .Bind(14, static_cast<int64_t>(d.figures.size()));
    if (ins.Step() != SQLITE_DONE) return SqlError(db_, "insert dataset");
    id = sqlite3_last_insert_rowid(db_);
  }
  {
    Stmt ins(db_,
             "INSERT INTO figures(dataset_id, line, state, category, as_of, as_of_day, value, "
             "low, high, confidence, source, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    for (const auto& f : d.figures) {
      ins.Reset();
      ins.Bind(1, id)
          .Bind(2, int64_t{f.line})
          .Bind(3, f.state)
          .Bind(4, model::CategoryName(f.category))
          .Bind(5, f.as_of_text)
          .Bind(6, f.as_of.days())
          .Bind(7, f.value)
          .BindOptional(8, f.low)
          .BindOptional(9, f.high)
          .Bind(10, model::ConfidenceName(f.confidence))
          .Bind(11, f.source)
          .Bind(12, f.notes);
      if (ins.Step() != SQLITE_DONE) return SqlError(db_, "insert figure");
    }
  }
  if (options.before_commit) options.before_commit();
  TALLY_RETURN_IF_ERROR(tx.Commit());
  ImportResult r;
  r.info = {d.name,
            version,
            d.title,
            d.publisher,
            d.published.ToString(),
            options.origin,
            "sha256:" + hash,
            imported_at,
            static_cast<int>(d.figures.size())};
  return r;
}

Result<std::vector<VersionInfo>> Store::List() const {
  Stmt s(db_, (std::string(kSelectInfo) + " ORDER BY name, version").c_str());
  if (!s.ok()) return SqlError(db_, "list");
  std::vector<VersionInfo> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadInfo(s));
  if (rc != SQLITE_DONE) return SqlError(db_, "list");
  return out;
}

Result<registry::Dataset> Store::Load(const std::string& name, int version) const {
  Stmt s(db_,
         "SELECT id, content, content_sha256, origin, imported_at FROM datasets "
         "WHERE name = ? AND version = ?");
  if (!s.ok()) return SqlError(db_, "load");
  s.Bind(1, name).Bind(2, int64_t{version});
  if (s.Step() != SQLITE_ROW) {
    return NotFound("store: no dataset " + name + "@" + std::to_string(version));
  }
  const std::string content = s.Blob(1);
  if (ContentHash(content) != s.Text(2)) {
    return DataLoss("store: " + name + "@" + std::to_string(version) +
                    ": stored bytes do not match their sha256 (the file was altered)");
  }
  // The stored bytes are the authority: parsing them again gives exactly what was imported.
  auto d = registry::ParseDatasetCsv(content, s.Text(3));
  if (!d) {
    return DataLoss("store: " + name + "@" + std::to_string(version) +
                    " no longer parses: " + d.error().message());
  }
  d->version = version;
  d->origin = s.Text(3);
  d->content_hash = "sha256:" + s.Text(2);
  d->imported_at = s.Text(4);
  for (auto& f : d->figures) f.dataset_version = version;
  return std::move(*d);
}

Result<std::string> Store::Content(const std::string& name, int version) const {
  Stmt s(db_, "SELECT content FROM datasets WHERE name = ? AND version = ?");
  if (!s.ok()) return SqlError(db_, "content");
  s.Bind(1, name).Bind(2, int64_t{version});
  if (s.Step() != SQLITE_ROW) {
    return NotFound("store: no dataset " + name + "@" + std::to_string(version));
  }
  return s.Blob(0);
}

Status Store::AddAllTo(registry::Registry& registry) const {
  TALLY_ASSIGN_OR_RETURN(auto versions, List());
  for (const auto& v : versions) {
    TALLY_ASSIGN_OR_RETURN(registry::Dataset d, Load(v.name, v.version));
    TALLY_RETURN_IF_ERROR(registry.Add(std::move(d)));
  }
  return Status::Ok();
}

Result<registry::Registry> LoadRegistry(const std::string& store_path) {
  TALLY_ASSIGN_OR_RETURN(registry::Registry r, registry::Registry::LoadEmbedded());
  if (store_path.empty() || !FileExists(store_path)) return r;
  TALLY_ASSIGN_OR_RETURN(auto store, Store::Open(store_path, OpenMode::kReadOnly));
  TALLY_RETURN_IF_ERROR(store->AddAllTo(r));
  return r;
}

}  // namespace tally::store
