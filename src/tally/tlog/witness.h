// Witness: cosigns other logs' checkpoints under the tlog-witness add-checkpoint rules, so that a
// log cannot show different trees to different parties without one of them holding proof.
//
// A request (c2sp.org/tlog-witness v1.0.0 body) is "old <size>\n", the consistency proof from the
// witness's latest size to the new one (one base64 hash per line, at most 63), an empty line and
// the signed checkpoint. The witness cosigns (tlog-cosignature/v1) only if: the checkpoint carries
// a valid signature by a trusted key of its origin (else VerificationFailed, HTTP 403); old <= new
// size (InvalidArgument, 400); old equals the size it last cosigned for that origin
// (FailedPrecondition carrying that size, 409); at equal sizes the roots match; and the proof
// verifies (VerificationFailed, 422). The check and the update of the latest checkpoint are one
// step under an exclusive lock, and the update is an atomic file replace, so two concurrent
// requests cannot roll the witness back.
// Evidence: when a signed checkpoint contradicts the one the witness holds (same size, other root,
// or a failing consistency proof), both signed checkpoints (and the proof) are kept under
// WDIR/evidence/, which is what a party shows the others.
// Files: WDIR/witness.key (0600, in a 0700 directory), WDIR/vkey, WDIR/state/<origin hash>,
// WDIR/evidence/*. Thread safety: one Witness per process; the lock covers other processes.
#ifndef TALLY_TLOG_WITNESS_H_
#define TALLY_TLOG_WITNESS_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tally/tlog/checkpoint.h"
#include "tally/tlog/cosignature.h"

namespace tally::tlog {

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<merkle::Hash> proof;
  std::string checkpoint_note;

  std::string Format() const;
};
Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body);

struct WitnessResult {
  Checkpoint checkpoint;
  NoteSignature cosignature;
  std::string cosigned_note;  // the checkpoint note with the cosignature appended
};

class Witness {
 public:
  static Result<std::string> Init(const std::string& dir, const std::string& name,
                                  crypto::RandomSource& random = crypto::SystemRandom());
  static Result<std::unique_ptr<Witness>> Open(const std::string& dir);

  // The latest checkpoint note cosigned for `origin`, if any.
  Result<std::optional<std::string>> Latest(const std::string& origin) const;
  Result<WitnessResult> AddCheckpoint(const AddCheckpointRequest& request,
                                      std::span<const NoteVerifier* const> log_keys,
                                      uint64_t timestamp);
  const CosignatureV1Signer& signer() const { return *signer_; }

 private:
  Witness() = default;
  std::string StatePath(const std::string& origin) const;
  std::string SaveEvidence(const std::string& origin, const std::string& held,
                           const AddCheckpointRequest& request, const std::string& why);
  std::string dir_;
  std::unique_ptr<CosignatureV1Signer> signer_;
};

}  // namespace tally::tlog

#endif  // TALLY_TLOG_WITNESS_H_
