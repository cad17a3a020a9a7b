// The regime behind the dashboard's Log and Inspections pages: the network's public keys, each
// party's log as its tlog-tiles files, and the inspections replayed from the logs with the
// documents the parties handed each other.
//
// AddRegimeDocuments reads the network file, reads and verifies every log under it (one per
// party: inspection::ReadPartyLog), loads every file of the document folders, and adds to `docs`:
//   /api/regime.json        {network, treaty, cosignatures (k), logs: [{party, origin, key, base,
//                           size, witnesses: [{name, key}]}]} (keys are vkey text, as in the
//                           network file; `base` is where the log's tlog-tiles files are, relative
//                           to the dashboard: "logs/<party>/")
//   /api/inspections.json   inspection::OverviewJson of the network's treaty (new-start when it
//                           names none), replayed as of the latest entry on the logs
//   /logs/<party>/checkpoint, /logs/<party>/tile/...   the verified checkpoint and exactly the
//                           tiles and entry bundles its tree has (c2sp.org/tlog-tiles paths)
// It serves what the logs make public and what a record shows (inspection/record_json.h); the
// documents themselves (bundles carry salts; findings are partner-only) are never served.
// Errors: those of the network file, of a log that does not verify (named by its directory), of
// a document folder that cannot be read, and InvalidArgument for two logs of one party.
// The files are read once: the documents are a snapshot of the logs at start.
#ifndef TALLY_DASHBOARD_REGIME_DATA_H_
#define TALLY_DASHBOARD_REGIME_DATA_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/dashboard/routes.h"
#include "tally/network/network.h"

namespace tally::dashboard {

struct RegimeInputs {
  std::string network;                 // the network file
  std::vector<std::string> logs;       // log directories, one per party
  std::vector<std::string> documents;  // folders of handed-over documents
};

Status AddRegimeDocuments(const RegimeInputs& inputs, DashboardDocuments& docs);

// The body of /api/regime.json: the parties of `net` that have an entry in `base` (party -> the
// folder of its tlog-tiles files, relative to the dashboard: "" for a node's own log at /,
// "logs/<party>/" otherwise), in the network's order, with `sizes` where known (a node's logs
// grow, so it gives none: the page reads each checkpoint's size).
std::string RegimeJson(const network::Network& net, const std::map<std::string, std::string>& base,
                       const std::map<std::string, uint64_t>& sizes);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_REGIME_DATA_H_
