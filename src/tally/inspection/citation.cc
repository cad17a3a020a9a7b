#include "tally/inspection/citation.h"

#include <algorithm>

#include "tally/crypto/encoding.h"

namespace tally::inspection {

Citation CitationOf(const PartyLog& log) {
  Citation c;
  c.size = log.size();
  const merkle::Hash root = *log.RootAt(log.size());
  std::copy(root.begin(), root.end(), c.root.begin());
  return c;
}

Status CheckCitation(const Citation& seen, const PartyLog& cited, const LoggedEntry& citing) {
  if (seen.size > cited.size()) {
    return NotFound(citing.Where() + " cites " + cited.owner() + "'s log at size " +
                    std::to_string(seen.size) + ", but the copy read (" + cited.source() +
                    ") has only " + std::to_string(cited.size()) + " entries; read a newer copy");
  }
  const auto root = cited.RootAt(seen.size);
  if (!root || !std::equal(root->begin(), root->end(), seen.root.begin())) {
    return VerificationFailed(citing.Where() + " cites a root for " + cited.owner() +
                              "'s log at size " + std::to_string(seen.size) + " (" +
                              crypto::HexEncode(seen.root) +
                              ") that the log does not have: a forged citation, or a fork");
  }
  return Status::Ok();
}

}  // namespace tally::inspection
