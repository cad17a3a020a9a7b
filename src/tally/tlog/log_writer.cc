#include "tally/tlog/log_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/tlog/durable_files.h"
#include "tally/tlog/key_file.h"
#include "tally/tlog/tile.h"
#include "tally/tlog/tile_reader.h"

namespace tally::tlog {

LogLocation LogLocation::ForDirectory(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  LogLocation l;
  l.private_dir = dir + ".private";
  l.dir = std::move(dir);
  return l;
}

namespace {

Status MakePrivateDirectory(const std::string& path) {
  TALLY_RETURN_IF_ERROR(MakeDirectories(path));
  if (::chmod(path.c_str(), 0700) != 0) {
    return IoError(path + ": cannot chmod 0700: " + std::strerror(errno));
  }
  return Status::Ok();
}

// The writer renames from PRIVATE/tmp into DIR: both must be on one file system.
Status SameFileSystem(const LogLocation& l) {
  struct stat a {
  }, b{};
  if (::stat(l.dir.c_str(), &a) != 0) return IoError(l.dir + ": " + std::strerror(errno));
  if (::stat(l.private_dir.c_str(), &b) != 0) {
    return IoError(l.private_dir + ": " + std::strerror(errno));
  }
  if (a.st_dev != b.st_dev) {
    return FailedPrecondition(l.private_dir + " and " + l.dir +
                              " are on different file systems; the log's private directory "
                              "must be on the same one as its served directory");
  }
  return Status::Ok();
}

// What a killed append left behind: never part of a checkpoint.
void RemoveTemporaryFiles(const std::string& tmp) {
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(tmp, ec)) {
    std::filesystem::remove_all(f.path(), ec);
  }
}

}  // namespace

Result<std::string> LogWriter::Init(const std::string& dir, const std::string& origin,
                                    crypto::RandomSource& random) {
  return Init(LogLocation::ForDirectory(dir), origin, random);
}

Result<std::unique_ptr<LogWriter>> LogWriter::Open(const std::string& dir) {
  return Open(LogLocation::ForDirectory(dir));
}

Result<std::string> LogWriter::Init(const LogLocation& where, const std::string& origin,
                                    crypto::RandomSource& random) {
  const std::string& dir = where.dir;
  if (origin.empty() || origin.find('\n') != std::string::npos) {
    return FieldError("log init", "origin", "a non-empty single line", "\"" + origin + "\"");
  }
  if (where.dir.empty() || where.private_dir.empty() || where.dir == where.private_dir) {
    return InvalidArgument("log init: the served and the private directory must differ");
  }
  if (FileExists(LogPaths::Checkpoint(dir)) || FileExists(LogPaths::SignerKey(where))) {
    return AlreadyExists(dir + ": already holds a log; refusing to overwrite its key");
  }
  TALLY_ASSIGN_OR_RETURN(auto signer, Ed25519NoteSigner::Generate(origin, random));
  TALLY_RETURN_IF_ERROR(MakeDirectories(dir + "/tile"));
  TALLY_RETURN_IF_ERROR(MakePrivateDirectory(where.private_dir));
  TALLY_RETURN_IF_ERROR(MakePrivateDirectory(LogPaths::Temp(where)));
  TALLY_RETURN_IF_ERROR(SameFileSystem(where));
  TALLY_RETURN_IF_ERROR(WriteSecretKeyFile(LogPaths::SignerKey(where), signer->SignerKey()));
  const std::string vkey = signer->VerifierKey();
  Checkpoint c{origin, 0, merkle::EmptyRoot(), {}};
  const NoteSigner* signers[] = {signer.get()};
  TALLY_ASSIGN_OR_RETURN(std::string note, SignNote(c.Format(), signers));
  DurableFiles files(LogPaths::Temp(where));
  files.Add(LogPaths::VerifierKey(dir), vkey + "\n");
  TALLY_RETURN_IF_ERROR(files.Commit(LogPaths::Checkpoint(dir), note));
  return vkey;
}

