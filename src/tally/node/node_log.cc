#include "tally/node/node_log.h"

namespace tally::node {

Result<std::string> InitNodeLog(const NodeLayout& layout, const std::string& origin,
                                crypto::RandomSource& random) {
  return tlog::LogWriter::Init(tlog::LogLocation::ForDirectory(layout.Log()), origin, random);
}

Result<std::unique_ptr<tlog::LogWriter>> OpenNodeLog(const NodeLayout& layout) {
  return tlog::LogWriter::Open(tlog::LogLocation::ForDirectory(layout.Log()));
}

}  // namespace tally::node
