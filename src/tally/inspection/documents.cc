#include "tally/inspection/documents.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"

namespace tally::inspection {

struct Documents::Archive {
  std::string dir;
  bool temporary = false;
  ~Archive() {
    if (!temporary) return;
    std::error_code ignored;  // a destructor has no one to tell; the directory is under TMPDIR
    std::filesystem::remove_all(dir, ignored);
  }
  std::string PathOf(const Hash32& sha256) const {
    return dir + "/" + crypto::HexEncode(sha256) + ".json";
  }
};

namespace {

Status SystemError(const std::string& what, const std::string& path) {
  return Internal(what + " " + path + ": " + std::strerror(errno));
}

// A working copy: written to a temporary name and renamed, so a reader never sees half a file,
// but not synced (the run's durable record is written by whoever keeps it).
Status WriteScratchFile(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  // A file left by an interrupted run, or a link planted in a shared directory, is removed, never
  // written through.
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return SystemError("cannot create", tmp);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = SystemError("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    Status s = SystemError("cannot close", tmp);
    ::unlink(tmp.c_str());
    return s;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = SystemError("cannot rename", tmp);
    ::unlink(tmp.c_str());
    return s;
  }
  return Status::Ok();
}

}  // namespace

Hash32 Documents::Add(std::string bytes) {
  const Hash32 h = crypto::Sha256Of(bytes);
  Add(std::move(bytes), h);
  return h;
}

void Documents::Add(std::string bytes, const Hash32& sha256) {
  // The first bytes held under a hash stay: a later Add cannot replace them.
  if (!archived_.count(sha256)) {
    held_.try_emplace(sha256, std::make_shared<const std::string>(std::move(bytes)));
  }
}

std::shared_ptr<const std::string> Documents::Find(const Hash32& sha256) const {
  if (auto it = held_.find(sha256); it != held_.end()) return it->second;
  if (!archive_ || !archived_.count(sha256)) return nullptr;
  auto bytes = ReadFile(archive_->PathOf(sha256));
  if (!bytes.ok() || crypto::Sha256Of(*bytes) != sha256) return nullptr;
  return std::make_shared<const std::string>(*std::move(bytes));
}

bool Documents::Contains(const Hash32& sha256) const {
  return held_.count(sha256) > 0 || archived_.count(sha256) > 0;
}

std::vector<Hash32> Documents::Hashes() const {
  std::vector<Hash32> out;
  out.reserve(size());
  for (const auto& [h, bytes] : held_) out.push_back(h);
  out.insert(out.end(), archived_.begin(), archived_.end());
  std::sort(out.begin(), out.end());
  return out;
}

Status Documents::ArchiveTo(const std::string& dir) {
  if (archive_) return FailedPrecondition("the documents already have an archive");
  auto archive = std::make_shared<Archive>();
  if (dir.empty()) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/tally-documents-XXXXXX";
    if (!::mkdtemp(pattern.data())) return SystemError("cannot create a directory like", pattern);
    archive->dir = pattern;
    archive->temporary = true;
  } else {
    TALLY_RETURN_IF_ERROR(MakeDirectories(dir));
    archive->dir = dir;
  }
  archive_ = std::move(archive);
  return Status::Ok();
}

Status Documents::ArchiveHeld() {
  if (!archive_) return FailedPrecondition("the documents have no archive");
  for (auto it = held_.begin(); it != held_.end();) {
    TALLY_RETURN_IF_ERROR(WriteScratchFile(archive_->PathOf(it->first), *it->second));
    archived_.insert(it->first);
    it = held_.erase(it);
  }
  return Status::Ok();
}

const std::string& Documents::archive_dir() const {
  static const std::string kNone;
  return archive_ ? archive_->dir : kNone;
}

}  // namespace tally::inspection
