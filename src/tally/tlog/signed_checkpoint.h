// SignedCheckpoint: the one way tally accepts another log's signed checkpoint.
//
// c2sp.org/tlog-checkpoint names the log's key after the checkpoint's origin, and a checkpoint is
// the log's only if that key signed it. OpenCheckpoint therefore accepts a note when (1) it is a
// well-formed signed note whose text is a checkpoint; (2) a key of `log_keys` whose name is the
// checkpoint's origin and whose type is Ed25519 (0x01) signed it: a valid signature by any other
// key — another party's log key, a witness — does not make the checkpoint the log's, whatever
// origin the text claims; (3) when `required_cosignatures` = k > 0, valid tlog-cosignature/v1
// signatures by at least k distinct keys of `witnesses` (key type 0x04). As c2sp.org/signed-note
// says, lines by unknown keys are ignored and a line by a known key that fails rejects the note.
// Errors: InvalidArgument (malformed note or checkpoint), VerificationFailed (no signature by the
// origin's key, a failing known signature, too few cosignatures), each saying which.
// Security promise: an accepted checkpoint was signed by the origin's pinned key over exactly its
// text, and each listed cosigner signed it at the listed time.
// Thread safety: reentrant.
#ifndef TALLY_TLOG_SIGNED_CHECKPOINT_H_
#define TALLY_TLOG_SIGNED_CHECKPOINT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/note.h"

namespace tally::tlog {

struct CheckpointKeys {
  std::span<const NoteVerifier* const> log_keys;   // only the one named after the origin counts
  std::span<const NoteVerifier* const> witnesses;  // the log's cosigners (type 0x04)
  size_t required_cosignatures = 0;
};

struct Cosigner {
  std::string name;
  uint64_t timestamp = 0;  // seconds since the epoch, as the cosigner signed it
};

struct OpenedCheckpoint {
  Checkpoint checkpoint;
  std::string note;                 // the note as given (signature lines included)
  std::string text;                 // the signed text (the checkpoint, without signatures)
  std::vector<Cosigner> cosigners;  // valid cosignatures by distinct witnesses, in note order
};

Result<OpenedCheckpoint> OpenCheckpoint(std::string_view note, const CheckpointKeys& keys);

}  // namespace tally::tlog

#endif  // TALLY_TLOG_SIGNED_CHECKPOINT_H_