LogWriter::~LogWriter() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Result<std::unique_ptr<LogWriter>> LogWriter::Open(const LogLocation& where) {
  const std::string& dir = where.dir;
  std::unique_ptr<LogWriter> w(new LogWriter());
  w->where_ = where;
  w->dir_ = dir;
  if (!FileExists(LogPaths::Checkpoint(dir))) {
    return NotFound(dir + ": no log here (no checkpoint); create one with tally log init");
  }
  if (!FileExists(LogPaths::SignerKey(where))) {
    if (FileExists(dir + "/private/log.key")) {
      return FailedPrecondition(dir +
                                "/private holds this log's key inside the served tree (an older "
                                "layout); move it out of what is served: mv " +
                                dir + "/private " + where.private_dir);
    }
    return NotFound(LogPaths::SignerKey(where) +
                    ": no signing key; only the log's owner can append to it");
  }
  const std::string lock = LogPaths::Lock(where);
  w->lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (w->lock_fd_ < 0) {
    return IoError(lock + ": cannot open: " + std::strerror(errno));
  }
  while (::flock(w->lock_fd_, LOCK_EX) != 0) {
    if (errno != EINTR) return IoError(lock + ": cannot lock: " + std::strerror(errno));
  }
  TALLY_RETURN_IF_ERROR(MakePrivateDirectory(LogPaths::Temp(where)));
  RemoveTemporaryFiles(LogPaths::Temp(where));
  TALLY_ASSIGN_OR_RETURN(auto skey, ReadSecretKeyFile(LogPaths::SignerKey(where)));
  auto signer = Ed25519NoteSigner::FromSignerKey(crypto::AsText(skey.bytes()));
  if (!signer.ok()) return signer.error().WithContext(LogPaths::SignerKey(where));
  w->signer_ = std::move(*signer);
  TALLY_ASSIGN_OR_RETURN(w->checkpoint_note_, ReadFile(LogPaths::Checkpoint(dir)));
  TALLY_ASSIGN_OR_RETURN(auto verifier, ParseVerifierKey(w->signer_->VerifierKey()));
  const NoteVerifier* known[] = {verifier.get()};
  auto opened = OpenNote(w->checkpoint_note_, known);
  if (!opened.ok()) return DataLoss(LogPaths::Checkpoint(dir) + ": " + opened.error().message());
  auto cp = ParseCheckpoint(opened->note.text);
  if (!cp.ok()) return DataLoss(LogPaths::Checkpoint(dir) + ": " + cp.error().message());
  w->checkpoint_ = *cp;
  TALLY_RETURN_IF_ERROR(w->LoadRightEdge());
  TALLY_RETURN_IF_ERROR(w->FindLatestTypedTime());
  return w;
}

// Reads backwards from the right edge to the last typed entry: usually the very last entry.
Status LogWriter::FindLatestTypedTime() {
  const auto time_of = [](const std::string& bytes) -> std::optional<int64_t> {
    if (!LooksTyped(bytes)) return std::nullopt;
    auto e = DecodeEntry(bytes);
    if (!e.ok()) return std::nullopt;
    return e->time;
  };
  for (auto it = partial_entries_.rbegin(); it != partial_entries_.rend(); ++it) {
    if ((latest_typed_time_ = time_of(*it))) return Status::Ok();
  }
  const uint64_t full_bundles = range_.size() / kTileWidth;
  if (full_bundles == 0) return Status::Ok();
  TileReader reader(dir_, range_.size(), /*strict=*/false);
  for (uint64_t b = full_bundles; b-- > 0;) {
    TALLY_ASSIGN_OR_RETURN(auto bundle, reader.ReadEntries(b));
    for (auto it = bundle.rbegin(); it != bundle.rend(); ++it) {
      if ((latest_typed_time_ = time_of(*it))) return Status::Ok();
    }
  }
  return Status::Ok();
}

Status LogWriter::LoadRightEdge() {
  const uint64_t size = checkpoint_.size;
  // Lenient: a killed append may have written the wider tiles (and pruned the partial ones) before
  // the checkpoint; the root check below decides, so the prefix of a wider tile serves.
  TileReader reader(dir_, size, /*strict=*/false);
  std::vector<merkle::NodeId> ids;
  merkle::RangeNodes(0, size, ids);
  std::vector<merkle::Hash> subtrees(ids.size());
  TALLY_RETURN_IF_ERROR(reader.ReadHashes(ids, subtrees));
  TALLY_ASSIGN_OR_RETURN(range_, merkle::CompactRange::FromSubtrees(size, subtrees));
  if (range_.Root() != checkpoint_.root) {
    return DataLoss(dir_ + ": the tiles do not reproduce the checkpoint's root for size " +
                    std::to_string(size) + "; run tally log monitor to find the damage");
  }
  partial_tiles_.assign(8, {});
  for (int level = 0; level < 8; ++level) {
    const uint64_t count = size >> (kTileHeight * level);
    if (count % kTileWidth == 0) continue;
    TALLY_ASSIGN_OR_RETURN(partial_tiles_[level], reader.ReadTile(level, count / kTileWidth));
  }
  partial_entries_.clear();
  if (size % kTileWidth != 0) {
    TALLY_ASSIGN_OR_RETURN(partial_entries_, reader.ReadEntries(size / kTileWidth));
    for (size_t i = 0; i < partial_entries_.size(); ++i) {
      if (merkle::LeafHash(partial_entries_[i]) != partial_tiles_[0][i]) {
        return DataLoss(TilePath({kEntriesLevel, size / kTileWidth, static_cast<int>(size % 256)}) +
                        ": entry " + std::to_string(i) + " does not match its leaf hash");
      }
    }
  }
  return Status::Ok();
}

