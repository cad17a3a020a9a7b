// Checkpoints (c2sp.org/tlog-checkpoint v1.0.0): the text a log signs to commit to a tree.
//
//   <origin>\n <decimal size>\n <base64 root>\n [<extension line>\n]*
// Parse is strict: a non-empty origin, the size in decimal without leading zeros (fits in 63
// bits, as Go's tlog uses int64), exactly 32 root bytes in canonical padded base64, and non-empty
// extension lines.
// Errors: InvalidArgument "checkpoint line N: field 'x': expected ..., got ...".
// Thread safety: a plain value.
#ifndef TALLY_TLOG_CHECKPOINT_H_
#define TALLY_TLOG_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/merkle/hash.h"

namespace tally::tlog {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  merkle::Hash root{};
  std::vector<std::string> extensions;

  std::string Format() const;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

Result<Checkpoint> ParseCheckpoint(std::string_view text);

// Parses a decimal uint64 without sign, leading zeros or overflow; `max` bounds the value.
Result<uint64_t> ParseDecimal(std::string_view text, std::string_view where, std::string_view field,
                              uint64_t max = ~uint64_t{0});

}  // namespace tally::tlog

#endif  // TALLY_TLOG_CHECKPOINT_H_
