#include "tally/tlog/durable_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "tally/base/file.h"

namespace tally::tlog {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  const int e = errno;
  std::string m = path + ": " + what + ": " + std::strerror(e);
  if (e == EACCES || e == EPERM) return PermissionDenied(m);
  if (e == ENOENT) return NotFound(m);
  return IoError(m);
}

std::string Parent(const std::string& p) {
  auto parent = std::filesystem::path(p).parent_path().string();
  return parent.empty() ? "." : parent;
}

Status WriteAndSync(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", path);
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("cannot write", path);
      ::close(fd);
      return s;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fdatasync(fd) != 0) {
    Status s = Errno("cannot fsync", path);
    ::close(fd);
    return s;
  }
  ::close(fd);
  return Status::Ok();
}

}  // namespace

Status DurableFiles::EnsureDirectory(const std::string& dir, std::set<std::string>& to_sync) {
  if (known_dirs_.count(dir) != 0) return Status::Ok();
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    known_dirs_.insert(dir);
    return Status::Ok();
  }
  const std::string parent = Parent(dir);
  if (parent != dir) TALLY_RETURN_IF_ERROR(EnsureDirectory(parent, to_sync));
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return Errno("cannot create", dir);
  to_sync.insert(parent);  // the new directory's entry must reach the disk too
  known_dirs_.insert(dir);
  return Status::Ok();
}

// Runs fn(i) for i in [0, n) on up to 16 threads; returns the first error.
template <typename Fn>
Status ParallelFor(size_t n, Fn&& fn) {
  if (n == 0) return Status::Ok();
  if (n == 1) return fn(0);
  std::atomic<size_t> next{0};
  std::vector<Status> errors(n);
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) errors[i] = fn(i);
  };
  std::vector<std::thread> pool;
  const size_t threads = std::min<size_t>(n, 16);
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  for (auto& e : errors) {
    if (!e.ok()) return e;
  }
  return Status::Ok();
}

std::string DurableFiles::TempPath(size_t i) const {
  return temp_dir_ + "/" + std::to_string(i) + ".tmp";
}

Status DurableFiles::Commit(const std::string& publish_path, const std::string& publish_content) {
  if (!publish_path.empty()) files_.emplace_back(publish_path, publish_content);
  std::set<std::string> dirs;
  for (const auto& f : files_) TALLY_RETURN_IF_ERROR(EnsureDirectory(Parent(f.first), dirs));
  // Round 1: every file's content, durable under a temporary name.
  TALLY_RETURN_IF_ERROR(ParallelFor(
      files_.size(), [&](size_t i) { return WriteAndSync(TempPath(i), files_[i].second); }));
  const size_t tiles = publish_path.empty() ? files_.size() : files_.size() - 1;
  for (size_t i = 0; i < tiles; ++i) {
    const std::string& path = files_[i].first;
    if (::rename(TempPath(i).c_str(), path.c_str()) != 0) {
      return Errno("cannot rename into place", path);
    }
    dirs.insert(Parent(path));
  }
  // Round 2: the directory entries of the renamed files (and of new directories).
  std::vector<std::string> dir_list(dirs.begin(), dirs.end());
  TALLY_RETURN_IF_ERROR(
      ParallelFor(dir_list.size(), [&](size_t i) { return SyncDirectory(dir_list[i]); }));
  // Round 3: publish.
  if (!publish_path.empty()) {
    if (::rename(TempPath(files_.size() - 1).c_str(), publish_path.c_str()) != 0) {
      return Errno("cannot rename into place", publish_path);
    }
    TALLY_RETURN_IF_ERROR(SyncDirectory(Parent(publish_path)));
  }
  files_.clear();
  return Status::Ok();
}

}  // namespace tally::tlog
