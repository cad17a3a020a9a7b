#include "tally/tlog/witness.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/merkle/proof.h"
#include "tally/tlog/key_file.h"
#include "tally/tlog/signed_checkpoint.h"

namespace tally::tlog {
namespace {

constexpr size_t kMaxProofLines = 63;

constexpr std::string_view kJournalHeader = "tally-witness-journal v1\n";
constexpr size_t kRecordOverhead = 1 + 4 + 8;  // 'R', length, checksum

std::string JournalPath(const std::string& dir) { return dir + "/state.journal"; }

void PutU32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string EncodeRecord(std::string_view note) {
  std::string r;
  r.reserve(kRecordOverhead + note.size());
  r.push_back('R');
  PutU32(r, static_cast<uint32_t>(note.size()));
  r.append(note);
  const auto h = crypto::Sha256Of(note);
  r.append(reinterpret_cast<const char*>(h.data()), 8);
  return r;
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path + ": cannot write: " + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// The origin and checkpoint of a note, syntax only (the state is the witness's own).
Result<Checkpoint> CheckpointOfNote(std::string_view note) {
  TALLY_ASSIGN_OR_RETURN(Note n, ParseNote(note));
  return ParseCheckpoint(n.text);
}

}  // namespace

std::string AddCheckpointRequest::Format() const {
  std::string out = "old " + std::to_string(old_size) + "\n";
  for (const auto& h : proof) out += merkle::HashToBase64(h) + "\n";
  out += "\n" + checkpoint_note;
  return out;
}

Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body) {
  AddCheckpointRequest r;
  const size_t nl = body.find('\n');
  if (body.substr(0, 4) != "old " || nl == std::string_view::npos) {
    return InvalidArgument("add-checkpoint request line 1: expected \"old <size>\"");
  }
  TALLY_ASSIGN_OR_RETURN(
      r.old_size, ParseDecimal(body.substr(4, nl - 4), "add-checkpoint request line 1", "old"));
  size_t pos = nl + 1;
  for (size_t line = 2;; ++line) {
    const size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) {
      return InvalidArgument(
          "add-checkpoint request: expected an empty line before the checkpoint");
    }
    const std::string_view text = body.substr(pos, end - pos);
    pos = end + 1;
    if (text.empty()) break;
    if (r.proof.size() == kMaxProofLines) {
      return InvalidArgument("add-checkpoint request: more than 63 proof lines");
    }
    auto h = merkle::HashFromBase64(text, "add-checkpoint request line " + std::to_string(line));
    if (!h.ok()) return h.error();
    r.proof.push_back(*h);
  }
  r.checkpoint_note = std::string(body.substr(pos));
  return r;
}

VerifierKeyring::VerifierKeyring(std::span<const NoteVerifier* const> keys) {
  for (const NoteVerifier* k : keys) {
    if (k->type() == kKeyTypeEd25519) by_origin_.emplace(k->name(), k);
  }
}

const NoteVerifier* VerifierKeyring::LogKey(std::string_view origin) const {
  auto it = by_origin_.find(origin);
  return it == by_origin_.end() ? nullptr : it->second;
}

int AddCheckpointOutcome::HttpStatus() const {
  switch (kind) {
    case Kind::kCosigned:
      return 200;
    case Kind::kUnknownOrigin:
      return 404;
    case Kind::kUntrusted:
      return 403;
    case Kind::kBadRequest:
      return 400;
    case Kind::kConflict:
      return 409;
    case Kind::kInconsistent:
      return 422;
    case Kind::kError:
      return 500;
  }
  return 500;
}

