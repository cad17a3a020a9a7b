// DurableFiles: writes a set of files so that, once Commit returns, every one of them is on
// stable storage under its final name, each replaced atomically (temporary file, fdatasync,
// rename, then an fsync of every directory touched), and then publishes one last file the same
// way. Temporary files are written in a directory of their own (the log's PRIVATE/tmp, on the
// same file system), never beside their targets: a served tree holds no half-written file. The log
// writes a batch's tiles like this and publishes the checkpoint last, so that a crash at any point
// leaves the previous checkpoint and all the tiles it needs intact. The fsyncs of one round run on
// parallel threads: on this class of machine one fdatasync costs ~5 ms but a dozen concurrent ones
// cost ~3 ms together (the file system batches them). Errors: IoError / PermissionDenied naming the
// path; files already renamed stay (they are never needed by an older checkpoint, so this is safe
// for the log). Thread safety: one object per thread.
#ifndef TALLY_TLOG_DURABLE_FILES_H_
#define TALLY_TLOG_DURABLE_FILES_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tally/base/status.h"

namespace tally::tlog {

class DurableFiles {
 public:
  // `temp_dir` must exist, be on the targets' file system and be private to one writer.
  explicit DurableFiles(std::string temp_dir) : temp_dir_(std::move(temp_dir)) {}
  void Add(std::string path, std::string content) {
    files_.emplace_back(std::move(path), std::move(content));
  }
  bool empty() const { return files_.empty(); }
  // Makes every added file durable, then renames `publish_path` into place (its content written
  // and synced together with the others) and syncs its directory. publish_path may be empty.
  Status Commit(const std::string& publish_path = "", const std::string& publish_content = "");

 private:
  Status EnsureDirectory(const std::string& dir, std::set<std::string>& to_sync);
  std::string TempPath(size_t i) const;
  std::string temp_dir_;
  std::vector<std::pair<std::string, std::string>> files_;
  std::set<std::string> known_dirs_;
};

}  // namespace tally::tlog

#endif  // TALLY_TLOG_DURABLE_FILES_H_
