// RFC 9162 inclusion and consistency proofs: generation from any store of subtree hashes, and
// verification (§2.1.3.2 and §2.1.4.2) with all the checks a verifier must make.
//
// A NodeId names a perfect subtree: 2^level leaves starting at leaf index << level. Proof
// generation asks a HashReader for the hashes of the perfect subtrees it needs (one batch per
// proof) and emits exactly the RFC 6962 PATH / PROOF lists (leaf side first, root side last);
// proofs are unique, so the output is byte-equal to any other correct implementation's.
// Errors: generation returns InvalidArgument for an index >= size, size1 = 0 or size1 > size2,
// and whatever the reader returns (e.g. NotFound, DataLoss). Verification returns
// VerificationFailed saying which check failed (extra or missing proof elements, root mismatch),
// or InvalidArgument for impossible parameters. Sizes and indexes are 64-bit throughout.
// Security promise: a verified inclusion proof binds the leaf to the *root*; the size must come
// from a signed checkpoint, never from the proof's claim.
// Thread safety: functions are reentrant; the reader's own rules apply.
#ifndef TALLY_MERKLE_PROOF_H_
#define TALLY_MERKLE_PROOF_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/merkle/hash.h"

namespace tally::merkle {

struct NodeId {
  int level = 0;
  uint64_t index = 0;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

class HashReader {
 public:
  virtual ~HashReader() = default;
  // Fills out[i] with the hash of the perfect subtree ids[i]; out.size() == ids.size().
  virtual Status ReadHashes(std::span<const NodeId> ids, std::span<Hash> out) = 0;
};

// Appends to `out` the perfect subtrees covering leaves [lo, hi), left to right, largest first.
// Requires that each subtree be aligned, which holds for every range RFC 9162 proofs use and for
// [0, n).
void RangeNodes(uint64_t lo, uint64_t hi, std::vector<NodeId>& out);

Result<Hash> TreeHash(uint64_t size, HashReader& reader);
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, HashReader& reader);
Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2, HashReader& reader);

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);
Status VerifyConsistency(uint64_t size1, uint64_t size2, std::span<const Hash> proof,
                         const Hash& root1, const Hash& root2);

// Decodes proof hashes from base64 text, rejecting anything that is not exactly 32 bytes;
// `what` names the input in errors ("proof[3]: ...").
Result<std::vector<Hash>> ProofFromBase64(std::span<const std::string> lines,
                                          std::string_view what);
std::vector<std::string> ProofToBase64(std::span<const Hash> proof);

}  // namespace tally::merkle

#endif  // TALLY_MERKLE_PROOF_H_
