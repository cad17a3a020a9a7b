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

inline constexpr std::string_view kRequestFormat = "tally-inspection-request/1";
inline constexpr std::string_view kOpeningFormat = "tally-inspection-opening/1";
inline constexpr std::string_view kCommitFormat = "tally-inspection-commit/1";
inline constexpr std::string_view kRevealFormat = "tally-inspection-reveal/1";
inline constexpr std::string_view kFindingFormat = "tally-inspection-finding/1";
inline constexpr std::string_view kFindingsFormat = "tally-inspection-findings/1";

// An inspection id: 1-64 characters of [A-Za-z0-9._-].
bool ValidInspectionId(std::string_view id);

struct Request {
  std::string inspection;  // chosen by the inspecting party, unique among its requests
  std::string treaty;
  std::string type;       // an InspectionType id of the treaty's regime
  std::string inspected;  // party code
  std::string site;       // a declared facility of the inspected party
  friend bool operator==(const Request&, const Request&) = default;
};

enum class OpeningPhase { kSite, kDesignated };
std::string_view OpeningPhaseName(OpeningPhase p);

struct Opening {
  std::string inspection;
  OpeningPhase phase = OpeningPhase::kSite;
  Hash32 bundle_sha256{};        // SHA-256 of the bundle file's bytes
  std::vector<uint64_t> leaves;  // the opened leaf positions, ascending
  friend bool operator==(const Opening&, const Opening&) = default;
};

struct RandomnessCommit {
  std::string inspection;
  std::string round;  // must be RoundId(inspection)
  Hash32 commitment{};
  friend bool operator==(const RandomnessCommit&, const RandomnessCommit&) = default;
};

struct RandomnessReveal {
  std::string inspection;
  std::string round;
  Hash32 secret{};
  friend bool operator==(const RandomnessReveal&, const RandomnessReveal&) = default;
};

struct Finding {
  std::string inspection;
  Hash32 findings_sha256{};  // SHA-256 of the findings document's bytes
  uint64_t observed = 0;     // number of observations in it
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
