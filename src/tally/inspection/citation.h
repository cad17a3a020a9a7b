// Citations: how an entry on one party's log names what it saw of the other party's log, so that
// order across logs is causal and checkable rather than self-reported.
//
// An entry that answers the other party's entry carries `seen` = {size, root} of that party's
// log as the acting party verified it. A replay holding a copy of the cited log checks that the
// copy's prefix of that size has that root (a wrong root is a forged citation, or a fork of the
// cited log: either way the entry is refused), and that the entry answered lies inside the prefix
// (index < size): the answer came after what it answers, whatever the clocks say.
// Errors: NotFound when the copy at hand is shorter than the cited size (a newer copy of the
// cited log is needed before the entry can be checked); VerificationFailed otherwise, naming the
// citing entry.
// Thread safety: reentrant functions.
#ifndef TALLY_INSPECTION_CITATION_H_
#define TALLY_INSPECTION_CITATION_H_

#include <cstdint>
#include <string>

#include "tally/base/status.h"
#include "tally/inspection/party_log.h"
#include "tally/inspection/payloads.h"

namespace tally::inspection {

// The citation of the whole copy `log` (what a writer cites).
Citation CitationOf(const PartyLog& log);

// Checks `seen`, written by `citing`, against the copy `cited`.
Status CheckCitation(const Citation& seen, const PartyLog& cited, const LoggedEntry& citing);

// Whether the prefix `seen` holds `answered` (an entry of the cited log).
inline bool Holds(const Citation& seen, const LoggedEntry& answered) {
  return answered.index < seen.size;
}

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_CITATION_H_
