#include "tally/tlog/proof_bundle.h"

#include "tally/crypto/encoding.h"
#include "tally/merkle/proof.h"
#include "tally/tlog/signed_checkpoint.h"

namespace tally::tlog {
namespace {
constexpr std::string_view kHeader = "c2sp.org/tlog-proof@v1";
}

std::string ProofBundle::Format() const {
  std::string out = std::string(kHeader) + "\n";
  if (entry) out += "extra " + crypto::Base64Encode(*entry) + "\n";
  out += "index " + std::to_string(index) + "\n";
  for (const auto& h : proof) out += merkle::HashToBase64(h) + "\n";
  out += "\n" + checkpoint_note;
  return out;
}

Result<ProofBundle> ParseProofBundle(std::string_view text) {
  ProofBundle b;
  size_t pos = 0;
  size_t line_no = 0;
  const auto next_line = [&](std::string_view& line) {
    const size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return false;
    line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    return true;
  };
  const auto where = [&] { return "proof bundle line " + std::to_string(line_no); };
  std::string_view line;
  if (!next_line(line) || line != kHeader) {
    return InvalidArgument("proof bundle line 1: expected \"" + std::string(kHeader) + "\"");
  }
  if (!next_line(line)) return InvalidArgument(where() + ": cut off");
  if (line.substr(0, 6) == "extra ") {
    auto raw = crypto::Base64Decode(line.substr(6));
    if (!raw.ok()) return FieldError(where(), "extra", "base64", raw.error().message());
    b.entry = std::string(crypto::AsText(*raw));
    if (!next_line(line)) return InvalidArgument(where() + ": cut off");
  }
  if (line.substr(0, 6) != "index ")
    return FieldError(where(), "index", "\"index <n>\"",
                      "\"" + std::string(line.substr(0, 40)) + "\"");
  TALLY_ASSIGN_OR_RETURN(b.index, ParseDecimal(line.substr(6), where(), "index"));
  while (true) {
    if (!next_line(line))
      return InvalidArgument(where() + ": expected an empty line before the checkpoint");
    if (line.empty()) break;
    if (b.proof.size() == 64) return InvalidArgument(where() + ": more than 64 proof hashes");
    auto h = merkle::HashFromBase64(line, where());
    if (!h.ok()) return h.error();
    b.proof.push_back(*h);
  }
  b.checkpoint_note = std::string(text.substr(pos));
  if (b.checkpoint_note.empty()) return InvalidArgument(where() + ": the checkpoint is missing");
  return b;
}

Result<VerifiedInclusion> VerifyProofBundle(const ProofBundle& bundle,
                                            std::span<const NoteVerifier* const> keys,
                                            const std::optional<std::string>& entry) {
  return VerifyProofBundle(bundle, CheckpointKeys{keys, {}, 0}, entry);
}

Result<VerifiedInclusion> VerifyProofBundle(const ProofBundle& bundle, const CheckpointKeys& keys,
                                            const std::optional<std::string>& entry) {
  const std::optional<std::string>& data = entry ? entry : bundle.entry;
  if (!data) {
    return FailedPrecondition("proof bundle: it carries no entry; give the entry to verify");
  }
  auto opened = OpenCheckpoint(bundle.checkpoint_note, keys);
  if (!opened.ok()) return opened.error().WithContext("proof bundle checkpoint");
  const Checkpoint* cp = &opened->checkpoint;
  Status s = merkle::VerifyInclusion(bundle.index, cp->size, merkle::LeafHash(*data), bundle.proof,
                                     cp->root);
  if (!s.ok()) return Status(s.code(), "proof bundle: " + s.message());
  return VerifiedInclusion{*cp, bundle.index, *data};
}

}  // namespace tally::tlog
