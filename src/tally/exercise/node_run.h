// NodeRun: a treaty year carried by the parties' nodes, each a separate `tallyd` process on
// loopback. The year's decisions are made as in process (treaty_year.h: the same library calls,
// secrets drawn from the seed, so that both modes log byte-identical entries); then every entry
// goes to its own party's node in treaty-time order, a week of treaty time per append (POST
// /api/entries, node/entry_api.h), each node checking it against its log's rules and its treaty
// clock (`--clock operator`),
// and every partner-only document (opening bundles, findings) travels from its owner's node to
// the partner's, signed (RFC 9421). Each node mirrors and verifies the others' logs (and its
// witness cosigns them). At the end each node replays every inspection it took part in from only
// what it holds — its own log, its verified mirror, its inbox — through GET /api/inspections/<id>,
// and the run checks that every node reaches the verdict the in-process replay reached, that the
// logs the nodes hold are byte for byte the in-process logs, and that no node raised an alarm.
//
// With `witness`, a third party's witness-only node follows and cosigns every log; with
// `forked_log`, the cheater's node shows its partner a split view at the end (ForkOutcome).
//
// With `chaos`, one node is killed with SIGKILL while an append is in flight, restarted from its
// directory, and the run resumes from the size the node's log reports (nothing acknowledged may
// be lost, nothing appended twice); the report says when and what it found.
//
// Directory: DIR/network.toml (pinning every node's keys and URL), DIR/<PARTY>/ (a node
// directory, docs/formats/node.md; private/ 0700). DIR must not exist or be empty.
// Errors: FailedPrecondition (DIR not empty, a node that does not start: its last log line),
// Unavailable (a node that stops answering for good), IoError.
// Thread safety: reentrant on distinct directories.
#ifndef TALLY_EXERCISE_NODE_RUN_H_
#define TALLY_EXERCISE_NODE_RUN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/exercise/treaty_year.h"

namespace tally::exercise {

struct NodeRunOptions {
  std::string dir;       // where the network file and node directories go
  std::string tallyd;    // the tallyd binary
  bool chaos = false;    // kill one node mid-append and resume
  bool witness = false;  // a third party's witness-only node (DIR/witness) follows every log
  // A party whose node shows its partner a fork at the end ("" none); needs the witness.
  std::string forked_log;
  int poll_ms = 50;  // how often each node polls the others' logs
};

struct NodeReport {
  std::string party, dir, url;
  uint64_t entries = 0;           // the size of its log at the end
  uint64_t requests = 0;          // appends sent to it (batches)
  uint64_t documents_sent = 0;    // partner-only documents it delivered
  bool log_identical = false;     // its log's entries are the in-process log's, byte for byte
  bool mirrors_complete = false;  // it verified every other party's log to its full size
  uint64_t alarms = 0;
  bool alarms_read = false;    // GET /alarms answered (unread fails the run)
  bool expects_alarm = false;  // the partner a fork is shown to
  int restarts = 0;
  int exit_code = -1;  // of its SIGTERM stop at the end (0: drained cleanly)
};

struct VerdictCheck {
  std::string inspection, party;  // the node that replayed it
  std::string expected, got;      // the in-process verdict, the node's
};

// The forked-log cheat as staged: the cheater's node appends one entry, which the witness sees,
// and shows its partner a copy of its log with another entry in its place (same key, same prefix,
// same size); the partner's node, comparing what it was shown with the witness's view, raises a
// fork alarm carrying both signed checkpoints.
struct ForkOutcome {
  std::string cheater, partner;
  uint64_t size = 0;         // the size at which the two checkpoints differ
  bool witness_saw = false;  // the witness verified the real checkpoint of that size
  bool caught = false;       // the partner's node holds a fork alarm with both checkpoints
  std::string alarm;         // its detail, or what went wrong
  double seconds = 0;        // from showing the fork to the alarm
};

struct NodeRunResult {
  std::string network_file;
  std::vector<NodeReport> nodes;
  std::optional<NodeReport> witness;  // with options.witness
  std::optional<ForkOutcome> fork;    // with options.forked_log
  uint64_t verdicts_checked = 0;
  uint64_t verdicts_expected = 0;           // each inspection, by each party's node that took part
  std::vector<VerdictCheck> disagreements;  // every node verdict that differs
  std::vector<std::string> events;          // what happened (chaos)
  double publish_seconds = 0, settle_seconds = 0, total_seconds = 0;

  // Logs identical, mirrors complete, verdicts agree, clean stops, no alarm but the expected one,
  // and a staged fork caught.
  bool ok() const;
};

// `run` is the in-process year of `options` (RunTreatyYear).
Result<NodeRunResult> RunOnNodes(const TreatyYearRun& run, const TreatyYearOptions& options,
                                 const inspection::TreatyLookup& treaties,
                                 const NodeRunOptions& node_options);

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_NODE_RUN_H_
