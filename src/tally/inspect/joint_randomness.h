// Joint randomness: a seed to which every party contributed and which no party controls.
//
// Commit-reveal on the log. Each party draws a 32-byte secret and logs a commitment
//   C = SHA-256("tally/randomness/commit/v1" || u16be len(round) || round || u8 len(party) ||
//               party || secret)
// Only when every party's commitment is logged may reveals be logged; a reveal must open its own
// commitment (a secret changed after committing is rejected). With every reveal in, the seed is
//   S = SHA-256("tally/randomness/seed/v1" || u16be len(round) || round ||
//               for each party in byte order of its code: u8 len(party) || party || secret)
// A party that has not revealed by the round's reveal deadline is recorded as refusing, and the
// round falls back to
//   S' = SHA-256("tally/randomness/fallback/v1" || u16be len(round) || round || beacon[32] ||
//                the revealed parties as above)
// where the beacon is a value fixed on the log before the round opened (e.g. a checkpoint's root
// hash). docs/inspections.md states the argument: while one honest party's secret is unknown to
// the others until it reveals, no one can predict S; the last revealer can at most choose between
// S and S' by refusing, and that refusal is on the log against it.
//
// Round replays the round from its events in log order; every rejected event names why.
// Thread safety: a Round is a plain value; not shared between threads.
#ifndef TALLY_INSPECT_JOINT_RANDOMNESS_H_
#define TALLY_INSPECT_JOINT_RANDOMNESS_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/inspect/sampler.h"

namespace tally::inspect {

using Digest = std::array<uint8_t, 32>;
using Secret = std::array<uint8_t, 32>;

Digest CommitmentFor(const std::string& round, const std::string& party, const Secret& secret);
// S above, from every party's secret (keyed by party code).
Seed JointSeed(const std::string& round, const std::map<std::string, Secret>& secrets);
// S' above, from the secrets that were revealed. With at least one fresh secret among them it is
// unpredictable to everyone else; with none it is a public function of the beacon.
Seed FallbackSeed(const std::string& round, const Digest& beacon,
                  const std::map<std::string, Secret>& revealed);

struct RoundSpec {
  std::string id;                    // e.g. "2026/type-one/3/site"
  std::vector<std::string> parties;  // party codes, e.g. {"RU", "US"}
  int64_t reveal_deadline = 0;       // seconds since the epoch (treaty time)
  Digest beacon{};                   // fixed on the log before the round opened
};

struct SeedOutcome {
  Seed seed{};
  bool fallback = false;
  std::vector<std::string> refused;  // parties that did not reveal in time
};

class Round {
 public:
  // Errors: empty id, no parties, a party listed twice or with an invalid code.
  static Result<Round> Create(RoundSpec spec);

  // Errors (the event is not applied): unknown party, a second commitment, a commitment after
  // reveals began.
  Status Commit(const std::string& party, const Digest& commitment, int64_t time);
  // Errors: unknown party, not every commitment logged yet, a second reveal, a reveal after the
  // deadline, a secret that does not open the party's commitment.
  Status Reveal(const std::string& party, const Secret& secret, int64_t time);

  bool AllCommitted() const { return commitments_.size() == spec_.parties.size(); }
  bool AllRevealed() const { return secrets_.size() == spec_.parties.size(); }
  // The seed when all revealed; before the deadline with reveals missing, kFailedPrecondition
  // naming who is awaited; after it, the fallback seed with the refusals.
  Result<SeedOutcome> Finish(int64_t now) const;

  const RoundSpec& spec() const { return spec_; }

 private:
  explicit Round(RoundSpec spec) : spec_(std::move(spec)) {}
  bool IsParty(const std::string& party) const;
  RoundSpec spec_;
  std::map<std::string, Digest> commitments_;
  std::map<std::string, Secret> secrets_;
};

}  // namespace tally::inspect

#endif  // TALLY_INSPECT_JOINT_RANDOMNESS_H_
