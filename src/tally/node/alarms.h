// Alarms: what a node raises when it holds proof that a log misbehaved. Today one kind: a fork,
// two checkpoints of one log, each validly signed by its log key, that no consistency proof
// joins (two roots for one size, or a tree that does not extend an earlier one), seen by this
// node's mirror, its witness, or in another node's view. The alarm carries both signed notes, so
// that anyone holding the network file can check it without trusting the node.
//
// Stored as NODE/alarms/<16 hex>.json (docs/formats/node.md), one file per distinct pair, written
// atomically; served at GET /alarms; `tally node status` exits 1 when there is one.
// Errors: IoError from the file system; DataLoss for an alarm file that does not parse.
// Thread safety: Raise and List may be called from several threads.
#ifndef TALLY_NODE_ALARMS_H_
#define TALLY_NODE_ALARMS_H_

#include <mutex>
#include <string>
#include <vector>

#include "tally/base/result.h"

namespace tally::node {

struct Alarm {
  std::string kind = "fork";
  std::string origin;
  std::string detail;                    // what did not check
  std::string seen_by;                   // "mirror", "witness", "view of <party>"
  std::vector<std::string> checkpoints;  // the two signed checkpoint notes
  uint64_t time = 0;                     // seconds since the epoch, when first raised
};

class AlarmBook {
 public:
  explicit AlarmBook(std::string dir) : dir_(std::move(dir)) {}
  // Stores the alarm unless the same pair of checkpoints was raised before; returns its path.
  Result<std::string> Raise(const Alarm& alarm);
  Result<std::vector<Alarm>> List() const;
  static std::string ToJson(const std::vector<Alarm>& alarms);

 private:
  std::string dir_;
  mutable std::mutex mu_;
};

}  // namespace tally::node

#endif  // TALLY_NODE_ALARMS_H_
