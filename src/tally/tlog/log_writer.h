// LogWriter: one party's append-only log in a directory, in the C2SP tlog-tiles layout.
//
//   DIR/checkpoint               the latest signed checkpoint (serve it)
//   DIR/tile/...                 hash tiles and entry bundles (serve them)
//   DIR/vkey                     the log's verifier key (public; readers take keys from the
//                                network file, never from here)
//   PRIVATE/ (0700)              log.key (0600, the signing key), lock, tmp/ (files being written)
// DIR is the served tree and holds nothing secret and no temporary file, so any static server can
// publish it whole. PRIVATE is a separate directory on the same file system (renames go from
// PRIVATE/tmp into DIR); the CLI's default is DIR.private beside it.
// (byte layouts and the crash argument: docs/formats/log-storage.md)
//
// Append writes a batch's tiles and bundles durably, then signs and atomically replaces the
// checkpoint: when Append returns, the entries are on disk and a checkpoint covers them; after a
// crash the log is exactly the last checkpoint (tiles beyond it are ignored and overwritten).
// One writer at a time: Open takes an exclusive lock (flock) on DIR/private/lock and waits for it.
// Open checks that the stored tiles reproduce the checkpoint's root (DataLoss otherwise).
// Errors: InvalidArgument (an entry over 65,535 bytes; nothing is written), AlreadyExists (init
// over an existing log), PermissionDenied (a key file others can read), DataLoss, IoError.
// After an I/O error the writer refuses further appends (FailedPrecondition); reopen it.
// Memory: the right edge only (a partial tile per level and the partial entry bundle).
// Thread safety: not thread-safe; one LogWriter per log per process.
#ifndef TALLY_TLOG_LOG_WRITER_H_
#define TALLY_TLOG_LOG_WRITER_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tally/crypto/random.h"
#include "tally/merkle/compact_range.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/entry.h"
#include "tally/tlog/note.h"

namespace tally::tlog {

// Where a log lives: the served tree and the private directory beside it.
struct LogLocation {
  std::string dir;          // served: checkpoint, tile/, vkey
  std::string private_dir;  // never served: key, lock, temporary files

  // DIR and DIR.private (trailing slashes of DIR ignored).
  static LogLocation ForDirectory(std::string dir);
};

struct LogPaths {
  static std::string Checkpoint(const std::string& dir) { return dir + "/checkpoint"; }
  static std::string VerifierKey(const std::string& dir) { return dir + "/vkey"; }
  static std::string SignerKey(const LogLocation& l) { return l.private_dir + "/log.key"; }
  static std::string Lock(const LogLocation& l) { return l.private_dir + "/lock"; }
  static std::string Temp(const LogLocation& l) { return l.private_dir + "/tmp"; }
};

class LogWriter {
 public:
  // Creates a log with a new Ed25519 key named after the origin and an empty signed checkpoint;
  // returns the verifier key. FailedPrecondition when the two directories are on different file
  // systems (the writer renames from one into the other).
  static Result<std::string> Init(const LogLocation& where, const std::string& origin,
                                  crypto::RandomSource& random = crypto::SystemRandom());
  // Opens the log and removes what a killed append left in PRIVATE/tmp.
  static Result<std::unique_ptr<LogWriter>> Open(const LogLocation& where);
  // The same with LogLocation::ForDirectory(dir).
  static Result<std::string> Init(const std::string& dir, const std::string& origin,
                                  crypto::RandomSource& random = crypto::SystemRandom());
  static Result<std::unique_ptr<LogWriter>> Open(const std::string& dir);
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Appends entries (each at most 65,535 bytes) as one durable batch with one checkpoint;
  // returns the index of the first.
  Result<uint64_t> Append(std::span<const std::string> entries);
  // The same for typed entries, which must not be dated before the latest typed entry already in
  // the log or earlier in the batch (FailedPrecondition, nothing written): within a log time never
  // goes back, and every replay refuses an entry that does (docs/formats/log-entry.md).
  Result<uint64_t> AppendTyped(std::span<const Entry> entries);
  // The time of the latest typed entry in the log, if any.
  std::optional<int64_t> latest_typed_time() const { return latest_typed_time_; }

  uint64_t size() const { return range_.size(); }
  const Checkpoint& checkpoint() const { return checkpoint_; }
  const std::string& checkpoint_note() const { return checkpoint_note_; }
  const NoteSigner& signer() const { return *signer_; }

 private:
  LogWriter() = default;
  Status LoadRightEdge();
  Status FindLatestTypedTime();
  void PruneSupersededPartials(const std::vector<std::pair<int, uint64_t>>& tiles);

  LogLocation where_;
  std::string dir_;  // where_.dir
  int lock_fd_ = -1;
  std::unique_ptr<Ed25519NoteSigner> signer_;
  Checkpoint checkpoint_;
  std::string checkpoint_note_;
  merkle::CompactRange range_;
  std::vector<std::vector<merkle::Hash>> partial_tiles_;  // per tile level, the right edge
  std::vector<std::string> partial_entries_;
  std::optional<int64_t> latest_typed_time_;
  bool broken_ = false;
};

}  // namespace tally::tlog

#endif  // TALLY_TLOG_LOG_WRITER_H_
