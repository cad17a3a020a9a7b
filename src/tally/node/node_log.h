// Where a node keeps its own log: the served tree NODE/log and its private directory
// NODE/log.private (key, lock, temporary files; the CLI's default for NODE/log, so that
// `tally log append NODE/log` writes the node's log), so that a static server pointed at NODE/log
// publishes nothing secret. The one place that maps a node directory onto tlog::LogWriter.
// Errors: as tlog::LogWriter.
#ifndef TALLY_NODE_NODE_LOG_H_
#define TALLY_NODE_NODE_LOG_H_

#include <memory>
#include <string>

#include "tally/crypto/random.h"
#include "tally/node/node_config.h"
#include "tally/tlog/log_writer.h"

namespace tally::node {

Result<std::string> InitNodeLog(const NodeLayout& layout, const std::string& origin,
                                crypto::RandomSource& random);
Result<std::unique_ptr<tlog::LogWriter>> OpenNodeLog(const NodeLayout& layout);

}  // namespace tally::node

#endif  // TALLY_NODE_NODE_LOG_H_
