// ProofBundle: an offline receipt that an entry is in a log, in the format of C2SP tlog-proof v1:
//
//   c2sp.org/tlog-proof@v1\n
//   extra <base64 of the entry's bytes>\n      (tally puts the entry itself here; optional)
//   index <decimal>\n
//   <base64 inclusion-proof hash>\n ...        (RFC 6962 PATH order)
//   \n
//   <signed checkpoint note>
//
// A party hands it to anyone; Verify checks the checkpoint signature by the origin's key, then
// the inclusion of the entry's leaf hash at `index` under the signed root and size.
// Errors: InvalidArgument (malformed bundle: which line), VerificationFailed (signature, proof),
// FailedPrecondition (no entry given and none in the bundle).
// Thread safety: plain values and reentrant functions.
#ifndef TALLY_TLOG_PROOF_BUNDLE_H_
#define TALLY_TLOG_PROOF_BUNDLE_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tally/tlog/checkpoint.h"
#include "tally/tlog/note.h"
#include "tally/tlog/signed_checkpoint.h"

namespace tally::tlog {

struct ProofBundle {
  std::optional<std::string> entry;
  uint64_t index = 0;
  std::vector<merkle::Hash> proof;
  std::string checkpoint_note;

  std::string Format() const;
};

Result<ProofBundle> ParseProofBundle(std::string_view text);

struct VerifiedInclusion {
  Checkpoint checkpoint;
  uint64_t index = 0;
  std::string entry;
};

// The checkpoint must be the log's (signed by the key of `keys.log_keys` named after its origin)
// with the cosignatures `keys` requires (signed_checkpoint.h). `entry` overrides (or supplies)
// the bundle's entry bytes.
Result<VerifiedInclusion> VerifyProofBundle(const ProofBundle& bundle, const CheckpointKeys& keys,
                                            const std::optional<std::string>& entry = {});
// The same with `keys` as the log keys and no cosignature required.
Result<VerifiedInclusion> VerifyProofBundle(const ProofBundle& bundle,
                                            std::span<const NoteVerifier* const> keys,
                                            const std::optional<std::string>& entry = {});

}  // namespace tally::tlog

#endif  // TALLY_TLOG_PROOF_BUNDLE_H_
