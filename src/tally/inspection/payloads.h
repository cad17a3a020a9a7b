// Payloads: the canonical JSON bodies of the log entries an inspection is made of, and of the
// findings document that travels between the parties (docs/formats/inspection.md).
//
//   inspection-request  (kind 4, inspecting party's log)  Request
//   opening             (kind 7, inspected party's log)    Opening   (phase "site" | "designated")
//   randomness-commit   (kind 5, both parties' logs)       RandomnessCommit
//   randomness-reveal   (kind 6, both parties' logs)       RandomnessReveal
//   finding             (kind 8, inspecting party's log)   Finding
//   findings document   (a file handed to the parties)     Findings
//
// Every log entry answers the other party's log: its `seen` field names the checkpoint (size and
// root) of the other party's log that the acting party had verified when it logged the entry, so
// that order across logs is causal and checkable (citation.h), not self-reported. Public entries
// carry document hashes only: no leaf position, count or uid of what was opened or observed.
//
// Canonical form: one JSON object, keys in byte order, no whitespace, integers only, strings as
// nlohmann-json writes them; the "format" key names the payload and its version. Parsers are
// strict: a non-object, a missing or unknown key, a value of the wrong type or out of range is an
// InvalidArgument "<where>: field '<key>': expected ..., got ...". Every accepted text re-encodes
// to a payload that parses to the same value (the inspection_payload fuzz target checks this).
// Thread safety: values and reentrant functions.
#ifndef TALLY_INSPECTION_PAYLOADS_H_
#define TALLY_INSPECTION_PAYLOADS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"

namespace tally::inspection {

using Hash32 = std::array<uint8_t, 32>;

inline constexpr std::string_view kRequestFormat = "tally-inspection-request/2";
inline constexpr std::string_view kOpeningFormat = "tally-inspection-opening/2";
inline constexpr std::string_view kCommitFormat = "tally-inspection-commit/2";
inline constexpr std::string_view kRevealFormat = "tally-inspection-reveal/2";
inline constexpr std::string_view kFindingFormat = "tally-inspection-finding/2";
inline constexpr std::string_view kFindingsFormat = "tally-inspection-findings/1";

// An inspection id: 1-64 characters of [A-Za-z0-9._-].
bool ValidInspectionId(std::string_view id);
// Ids are namespaced by the inspecting party: "<party>-<anything>", e.g. "RU-2020-07".
bool IdBelongsTo(std::string_view id, std::string_view party);

// The checkpoint of the other party's log an entry answers (payload key "seen").
struct Citation {
  uint64_t size = 0;
  Hash32 root{};
  friend bool operator==(const Citation&, const Citation&) = default;
};

struct Request {
  std::string inspection;  // chosen by the inspecting party, beginning with its code and '-'
  std::string treaty;
  std::string type;       // an InspectionType id of the treaty's regime
  std::string inspected;  // party code
  std::string site;       // a declared facility of the inspected party
  Citation seen;          // the inspected party's log: its last declaration inside applies
  friend bool operator==(const Request&, const Request&) = default;
};

enum class OpeningPhase { kSite, kDesignated };
std::string_view OpeningPhaseName(OpeningPhase p);

// The bundle's leaf positions stay in the bundle (partner-only): on the public log they would
// show a site's item count and, salt order being known to the opener only, nothing useful to
// anyone else.
struct Opening {
  std::string inspection;
  OpeningPhase phase = OpeningPhase::kSite;
  Hash32 bundle_sha256{};  // SHA-256 of the bundle file's bytes
  Citation seen;           // the inspecting party's log
  friend bool operator==(const Opening&, const Opening&) = default;
};

struct RandomnessCommit {
  std::string inspection;
  std::string round;  // must be RoundId(inspection)
  Hash32 commitment{};
  Citation seen;
  friend bool operator==(const RandomnessCommit&, const RandomnessCommit&) = default;
};

struct RandomnessReveal {
  std::string inspection;
  std::string round;
  Hash32 secret{};
  Citation seen;
  friend bool operator==(const RandomnessReveal&, const RandomnessReveal&) = default;
};

struct Finding {
  std::string inspection;
  Hash32 findings_sha256{};  // SHA-256 of the findings document's bytes
  Citation seen;             // the inspected party's log
  friend bool operator==(const Finding&, const Finding&) = default;
};

struct Observation {
  std::string uid;
  std::string status;    // model item status name, as seen
  int64_t warheads = 0;  // reentry vehicles counted on the item (0 for items that carry none)
  friend bool operator==(const Observation&, const Observation&) = default;
};

struct Findings {
  std::string inspection;
  std::vector<Observation> observed;  // in uid order, no uid twice
  friend bool operator==(const Findings&, const Findings&) = default;
};

// The joint-randomness round of an inspection: "tally/inspection/<id>/items".
std::string RoundId(std::string_view inspection);

std::string EncodeRequest(const Request& p);
std::string EncodeOpening(const Opening& p);
std::string EncodeCommit(const RandomnessCommit& p);
std::string EncodeReveal(const RandomnessReveal& p);
std::string EncodeFinding(const Finding& p);
std::string EncodeFindings(const Findings& p);  // sorts nothing: give observations in uid order

// `where` prefixes errors, e.g. "RU log entry 4 (opening)".
Result<Request> ParseRequest(std::string_view text, std::string_view where);
Result<Opening> ParseOpening(std::string_view text, std::string_view where);
Result<RandomnessCommit> ParseCommit(std::string_view text, std::string_view where);
Result<RandomnessReveal> ParseReveal(std::string_view text, std::string_view where);
Result<Finding> ParseFinding(std::string_view text, std::string_view where);
Result<Findings> ParseFindings(std::string_view text, std::string_view where);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_PAYLOADS_H_
