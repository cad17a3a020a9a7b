// Mirror: follows the other parties' logs over HTTP and keeps a verified copy of each, from which
// replays run; checks what other nodes saw of the same logs; raises alarms on forks.
//
// Follow(party), each round: GET <url>/checkpoint; keep it only if the party's log key (from the
// network) signed it; fetch the tiles and entry bundles the new tree adds (tlog-tiles paths);
// verify them all with tlog::MonitorLogAt against the last verified state (every entry against its
// leaf hash, every tile against its parent, the root against the checkpoint, the old right edge
// against the new tiles: the new tree extends the old one) and only then store the checkpoint and
// the state. The node's witness then cosigns it (its state moves only along verified trees).
// CheckView(url): GET <url>/view (another node's latest verified checkpoints) and check each
// against this node's mirror (or its own log): same size with another root, or a smaller tree
// whose root a consistency proof from the verified tiles refutes, is a fork. A larger tree is
// checked once the mirror reaches it.
// A fork raises an Alarm carrying both signed checkpoints; tiles that disagree with a checkpoint
// their log signed raise a "bad_tiles" alarm. An unreachable node or an unsigned checkpoint is
// only logged (a party can always go silent; that is not proof of anything).
// Files: NODE/mirrors/<16 hex of SHA-256(origin)>/ checkpoint, tile/..., monitor.state.
// Thread safety: one thread runs the rounds; View may be called from any thread.
#ifndef TALLY_NODE_MIRROR_H_
#define TALLY_NODE_MIRROR_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tally/node/alarms.h"
#include "tally/node/node_config.h"
#include "tally/node/trust.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/http_client.h"
#include "tally/server/logger.h"
#include "tally/tlog/monitor.h"
#include "tally/tlog/witness.h"

namespace tally::node {

struct FollowReport {
  std::string origin;
  uint64_t old_size = 0;
  uint64_t size = 0;
  uint64_t files_fetched = 0;
  bool cosigned = false;
};

// Fetches into `dir` (tlog-tiles layout, each file durable, written via dir/.tmp) every hash tile
// and entry bundle that a tree of `new_size` has beyond a tree of `old_size`, from the log at
// `base_url`. A partial tile the log has pruned meanwhile is cut from its full tile. Nothing
// fetched is trusted: the caller verifies it (tlog::MonitorLogAt). Errors: Unavailable (HTTP
// failure or status).
Status FetchTiles(server::HttpClient& client, const std::string& base_url, const std::string& dir,
                  uint64_t old_size, uint64_t new_size, uint64_t& fetched);

class Mirror {
 public:
  // `self` is this node's party (nullptr for a witness-only node); `witness` may be null.
  Mirror(NodeLayout layout, const Trust& trust, const PartyInfo* self, tlog::Witness* witness,
         AlarmBook& alarms, server::Logger& log, Clock clock);

  // One round: Follow every other party that has a URL, then CheckView every other node.
  void PollOnce();
  Result<FollowReport> Follow(const PartyInfo& party);
  Status CheckView(const std::string& url, const std::string& seen_by);

  // origin -> the latest verified checkpoint note (the mirrors, and this node's own log).
  std::map<std::string, std::string> View() const;
  std::string MirrorDir(const std::string& origin) const;

 private:
  Result<tlog::MonitorState> LoadState(const std::string& origin) const;
  // Checks `note` (signed by origin's key) against the verified tree in `dir` at (size, root).
  void CheckAgainst(const std::string& origin, const std::string& dir, const std::string& held,
                    uint64_t size, const merkle::Hash& root, const std::string& note,
                    const std::string& seen_by);
  void RaiseFork(const std::string& origin, const std::string& kind, const std::string& a,
                 const std::string& b, const std::string& detail, const std::string& seen_by);
  void Cosign(const std::string& origin, const std::string& dir, const std::string& note,
              uint64_t size, FollowReport& report);

  NodeLayout layout_;
  std::string own_witness_;
  const Trust& trust_;
  const PartyInfo* self_;
  tlog::Witness* witness_;
  AlarmBook& alarms_;
  server::Logger& log_;
  Clock clock_;
  server::HttpClient client_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> verified_;                         // origin -> note
  std::map<std::string, std::pair<std::string, std::string>> pending_;  // origin -> (note, seen_by)
};

}  // namespace tally::node

#endif  // TALLY_NODE_MIRROR_H_
