#include "tally/inspect/joint_randomness.h"

#include <algorithm>
#include <cctype>

#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"

namespace tally::inspect {
namespace {

void PutLengthPrefixed16(crypto::Sha256& h, const std::string& s) {
  h.Update(static_cast<uint8_t>(s.size() >> 8));
  h.Update(static_cast<uint8_t>(s.size() & 0xFF));
  h.Update(std::string_view(s));
}

void PutParty(crypto::Sha256& h, const std::string& party) {
  h.Update(static_cast<uint8_t>(party.size()));
  h.Update(std::string_view(party));
}

bool ValidPartyCode(const std::string& p) {
  if (p.empty() || p.size() > 32) return false;
  for (char c : p) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Digest CommitmentFor(const std::string& round, const std::string& party, const Secret& secret) {
  crypto::Sha256 h;
  h.Update(std::string_view("tally/randomness/commit/v1"));
  PutLengthPrefixed16(h, round);
  PutParty(h, party);
  h.Update(std::span<const uint8_t>(secret));
  return h.Final();
}

namespace {

Seed HashSeed(std::string_view domain, const std::string& round, const Digest* beacon,
              const std::map<std::string, Secret>& secrets) {
  crypto::Sha256 h;
  h.Update(domain);
  PutLengthPrefixed16(h, round);
  if (beacon) h.Update(std::span<const uint8_t>(*beacon));
  for (const auto& [party, secret] : secrets) {  // std::map: byte order of party codes
    PutParty(h, party);
    h.Update(std::span<const uint8_t>(secret));
  }
  return h.Final();
}

}  // namespace

Seed JointSeed(const std::string& round, const std::map<std::string, Secret>& secrets) {
  return HashSeed("tally/randomness/seed/v1", round, nullptr, secrets);
}

Seed FallbackSeed(const std::string& round, const Digest& beacon,
                  const std::map<std::string, Secret>& revealed) {
  return HashSeed("tally/randomness/fallback/v1", round, &beacon, revealed);
}

Result<Round> Round::Create(RoundSpec spec) {
  if (spec.id.empty() || spec.id.size() > 1024) {
    return InvalidArgument("round: expected an identifier of 1 to 1024 bytes");
  }
  if (spec.parties.empty()) return InvalidArgument("round '" + spec.id + "': no parties");
  std::sort(spec.parties.begin(), spec.parties.end());
  for (size_t i = 0; i < spec.parties.size(); ++i) {
    if (!ValidPartyCode(spec.parties[i])) {
      return InvalidArgument("round '" + spec.id + "': party code '" + spec.parties[i] +
                             "' is not 1-32 characters of [A-Za-z0-9._-]");
    }
    if (i && spec.parties[i] == spec.parties[i - 1]) {
      return InvalidArgument("round '" + spec.id + "': party '" + spec.parties[i] +
                             "' listed twice");
    }
  }
  return Round(std::move(spec));
}

bool Round::IsParty(const std::string& party) const {
  return std::binary_search(spec_.parties.begin(), spec_.parties.end(), party);
}

Status Round::Commit(const std::string& party, const Digest& commitment, int64_t) {
  if (!IsParty(party)) {
    return InvalidArgument("round '" + spec_.id + "': '" + party + "' is not a party to it");
  }
  if (!secrets_.empty()) {
    return FailedPrecondition("round '" + spec_.id + "': commitment from " + party +
                              " after reveals began");
  }
  if (!commitments_.emplace(party, commitment).second) {
    return FailedPrecondition("round '" + spec_.id + "': " + party + " already committed");
  }
  return Status::Ok();
}

Status Round::Reveal(const std::string& party, const Secret& secret, int64_t time) {
  if (!IsParty(party)) {
    return InvalidArgument("round '" + spec_.id + "': '" + party + "' is not a party to it");
  }
  if (!AllCommitted()) {
    std::string missing;
    for (const auto& p : spec_.parties) {
      if (!commitments_.count(p)) missing += (missing.empty() ? "" : ", ") + p;
    }
    return FailedPrecondition("round '" + spec_.id + "': reveal from " + party +
                              " before every commitment is logged (missing: " + missing + ")");
  }
  if (secrets_.count(party)) {
    return FailedPrecondition("round '" + spec_.id + "': " + party + " already revealed");
  }
  if (time > spec_.reveal_deadline) {
    return FailedPrecondition("round '" + spec_.id + "': reveal from " + party +
                              " after the deadline");
  }
  if (CommitmentFor(spec_.id, party, secret) != commitments_.at(party)) {
    return VerificationFailed("round '" + spec_.id + "': the secret revealed by " + party +
                              " does not match its commitment " +
                              crypto::HexEncode(commitments_.at(party)));
  }
  secrets_.emplace(party, secret);
  return Status::Ok();
}

Result<SeedOutcome> Round::Finish(int64_t now) const {
  SeedOutcome out;
  for (const auto& p : spec_.parties) {
    if (!secrets_.count(p)) out.refused.push_back(p);
  }
  if (!out.refused.empty() && now <= spec_.reveal_deadline) {
    std::string awaited;
    for (const auto& p : out.refused) awaited += (awaited.empty() ? "" : ", ") + p;
    return FailedPrecondition("round '" + spec_.id + "': waiting for reveals from " + awaited);
  }
  out.fallback = !out.refused.empty();
  out.seed =
      out.fallback ? FallbackSeed(spec_.id, spec_.beacon, secrets_) : JointSeed(spec_.id, secrets_);
  return out;
}

}  // namespace tally::inspect
