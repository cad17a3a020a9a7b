// LogFiles: serves a log directory exactly as c2sp.org/tlog-tiles says, so that any stock tlog
// client reads a node as it would read a static server.
//
//   GET /checkpoint                  text/plain; charset=utf-8, Cache-Control: no-cache
//   GET /tile/<L>/<N>                application/octet-stream, public, max-age=31536000, immutable
//   GET /tile/<L>/<N>.p/<W>          application/octet-stream, public, max-age=3600
//   GET /tile/entries/<N>[.p/<W>]    as the hash tiles
// A tile is served only when the current checkpoint covers it (its width is at most the width
// the checkpoint's tree has there): tiles a crashed append left beyond the checkpoint are never
// published, so a full tile once served never changes (and is cached in memory, up to
// `cache_bytes`). Any other path, a non-canonical one (tlog::ParseTilePath) and every path
// outside checkpoint and tile/ get 404: the directory's other files (vkey aside) are not served.
// Thread safety: every method may be called from many threads at once.
#ifndef TALLY_NODE_LOG_FILES_H_
#define TALLY_NODE_LOG_FILES_H_

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tally/server/http_message.h"
#include "tally/tlog/checkpoint.h"

namespace tally::node {

class LogFiles {
 public:
  explicit LogFiles(std::string dir, size_t cache_bytes = 256u << 20)
      : dir_(std::move(dir)), cache_limit_(cache_bytes) {}

  server::HttpResponse Checkpoint();
  // `path` is the request path ("/tile/0/000").
  server::HttpResponse Tile(std::string_view path);
  // The current checkpoint (note and parsed), re-read when the file changed.
  struct Current {
    std::shared_ptr<const std::string> note;
    tlog::Checkpoint checkpoint;
  };
  Result<Current> Latest();

 private:
  std::string dir_;
  size_t cache_limit_;
  std::mutex cp_mu_;
  struct Stamp {
    uint64_t ino = 0, size = 0;
    int64_t mtime_ns = 0;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  } cp_stamp_;
  Current cp_;
  bool cp_loaded_ = false;
  std::shared_mutex cache_mu_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> cache_;
  size_t cache_bytes_ = 0;
};

}  // namespace tally::node

#endif  // TALLY_NODE_LOG_FILES_H_
