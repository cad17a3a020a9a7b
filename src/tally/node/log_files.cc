#include "tally/node/log_files.h"

#include <sys/stat.h>

#include "tally/base/file.h"
#include "tally/server/problem.h"
#include "tally/tlog/note.h"
#include "tally/tlog/tile.h"

namespace tally::node {
namespace {

constexpr char kImmutable[] = "public, max-age=31536000, immutable";
constexpr char kPartial[] = "public, max-age=3600";

server::HttpResponse NotFoundTile(std::string_view path, std::string_view why) {
  return server::Problem(404, "not_found", std::string(path) + ": " + std::string(why));
}

}  // namespace

Result<LogFiles::Current> LogFiles::Latest() {
  const std::string path = dir_ + "/checkpoint";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return NotFound(path + ": no checkpoint");
  const Stamp stamp{static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
                    static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
  {
    std::lock_guard<std::mutex> lock(cp_mu_);
    if (cp_loaded_ && stamp == cp_stamp_) return cp_;
  }
  TALLY_ASSIGN_OR_RETURN(std::string note, ReadFile(path));
  TALLY_ASSIGN_OR_RETURN(tlog::Note parsed, tlog::ParseNote(note));
  TALLY_ASSIGN_OR_RETURN(tlog::Checkpoint cp, tlog::ParseCheckpoint(parsed.text));
  Current c{std::make_shared<const std::string>(std::move(note)), std::move(cp)};
  std::lock_guard<std::mutex> lock(cp_mu_);
  // Never go back to a smaller tree if two readers race on a rename.
  if (!cp_loaded_ || c.checkpoint.size >= cp_.checkpoint.size) {
    cp_ = c;
    cp_stamp_ = stamp;
    cp_loaded_ = true;
  }
  return cp_;
}

server::HttpResponse LogFiles::Checkpoint() {
  auto cur = Latest();
  if (!cur.ok()) return server::ProblemFor(cur.error());
  server::HttpResponse r;
  r.shared_body = cur->note;
  r.Set("content-type", "text/plain; charset=utf-8");
  r.Set("cache-control", "no-cache");
  return r;
}

server::HttpResponse LogFiles::Tile(std::string_view path) {
  std::string_view rel = path;
  if (rel.starts_with('/')) rel.remove_prefix(1);
  {
    std::shared_lock<std::shared_mutex> lock(cache_mu_);
    if (auto it = cache_.find(std::string(rel)); it != cache_.end()) {
      server::HttpResponse r;
      r.shared_body = it->second;
      r.Set("content-type", "application/octet-stream");
      r.Set("cache-control", kImmutable);
      return r;
    }
  }
  auto id = tlog::ParseTilePath(rel);
  if (!id.ok()) return NotFoundTile(path, "not a tile path");
  auto cur = Latest();
  if (!cur.ok()) return server::ProblemFor(cur.error());
  const int level = id->level == tlog::kEntriesLevel ? 0 : id->level;
  const int covered = tlog::TileWidthAt(level, id->index, cur->checkpoint.size);
  if (id->width > covered) {
    return NotFoundTile(
        path, "not covered by the checkpoint of size " + std::to_string(cur->checkpoint.size));
  }
  auto data = ReadFile(dir_ + "/" + std::string(rel));
  if (!data.ok()) return NotFoundTile(path, "no such tile (a narrower partial tile is pruned)");
  server::HttpResponse r;
  r.Set("content-type", "application/octet-stream");
  if (id->width == 256) {
    r.Set("cache-control", kImmutable);
    auto shared = std::make_shared<const std::string>(std::move(*data));
    r.shared_body = shared;
    std::unique_lock<std::shared_mutex> lock(cache_mu_);
    if (cache_bytes_ + shared->size() <= cache_limit_ &&
        cache_.emplace(std::string(rel), shared).second) {
      cache_bytes_ += shared->size();
    }
  } else {
    r.Set("cache-control", kPartial);
    r.body = std::move(*data);
  }
  return r;
}

}  // namespace tally::node
