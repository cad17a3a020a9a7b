// Witness: cosigns other logs' checkpoints under the c2sp.org/tlog-witness v1.0.0 add-checkpoint
// rules, so that a log cannot show different trees to different parties without one of them
// holding proof.
//
// A request body is "old <size>\n", the consistency proof from the witness's latest size to the
// new one (one base64 hash per line, at most 63), an empty line and the signed checkpoint. Which
// logs the witness cosigns, and the one key each must be signed by, come from a LogKeyring (the
// network file, for a node: never a key found beside a log). The outcomes, in the order checked:
//   unknown origin                              kUnknownOrigin   HTTP 404
//   no valid signature by the origin's log key  kUntrusted       HTTP 403
//   malformed, or old size above the new size   kBadRequest      HTTP 400
//   same size as the one held, another root     kConflict        HTTP 409 (evidence kept)
//   old size differs from the size held         kConflict        HTTP 409, body "<held size>\n"
//   the consistency proof fails                 kInconsistent    HTTP 422 (evidence kept)
//   otherwise                                   kCosigned        HTTP 200, cosignature/v1 line
// Check and update are one step under the witness's lock, and a cosignature is released only once
// the new state is durable (fdatasync'd): after a crash at any point the witness holds a state at
// least as new as every cosignature it gave out, so it never cosigns two inconsistent checkpoints,
// across restarts too. Concurrent requests share one fdatasync (group commit), which is what makes
// thousands of durable cosignatures per second possible on a disk whose sync costs milliseconds.
// Evidence: a validly signed checkpoint that contradicts the held one (two roots for one size, or
// no consistency proof) is kept with the held one under WDIR/evidence/ (at most kMaxEvidence
// files), which is what a party shows the others.
// Files (docs/formats/log-storage.md, "Witness directory"): WDIR/witness.key (0600, in a 0700
// directory), WDIR/vkey, WDIR/state.journal, WDIR/evidence/*, WDIR/lock (held while open).
// Thread safety: Add may be called from many threads at once; one Witness per directory (Open
// waits for the lock other processes hold).
#ifndef TALLY_TLOG_WITNESS_H_
#define TALLY_TLOG_WITNESS_H_

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tally/tlog/checkpoint.h"
#include "tally/tlog/cosignature.h"

namespace tally::tlog {

inline constexpr size_t kMaxEvidence = 10000;

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<merkle::Hash> proof;
  std::string checkpoint_note;

  std::string Format() const;
};
// Errors: InvalidArgument naming the line ("add-checkpoint request line 3: ...").
Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body);

// Which logs a witness cosigns: the key each origin's checkpoints must be signed by.
class LogKeyring {
 public:
  virtual ~LogKeyring() = default;
  // The verifier of `origin`'s log key, or nullptr when the origin is not one the witness knows.
  virtual const NoteVerifier* LogKey(std::string_view origin) const = 0;
};

// A keyring of log keys each named after its origin (C2SP: the log key's name is the origin).
class VerifierKeyring final : public LogKeyring {
 public:
  explicit VerifierKeyring(std::span<const NoteVerifier* const> keys);
  const NoteVerifier* LogKey(std::string_view origin) const override;

 private:
  std::map<std::string, const NoteVerifier*, std::less<>> by_origin_;
};

struct WitnessResult {
  Checkpoint checkpoint;
  NoteSignature cosignature;
  std::string cosigned_note;  // the checkpoint note with the cosignature appended
};

struct AddCheckpointOutcome {
  enum class Kind {
    kCosigned,
    kUnknownOrigin,
    kUntrusted,
    kBadRequest,
    kConflict,
    kInconsistent,
    kError
  };
  Kind kind = Kind::kError;
  Status status;              // OK when cosigned; the reason otherwise
  uint64_t held_size = 0;     // the size the witness holds for the origin (the 409 body)
  std::string evidence_path;  // kConflict (two roots) and kInconsistent: where the evidence is
  std::string held_note;      // with evidence: the checkpoint note the witness cosigned before
  WitnessResult result;       // the cosignature when cosigned; result.checkpoint once parsed

  bool ok() const { return kind == Kind::kCosigned; }
  // 200, 404, 403, 400, 409, 422, or 500 for kError (an I/O failure).
  int HttpStatus() const;
};

class Witness {
 public:
  static Result<std::string> Init(const std::string& dir, const std::string& name,
                                  crypto::RandomSource& random = crypto::SystemRandom());
  // Takes WDIR/lock (waits for another process to let go of it) and loads the state.
  static Result<std::unique_ptr<Witness>> Open(const std::string& dir);
  ~Witness();

  // The latest checkpoint note cosigned for `origin`, if any.
  Result<std::optional<std::string>> Latest(const std::string& origin) const;
  AddCheckpointOutcome Add(const AddCheckpointRequest& request, const LogKeyring& logs,
                           uint64_t timestamp);
  // The same with the logs whose keys are given (each named after its origin), as a Result:
  // NotFound, VerificationFailed (untrusted, fork, inconsistent), InvalidArgument (old above
  // new), FailedPrecondition (old size differs), IoError.
  Result<WitnessResult> AddCheckpoint(const AddCheckpointRequest& request,
                                      std::span<const NoteVerifier* const> log_keys,
                                      uint64_t timestamp);
  const CosignatureV1Signer& signer() const { return *signer_; }
  const std::string& dir() const { return dir_; }

 private:
  struct Held {
    Checkpoint checkpoint;
    std::string note;
  };
  Witness() = default;
  Status Load();
  Status Compact();
  // Appends a state record and waits until it is durable (sharing the sync with other callers).
  Status AppendDurably(std::unique_lock<std::mutex>& lock, const std::string& note);
  std::string SaveEvidence(const std::string& origin, const std::string& held,
                           const AddCheckpointRequest& request, const std::string& why);

  std::string dir_;
  std::unique_ptr<CosignatureV1Signer> signer_;
  int lock_fd_ = -1;
  int journal_fd_ = -1;

  mutable std::mutex mu_;
  std::condition_variable synced_;
  std::map<std::string, Held, std::less<>> held_;
  std::string pending_;  // records appended but not yet written
  uint64_t appended_ = 0, durable_ = 0;
  bool syncing_ = false;
  bool broken_ = false;
  uint64_t journal_records_ = 0;
};

}  // namespace tally::tlog

#endif  // TALLY_TLOG_WITNESS_H_
