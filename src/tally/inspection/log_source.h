// LogSource: the typed entries of one or more party logs, read from their directories after the
// log has been re-verified (tlog::MonitorLog against the log's own DIR/vkey: signature, every
// tile and bundle, the root), and merged into one sequence that every reader orders the same way.
//
// Merge order (docs/formats/inspection.md): by entry time, then party code (bytes), then the
// log's directory as given, then the index in that log. Entries that are not typed (raw lines)
// are skipped. Errors: those of MonitorLog and the tile reader (VerificationFailed, DataLoss,
// NotFound), each prefixed with the log directory.
// Thread safety: values and reentrant functions.
#ifndef TALLY_INSPECTION_LOG_SOURCE_H_
#define TALLY_INSPECTION_LOG_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/tlog/entry.h"

namespace tally::inspection {

struct LoggedEntry {
  std::string log;  // the directory (or a name) the entry came from
  uint64_t index = 0;
  tlog::Entry entry;
  std::string bytes;  // the encoded entry, as logged

  // "RU log entry 4 (randomness-reveal)".
  std::string Where() const;
};

// Every typed entry of the log in DIR, in log order, after verifying the log.
Result<std::vector<LoggedEntry>> ReadLogEntries(const std::string& dir);
// Sorts into the merge order above.
void MergeOrder(std::vector<LoggedEntry>& entries);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_LOG_SOURCE_H_
