#include "tally/tlog/signed_checkpoint.h"

#include <algorithm>

#include "tally/tlog/cosignature.h"

namespace tally::tlog {
namespace {

const NoteVerifier* Match(std::span<const NoteVerifier* const> keys, const NoteSignature& s,
                          uint8_t type) {
  for (const NoteVerifier* k : keys) {
    if (k && k->type() == type && k->name() == s.name && k->key_id() == s.key_id) return k;
  }
  return nullptr;
}

}  // namespace

Result<OpenedCheckpoint> OpenCheckpoint(std::string_view note, const CheckpointKeys& keys) {
  std::vector<const NoteVerifier*> known(keys.log_keys.begin(), keys.log_keys.end());
  known.insert(known.end(), keys.witnesses.begin(), keys.witnesses.end());
  known.erase(std::remove(known.begin(), known.end(), nullptr), known.end());
  auto opened = OpenNote(note, known);
  if (!opened.ok()) return opened.error();
  TALLY_ASSIGN_OR_RETURN(Checkpoint cp, ParseCheckpoint(opened->note.text));
  OpenedCheckpoint out{cp, std::string(note), opened->note.text, {}};
  bool by_origin = false;
  for (const NoteSignature& s : opened->verified) {
    if (s.name == cp.origin && Match(keys.log_keys, s, kKeyTypeEd25519)) by_origin = true;
    if (Match(keys.witnesses, s, kKeyTypeCosignatureV1)) {
      const bool seen = std::any_of(out.cosigners.begin(), out.cosigners.end(),
                                    [&](const Cosigner& c) { return c.name == s.name; });
      auto ts = CosignatureTimestamp(s.signature);
      if (!seen && ts) out.cosigners.push_back({s.name, *ts});
    }
  }
  if (!by_origin) {
    return VerificationFailed("checkpoint of \"" + cp.origin +
                              "\": no valid signature by that origin's log key; a signature by "
                              "another key does not make a checkpoint the log's");
  }
  if (out.cosigners.size() < keys.required_cosignatures) {
    return VerificationFailed(
        "checkpoint of \"" + cp.origin + "\" (size " + std::to_string(cp.size) +
        "): " + std::to_string(out.cosigners.size()) + " valid cosignatures by its witnesses, " +
        std::to_string(keys.required_cosignatures) + " required");
  }
  return out;
}

}  // namespace tally::tlog