Result<std::string> Witness::Init(const std::string& dir, const std::string& name,
                                  crypto::RandomSource& random) {
  if (FileExists(dir + "/witness.key")) {
    return AlreadyExists(dir + ": already holds a witness key; refusing to overwrite it");
  }
  TALLY_ASSIGN_OR_RETURN(auto signer, CosignatureV1Signer::Generate(name, random));
  TALLY_RETURN_IF_ERROR(MakeDirectories(dir));
  ::chmod(dir.c_str(), 0700);
  TALLY_RETURN_IF_ERROR(WriteSecretKeyFile(dir + "/witness.key", signer->SignerKey()));
  const std::string vkey = signer->VerifierKey();
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(dir + "/vkey", vkey + "\n"));
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(JournalPath(dir), kJournalHeader, 0600));
  return vkey;
}

Result<std::unique_ptr<Witness>> Witness::Open(const std::string& dir) {
  TALLY_ASSIGN_OR_RETURN(auto skey, ReadSecretKeyFile(dir + "/witness.key"));
  auto signer = CosignatureV1Signer::FromSignerKey(crypto::AsText(skey.bytes()));
  if (!signer.ok()) return signer.error().WithContext(dir + "/witness.key");
  std::unique_ptr<Witness> w(new Witness());
  w->dir_ = dir;
  w->signer_ = std::move(*signer);
  const std::string lock = dir + "/lock";
  w->lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (w->lock_fd_ < 0) return IoError(lock + ": cannot open: " + std::strerror(errno));
  while (::flock(w->lock_fd_, LOCK_EX) != 0) {
    if (errno != EINTR) return IoError(lock + ": cannot lock: " + std::strerror(errno));
  }
  TALLY_RETURN_IF_ERROR(w->Load());
  return w;
}