Result<uint64_t> LogWriter::Append(std::span<const std::string> entries) {
  if (broken_) {
    return FailedPrecondition(dir_ + ": an earlier append failed; reopen the log before appending");
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].size() > kMaxEntrySize) {
      return FieldError("entry " + std::to_string(i), "size", "at most 65535 bytes",
                        std::to_string(entries[i].size()) + " bytes");
    }
  }
  const uint64_t first = range_.size();
  if (entries.empty()) return first;
  broken_ = true;  // until the batch is committed
  DurableFiles files(LogPaths::Temp(where_));
  std::vector<std::pair<int, uint64_t>> written;  // (level, index) of tiles written
  for (const std::string& e : entries) {
    const uint64_t n = range_.size();
    range_.Append(merkle::LeafHash(e), [&](merkle::NodeId id, const merkle::Hash& h) {
      if (id.level % kTileHeight != 0) return;
      const int level = id.level / kTileHeight;
      auto& tile = partial_tiles_[static_cast<size_t>(level)];
      tile.push_back(h);
      if (tile.size() == kTileWidth) {
        const uint64_t index = id.index / kTileWidth;
        files.Add(dir_ + "/" + TilePath({level, index, 256}), EncodeHashTile(tile));
        written.emplace_back(level, index);
        tile.clear();
      }
    });
    partial_entries_.push_back(e);
    if (partial_entries_.size() == kTileWidth) {
      files.Add(dir_ + "/" + TilePath({kEntriesLevel, n / kTileWidth, 256}),
                EncodeEntryBundle(partial_entries_));
      written.emplace_back(kEntriesLevel, n / kTileWidth);
      partial_entries_.clear();
    }
  }
  const uint64_t size = range_.size();
  for (int level = 0; level < 8; ++level) {
    const auto& tile = partial_tiles_[static_cast<size_t>(level)];
    const uint64_t count = size >> (kTileHeight * level);
    const uint64_t old_count = first >> (kTileHeight * level);
    if (tile.empty() || count == old_count) continue;
    const uint64_t index = count / kTileWidth;
    files.Add(dir_ + "/" + TilePath({level, index, static_cast<int>(tile.size())}),
              EncodeHashTile(tile));
    written.emplace_back(level, index);
  }
  if (!partial_entries_.empty()) {
    files.Add(
        dir_ + "/" +
            TilePath({kEntriesLevel, size / kTileWidth, static_cast<int>(partial_entries_.size())}),
        EncodeEntryBundle(partial_entries_));
    written.emplace_back(kEntriesLevel, size / kTileWidth);
  }
  Checkpoint next_checkpoint = checkpoint_;
  next_checkpoint.size = size;
  next_checkpoint.root = range_.Root();
  const NoteSigner* signers[] = {signer_.get()};
  TALLY_ASSIGN_OR_RETURN(std::string note, SignNote(next_checkpoint.Format(), signers));
  TALLY_RETURN_IF_ERROR(files.Commit(LogPaths::Checkpoint(dir_), note));
  checkpoint_ = std::move(next_checkpoint);
  checkpoint_note_ = std::move(note);
  broken_ = false;
  PruneSupersededPartials(written);
  return first;
}

Result<uint64_t> LogWriter::AppendTyped(std::span<const Entry> entries) {
  std::vector<std::string> encoded;
  encoded.reserve(entries.size());
  std::optional<int64_t> latest = latest_typed_time_;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (latest && entries[i].time < *latest) {
      return FailedPrecondition(
          "entry " + std::to_string(i) + ": dated " + std::to_string(entries[i].time) +
          " s, before the latest entry of " + dir_ + " (" + std::to_string(*latest) +
          " s); within a log time never goes back, so nothing was written");
    }
    latest = entries[i].time;
    auto e = EncodeEntry(entries[i]);
    if (!e.ok()) return e.error().WithContext("entry " + std::to_string(i));
    encoded.push_back(std::move(*e));
  }
  TALLY_ASSIGN_OR_RETURN(uint64_t first, Append(encoded));
  if (!entries.empty()) latest_typed_time_ = latest;
  return first;
}

// Removes partial tiles narrower than the one the new checkpoint uses. Only after the checkpoint
// is durable: until then the previous checkpoint still needs them. Best effort: a leftover
// partial is harmless.
void LogWriter::PruneSupersededPartials(const std::vector<std::pair<int, uint64_t>>& tiles) {
  const uint64_t size = range_.size();
  for (const auto& [level, index] : tiles) {
    const int keep = TileWidthAt(level == kEntriesLevel ? 0 : level, index, size);
    const std::string pdir = dir_ + "/" + TilePath({level, index, 256}) + ".p";
    std::error_code ec;
    if (!std::filesystem::exists(pdir, ec)) continue;
    for (const auto& f : std::filesystem::directory_iterator(pdir, ec)) {
      auto w = ParseDecimal(f.path().filename().string(), "tile", "width", 255);
      if (w.ok() && static_cast<int>(*w) < keep) std::filesystem::remove(f.path(), ec);
    }
    if (keep == 256) std::filesystem::remove(pdir, ec);  // only if now empty
  }
}

}  // namespace tally::tlog
