#include "tally/tlog/witness.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/merkle/proof.h"
#include "tally/tlog/key_file.h"
#include "tally/tlog/signed_checkpoint.h"

namespace tally::tlog {
namespace {

constexpr size_t kMaxProofLines = 63;

class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

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

Result<std::string> Witness::Init(const std::string& dir, const std::string& name,
                                  crypto::RandomSource& random) {
  if (FileExists(dir + "/witness.key")) {
    return AlreadyExists(dir + ": already holds a witness key; refusing to overwrite it");
  }
  TALLY_ASSIGN_OR_RETURN(auto signer, CosignatureV1Signer::Generate(name, random));
  TALLY_RETURN_IF_ERROR(MakeDirectories(dir + "/state"));
  ::chmod(dir.c_str(), 0700);
  TALLY_RETURN_IF_ERROR(WriteSecretKeyFile(dir + "/witness.key", signer->SignerKey()));
  const std::string vkey = signer->VerifierKey();
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(dir + "/vkey", vkey + "\n"));
  return vkey;
}

Result<std::unique_ptr<Witness>> Witness::Open(const std::string& dir) {
  TALLY_ASSIGN_OR_RETURN(auto skey, ReadSecretKeyFile(dir + "/witness.key"));
  auto signer = CosignatureV1Signer::FromSignerKey(crypto::AsText(skey.bytes()));
  if (!signer.ok()) return signer.error().WithContext(dir + "/witness.key");
  std::unique_ptr<Witness> w(new Witness());
  w->dir_ = dir;
  w->signer_ = std::move(*signer);
  return w;
}

std::string Witness::StatePath(const std::string& origin) const {
  const auto h = crypto::Sha256Of(origin);
  return dir_ + "/state/" + crypto::HexEncode(std::span<const uint8_t>(h).first(16));
}

Result<std::optional<std::string>> Witness::Latest(const std::string& origin) const {
  const std::string path = StatePath(origin);
  if (!FileExists(path)) return std::optional<std::string>();
  TALLY_ASSIGN_OR_RETURN(std::string note, ReadFile(path));
  return std::optional<std::string>(std::move(note));
}

std::string Witness::SaveEvidence(const std::string& origin, const std::string& held,
                                  const AddCheckpointRequest& request, const std::string& why) {
  std::string doc = "tally witness evidence v1\norigin " + origin + "\nwhy " + why + "\n\n";
  doc += "-- checkpoint cosigned before\n" + held;
  doc += "-- conflicting checkpoint and proof (add-checkpoint request)\n" + request.Format();
  const auto h = crypto::Sha256Of(doc);
  const std::string path =
      dir_ + "/evidence/" + crypto::HexEncode(std::span<const uint8_t>(h).first(8)) + ".txt";
  if (MakeDirectories(dir_ + "/evidence").ok() && WriteFileAtomic(path, doc).ok()) return path;
  return "(could not save evidence under " + dir_ + "/evidence)";
}

Result<WitnessResult> Witness::AddCheckpoint(const AddCheckpointRequest& request,
                                             std::span<const NoteVerifier* const> log_keys,
                                             uint64_t timestamp) {
  auto opened = OpenCheckpoint(request.checkpoint_note, CheckpointKeys{log_keys, {}, 0});
  if (!opened.ok()) {
    if (opened.error().code() == StatusCode::kInvalidArgument) {
      return InvalidArgument("witness: " + opened.error().message());
    }
    return VerificationFailed(
        "witness: the checkpoint has no valid signature by a trusted log "
        "key named after its origin: " +
        opened.error().message());
  }
  const Checkpoint cp = opened->checkpoint;
  if (request.old_size > cp.size) {
    return InvalidArgument("witness: old size " + std::to_string(request.old_size) +
                           " is larger than the checkpoint's size " + std::to_string(cp.size));
  }
  FileLock lock(dir_ + "/lock");
  if (!lock.ok()) return IoError(dir_ + "/lock: cannot lock: " + std::strerror(errno));
  TALLY_ASSIGN_OR_RETURN(auto held_note, Latest(cp.origin));
  uint64_t held_size = 0;
  merkle::Hash held_root = merkle::EmptyRoot();
  if (held_note) {
    auto held_open = OpenCheckpoint(*held_note, CheckpointKeys{log_keys, {}, 0});
    if (!held_open.ok()) return DataLoss(StatePath(cp.origin) + ": " + held_open.error().message());
    const Checkpoint held = held_open->checkpoint;
    held_size = held.size;
    held_root = held.root;
  }
  if (held_note && cp.size == held_size && cp.root != held_root) {
    const std::string where = SaveEvidence(cp.origin, *held_note, request, "same size, two roots");
    return VerificationFailed("witness: fork: \"" + cp.origin +
                              "\" signed two different roots for "
                              "size " +
                              std::to_string(cp.size) +
                              "; both signed checkpoints "
                              "are kept in " +
                              where);
  }
  if (request.old_size != held_size) {
    return FailedPrecondition("witness: the request is from size " +
                              std::to_string(request.old_size) + " but this witness holds size " +
                              std::to_string(held_size) + " for \"" + cp.origin +
                              "\" (retry with old " + std::to_string(held_size) + ")");
  }
  if (held_size == 0 || held_size == cp.size) {
    if (!request.proof.empty()) {
      return VerificationFailed("witness: expected an empty proof from size " +
                                std::to_string(held_size));
    }
  } else if (Status s =
                 merkle::VerifyConsistency(held_size, cp.size, request.proof, held_root, cp.root);
             !s.ok()) {
    const std::string where = SaveEvidence(cp.origin, *held_note, request, s.message());
    return VerificationFailed("witness: the checkpoint for size " + std::to_string(cp.size) +
                              " is not proven consistent with the cosigned size " +
                              std::to_string(held_size) + " (" + s.message() +
                              "); both signed checkpoints are kept in " + where);
  }
  TALLY_RETURN_IF_ERROR(MakeDirectories(dir_ + "/state"));
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(StatePath(cp.origin), request.checkpoint_note));
  TALLY_ASSIGN_OR_RETURN(NoteSignature cosig, signer_->Cosign(opened->text, timestamp));
  WitnessResult out{cp, cosig, request.checkpoint_note + cosig.Line()};
  return out;
}

}  // namespace tally::tlog
