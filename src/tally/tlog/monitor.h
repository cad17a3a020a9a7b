// Monitor: re-verifies a log from its static files, as any party or third party can.
//
// Checks, from the last verified size to the checkpoint's: the checkpoint's signature (by one of
// the given keys) and syntax; no rollback (smaller size) and no fork (same size, other root) with
// respect to the last verified checkpoint; every entry bundle against the leaf hashes of its
// level-0 tile; every hash tile against its parent (each level-(L+1) hash must be the root of the
// level-L tile below it: the check whose absence was the Go checksum database's tile bug); the
// prefix of every tile that was partial last time against what was verified then; and the root
// the entries produce against the checkpoint. Monitoring resumes from MonitorState (the verified
// size, root and right-edge tiles), so each run reads only the new part of the log.
// Errors: VerificationFailed (bad signature, rollback, fork, root mismatch) and DataLoss (a tile
// or bundle that is missing, malformed or disagrees), each naming the file and position; the state
// is left unchanged on any error.
// Thread safety: reentrant; one state object per monitoring sequence.
#ifndef TALLY_TLOG_MONITOR_H_
#define TALLY_TLOG_MONITOR_H_

#include <span>
#include <string>
#include <vector>

#include "tally/tlog/checkpoint.h"
#include "tally/tlog/note.h"
#include "tally/tlog/signed_checkpoint.h"

namespace tally::tlog {

struct MonitorState {
  std::string origin;  // empty before the first run
  uint64_t size = 0;
  merkle::Hash root = merkle::EmptyRoot();
  std::string checkpoint_note;  // the last verified signed checkpoint (evidence for forks)
  std::vector<std::vector<merkle::Hash>> partial_tiles = std::vector<std::vector<merkle::Hash>>(8);

  std::string Encode() const;
  static Result<MonitorState> Decode(std::string_view text, std::string_view where);
};

struct MonitorReport {
  uint64_t old_size = 0;
  Checkpoint checkpoint;
  uint64_t entries_checked = 0;
  uint64_t tiles_checked = 0;
};

// The checkpoint must be signed by the key of `keys.log_keys` named after its origin, and carry
// the cosignatures `keys` requires (signed_checkpoint.h).
Result<MonitorReport> MonitorLog(const std::string& dir, const CheckpointKeys& keys,
                                 MonitorState& state);
// The same with `verifiers` as the log keys and no cosignature required.
Result<MonitorReport> MonitorLog(const std::string& dir,
                                 std::span<const NoteVerifier* const> verifiers,
                                 MonitorState& state);
// The same against a checkpoint note given by the caller (a mirror verifies a fetched checkpoint
// against the tiles it fetched before it stores either); `dir` names it in errors.
Result<MonitorReport> MonitorLogAt(const std::string& dir, const std::string& checkpoint_note,
                                   const CheckpointKeys& keys, MonitorState& state);

}  // namespace tally::tlog

#endif  // TALLY_TLOG_MONITOR_H_
