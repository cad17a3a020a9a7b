// Entry: the typed record parties append to their log (declarations, notifications, inspection
// requests, randomness commits and reveals, openings, findings, ...), and its canonical bytes.
//
// Layout (docs/formats/log-entry.md), all integers big-endian:
//   "tly" 0x01 | kind u16 (!= 0) | party length u8 (1..32) | party (ASCII [A-Za-z0-9._-]) |
//   time i64 (seconds since 1970-01-01T00:00:00Z) | payload length u16 | payload
// and nothing after it; the whole entry is at most 65,535 bytes (a tile entry's limit). The
// encoding is a bijection: DecodeEntry(EncodeEntry(e)) == e and every accepted byte string
// re-encodes to itself, so the leaf hash of an entry is a function of its fields.
// Kinds are a registry (KindName / KindFromName) that later issues extend; unknown kind numbers
// still decode, so an old reader can mirror a newer log.
// Errors: InvalidArgument saying which field is wrong (encode) / DataLoss at which byte (decode).
// Thread safety: plain values and reentrant functions.
#ifndef TALLY_TLOG_ENTRY_H_
#define TALLY_TLOG_ENTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"

namespace tally::tlog {

enum class EntryKind : uint16_t {
  kStatement = 1,          // free text a party puts on record
  kDeclaration = 2,        // a declaration root and totals (escrow)
  kNotification = 3,       // a treaty notification with its event time
  kInspectionRequest = 4,  // an inspection request
  kRandomnessCommit = 5,   // a commitment to a random contribution
  kRandomnessReveal = 6,   // the revealed contribution
  kOpening = 7,            // an opened commitment
  kFinding = 8,            // inspection findings
  kCheckpointSeen = 9,     // another log's checkpoint, as mirrored/witnessed
};

struct Entry {
  uint16_t kind = 0;
  std::string party;
  int64_t time = 0;  // seconds since the Unix epoch, UTC
  std::string payload;
  friend bool operator==(const Entry&, const Entry&) = default;
};

inline constexpr std::string_view kEntryMagic = {"tly\x01", 4};
inline constexpr size_t kEntryFixedSize = 4 + 2 + 1 + 8 + 2;

Result<std::string> EncodeEntry(const Entry& entry);
Result<Entry> DecodeEntry(std::string_view bytes);
bool LooksTyped(std::string_view bytes);

// "declaration" for 2; nullopt for an unregistered kind.
std::optional<std::string_view> KindName(uint16_t kind);
// Accepts a registered name or a decimal number 1..65535.
Result<uint16_t> KindFromName(std::string_view name);
std::vector<std::string_view> KindNames();

}  // namespace tally::tlog

#endif  // TALLY_TLOG_ENTRY_H_