Witness::~Witness() {
  if (journal_fd_ >= 0) ::close(journal_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

// Replays the journal (keeping the last record per origin), drops a torn tail, imports the
// per-origin files of the first witness format (WDIR/state/), and compacts a long journal.
Status Witness::Load() {
  const std::string path = JournalPath(dir_);
  std::string data;
  if (FileExists(path)) {
    TALLY_ASSIGN_OR_RETURN(data, ReadFile(path));
    if (!std::string_view(data).starts_with(kJournalHeader)) {
      return DataLoss(path + ": not a witness journal (bad header)");
    }
  } else {
    data = std::string(kJournalHeader);
    TALLY_RETURN_IF_ERROR(WriteFileAtomic(path, data, 0600));
  }
  size_t pos = kJournalHeader.size();
  while (pos < data.size()) {
    if (data.size() - pos < kRecordOverhead || data[pos] != 'R') break;
    uint32_t n = 0;
    for (int i = 1; i <= 4; ++i) n = (n << 8) | static_cast<uint8_t>(data[pos + i]);
    if (data.size() - pos - kRecordOverhead < n) break;
    const std::string_view note(data.data() + pos + 5, n);
    const auto h = crypto::Sha256Of(note);
    if (std::memcmp(h.data(), data.data() + pos + 5 + n, 8) != 0) break;
    auto cp = CheckpointOfNote(note);
    if (!cp.ok())
      return DataLoss(path + ": record at byte " + std::to_string(pos) + ": " +
                      cp.error().message());
    held_[cp->origin] = Held{*cp, std::string(note)};
    ++journal_records_;
    pos += kRecordOverhead + n;
  }
  journal_fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (journal_fd_ < 0) return IoError(path + ": cannot open: " + std::strerror(errno));
  if (pos < data.size()) {
    // A record torn by a crash: it was never acknowledged, so it is dropped.
    if (::ftruncate(journal_fd_, static_cast<off_t>(pos)) != 0 || ::fdatasync(journal_fd_) != 0) {
      return IoError(path + ": cannot drop a torn record: " + std::strerror(errno));
    }
  }
  const std::string legacy = dir_ + "/state";
  std::error_code ec;
  if (std::filesystem::is_directory(legacy, ec)) {
    for (const auto& e : std::filesystem::directory_iterator(legacy, ec)) {
      TALLY_ASSIGN_OR_RETURN(std::string note, ReadFile(e.path().string()));
      TALLY_ASSIGN_OR_RETURN(Checkpoint cp, CheckpointOfNote(note));
      auto it = held_.find(cp.origin);
      if (it == held_.end() || it->second.checkpoint.size < cp.size) {
        held_[cp.origin] = Held{cp, note};
      }
    }
    TALLY_RETURN_IF_ERROR(Compact());
    std::filesystem::remove_all(legacy, ec);
  } else if (journal_records_ > 4 * held_.size() + 1024) {
    TALLY_RETURN_IF_ERROR(Compact());
  }
  return Status::Ok();
}

Status Witness::Compact() {
  std::string data(kJournalHeader);
  for (const auto& [origin, h] : held_) data += EncodeRecord(h.note);
  const std::string path = JournalPath(dir_);
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(path, data, 0600));
  if (journal_fd_ >= 0) ::close(journal_fd_);
  journal_fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (journal_fd_ < 0) return IoError(path + ": cannot open: " + std::strerror(errno));
  journal_records_ = held_.size();
  return Status::Ok();
}

Status Witness::AppendDurably(std::unique_lock<std::mutex>& lock, const std::string& note) {
  pending_ += EncodeRecord(note);
  ++journal_records_;
  const uint64_t ticket = ++appended_;
  while (durable_ < ticket) {
    if (broken_) {
      return IoError(JournalPath(dir_) + ": an earlier write failed; restart the witness");
    }
    if (syncing_) {
      synced_.wait(lock);
      continue;
    }
    // This caller writes and syncs everything pending, its own record and those of the callers
    // waiting behind it.
    syncing_ = true;
    std::string batch;
    batch.swap(pending_);
    const uint64_t upto = appended_;
    lock.unlock();
    Status s = WriteAll(journal_fd_, batch, JournalPath(dir_));
    if (s.ok() && ::fdatasync(journal_fd_) != 0) {
      s = IoError(JournalPath(dir_) + ": cannot sync: " + std::strerror(errno));
    }
    lock.lock();
    syncing_ = false;
    if (s.ok()) {
      durable_ = upto;
    } else {
      broken_ = true;
    }
    synced_.notify_all();
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<std::optional<std::string>> Witness::Latest(const std::string& origin) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = held_.find(origin);
  if (it == held_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second.note);
}

std::string Witness::SaveEvidence(const std::string& origin, const std::string& held,
                                  const AddCheckpointRequest& request, const std::string& why) {
  std::string doc = "tally witness evidence v1\norigin " + origin + "\nwhy " + why + "\n\n";
  doc += "-- checkpoint cosigned before\n" + held;
  doc += "-- conflicting checkpoint and proof (add-checkpoint request)\n" + request.Format();
  const auto h = crypto::Sha256Of(doc);
  const std::string edir = dir_ + "/evidence";
  const std::string path =
      edir + "/" + crypto::HexEncode(std::span<const uint8_t>(h).first(8)) + ".txt";
  std::error_code ec;
  size_t count = 0;
  for (auto it = std::filesystem::directory_iterator(edir, ec);
       !ec && it != std::filesystem::directory_iterator(); ++it) {
    if (++count >= kMaxEvidence) return "(evidence not kept: " + edir + " is full)";
  }
  if (MakeDirectories(edir).ok() && WriteFileAtomic(path, doc).ok()) return path;
  return "(could not save evidence under " + edir + ")";
}

AddCheckpointOutcome Witness::Add(const AddCheckpointRequest& request, const LogKeyring& logs,
                                  uint64_t timestamp) {
  using Kind = AddCheckpointOutcome::Kind;
  AddCheckpointOutcome out;
  auto refuse = [&out](Kind kind, Status s) {
    out.kind = kind;
    out.status = std::move(s);
    return out;
  };
  auto cp = CheckpointOfNote(request.checkpoint_note);
  if (!cp.ok()) return refuse(Kind::kBadRequest, cp.error().WithContext("witness: checkpoint"));
  out.result.checkpoint = *cp;
  const NoteVerifier* key = logs.LogKey(cp->origin);
  if (!key) {
    return refuse(Kind::kUnknownOrigin, NotFound("witness: unknown origin \"" + cp->origin +
                                                 "\": not a log it witnesses"));
  }
  const NoteVerifier* keys[] = {key};
  auto opened = OpenNote(request.checkpoint_note, keys);
  if (!opened.ok()) {
    return refuse(Kind::kUntrusted,
                  VerificationFailed("witness: the checkpoint has no valid signature by the log "
                                     "key of \"" +
                                     cp->origin + "\": " + opened.error().message()));
  }
  if (request.old_size > cp->size) {
    return refuse(
        Kind::kBadRequest,
        InvalidArgument("witness: old size " + std::to_string(request.old_size) +
                        " is larger than the checkpoint's size " + std::to_string(cp->size)));
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (broken_) {
    return refuse(Kind::kError, IoError(JournalPath(dir_) + ": an earlier write failed"));
  }
  auto it = held_.find(cp->origin);
  const uint64_t held_size = it == held_.end() ? 0 : it->second.checkpoint.size;
  const merkle::Hash held_root =
      it == held_.end() ? merkle::EmptyRoot() : it->second.checkpoint.root;
  out.held_size = held_size;
  if (it != held_.end() && cp->size == held_size && cp->root != held_root) {
    const std::string held_note = it->second.note;
    lock.unlock();
    out.evidence_path = SaveEvidence(cp->origin, held_note, request, "same size, two roots");
    out.held_note = held_note;
    return refuse(
        Kind::kConflict,
        VerificationFailed("witness: fork: \"" + cp->origin +
                           "\" signed two different roots for size " + std::to_string(cp->size) +
                           "; both signed checkpoints are kept in " + out.evidence_path));
  }
  if (request.old_size != held_size) {
    return refuse(
        Kind::kConflict,
        FailedPrecondition("witness: the request is from size " + std::to_string(request.old_size) +
                           " but this witness holds size " + std::to_string(held_size) + " for \"" +
                           cp->origin + "\" (retry with old " + std::to_string(held_size) + ")"));
  }
  if (held_size == 0 || held_size == cp->size) {
    if (!request.proof.empty()) {
      return refuse(Kind::kInconsistent,
                    VerificationFailed("witness: expected an empty proof from size " +
                                       std::to_string(held_size)));
    }
  } else if (Status s =
                 merkle::VerifyConsistency(held_size, cp->size, request.proof, held_root, cp->root);
             !s.ok()) {
    const std::string held_note = it->second.note;
    lock.unlock();
    out.evidence_path = SaveEvidence(cp->origin, held_note, request, s.message());
    out.held_note = held_note;
    return refuse(
        Kind::kInconsistent,
        VerificationFailed("witness: the checkpoint for size " + std::to_string(cp->size) +
                           " is not proven consistent with the cosigned size " +
                           std::to_string(held_size) + " (" + s.message() +
                           "); both signed checkpoints are kept in " + out.evidence_path));
  }
  if (it == held_.end() || cp->size != held_size) {
    held_[cp->origin] = Held{*cp, request.checkpoint_note};
    if (Status s = AppendDurably(lock, request.checkpoint_note); !s.ok()) {
      return refuse(Kind::kError, s);
    }
  }
  lock.unlock();
  auto cosig = signer_->Cosign(opened->note.text, timestamp);
  if (!cosig.ok()) return refuse(Kind::kError, cosig.error());
  out.kind = Kind::kCosigned;
  out.status = Status::Ok();
  out.result = WitnessResult{*cp, *cosig, request.checkpoint_note + cosig->Line()};
  return out;
}

Result<WitnessResult> Witness::AddCheckpoint(const AddCheckpointRequest& request,
                                             std::span<const NoteVerifier* const> log_keys,
                                             uint64_t timestamp) {
  VerifierKeyring keyring(log_keys);
  AddCheckpointOutcome o = Add(request, keyring, timestamp);
  if (!o.ok()) return o.status;
  return std::move(o.result);
}

}  // namespace tally::tlog
