// TreatyClock: the time a party's node dates its own entries by (notifications, inspection steps,
// the entries of POST /api/entries). It lives in memory: after a restart the operator sets it
// again, and the log's own order (no entry before its latest) still holds. A node in service reads
// the wall clock. A node in an exercise runs in treaty time
// (`tallyd --clock operator`, docs/exercise.md): its operator sets the time, forward only, and the
// node dates nothing before the first setting. The operator of a party's node is that party, which
// controls its own clock anyway; what the regime relies on is that time never goes back in a log
// and that the other nodes and the witnesses see each checkpoint when they see it. The transport
// (RFC 9421 signature windows, cosignature timestamps) always runs on the wall clock.
//
//   GET  /api/clock   {"mode":"wall"|"operator","now":<seconds since the epoch>|null}
//   POST /api/clock   {"now":<seconds>}  operator only (bearer token), operator mode only:
//                     409 in wall mode or for a time before the clock's; 400 for another body
// Thread safety: all members may be called concurrently.
#ifndef TALLY_NODE_TREATY_CLOCK_H_
#define TALLY_NODE_TREATY_CLOCK_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/server/router.h"

namespace tally::node {

class TreatyClock {
 public:
  enum class Mode { kWall, kOperator };
  // "wall" or "operator"; InvalidArgument naming `field` otherwise.
  static Result<Mode> ParseMode(std::string_view text, std::string_view field);
  static std::string_view ModeName(Mode mode);

  explicit TreatyClock(Mode mode) : mode_(mode) {}
  Mode mode() const { return mode_; }

  // Seconds since the epoch. FailedPrecondition in operator mode before the first Set.
  Result<int64_t> Now() const;
  // Operator mode only (FailedPrecondition otherwise); a time before the clock's is refused
  // (FailedPrecondition): entries already dated later would otherwise be followed by earlier ones.
  Status Set(int64_t seconds);

  // GET and POST /api/clock; `token` is the operator's bearer token (party_api.h).
  void AddRoutes(server::Router& router, const std::string& token);

 private:
  static constexpr int64_t kUnset = INT64_MIN;
  const Mode mode_;
  std::atomic<int64_t> now_{kUnset};
};

}  // namespace tally::node

#endif  // TALLY_NODE_TREATY_CLOCK_H_
