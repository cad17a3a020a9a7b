#include "tally/escrow/logged_statement.h"

#include "tally/tlog/proof_bundle.h"

namespace tally::escrow {

Result<Statement> StatementFromEntry(const tlog::Entry& entry, const std::string& name) {
  if (entry.kind != static_cast<uint16_t>(tlog::EntryKind::kDeclaration)) {
    auto kind = tlog::KindName(entry.kind);
    return InvalidArgument(name + ": expected an entry of kind declaration, got " +
                           (kind ? std::string(*kind) : "kind " + std::to_string(entry.kind)));
  }
  TALLY_ASSIGN_OR_RETURN(Statement st, StatementFromJson(entry.payload, name));
  if (st.party != entry.party) {
    return InvalidArgument(name + ": the entry is logged by " + entry.party + " but declares for " +
                           st.party);
  }
  return st;
}

Result<LoggedStatement> StatementFromProof(std::string_view proof_bundle,
                                           std::span<const tlog::NoteVerifier* const> keys,
                                           const std::string& name) {
  return StatementFromProof(proof_bundle, tlog::CheckpointKeys{keys, {}, 0}, "", name);
}

Result<std::string> ProofOrigin(std::string_view proof_bundle, const std::string& name) {
  auto parsed = tlog::ParseProofBundle(proof_bundle);
  if (!parsed.ok()) return parsed.error().WithContext(name);
  const std::string& note = parsed->checkpoint_note;
  return note.substr(0, note.find('\n'));
}

Result<LoggedStatement> StatementFromProof(std::string_view proof_bundle,
                                           const tlog::CheckpointKeys& keys, std::string_view owner,
                                           const std::string& name) {
  auto parsed = tlog::ParseProofBundle(proof_bundle);
  if (!parsed.ok()) return parsed.error().WithContext(name);
  auto verified = tlog::VerifyProofBundle(*parsed, keys);
  if (!verified.ok()) return verified.error().WithContext(name);
  auto entry = tlog::DecodeEntry(verified->entry);
  if (!entry.ok())
    return entry.error().WithContext(name + ": entry " + std::to_string(verified->index));
  const std::string where = name + ": entry " + std::to_string(verified->index);
  TALLY_ASSIGN_OR_RETURN(Statement st, StatementFromEntry(*entry, where));
  if (!owner.empty() && entry->party != owner) {
    return VerificationFailed(where + ": entry of " + entry->party + " on the log of " +
                              std::string(owner) + " (" + verified->checkpoint.origin +
                              "): a declaration counts only on its own party's log");
  }
  return LoggedStatement{std::move(st), verified->checkpoint, verified->index, entry->time};
}

}  // namespace tally::escrow
