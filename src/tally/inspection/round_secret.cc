#include "tally/inspection/round_secret.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"

namespace tally::inspection {
namespace {

constexpr std::string_view kMagic = "tally-round-secret/1";

std::string ModeText(unsigned mode) {
  return std::to_string(mode >> 6 & 7) + std::to_string(mode >> 3 & 7) + std::to_string(mode & 7);
}

}  // namespace

std::string DefaultSecretPath(const std::string& private_dir, const std::string& inspection) {
  return private_dir + "/secrets/" + inspection + ".secret";
}

Result<inspect::Secret> CreateRoundSecret(const std::string& path, const std::string& round,
                                          crypto::RandomSource& random) {
  inspect::Secret secret;
  random.Fill(secret);
  TALLY_RETURN_IF_ERROR(SaveRoundSecret(path, round, secret));
  return secret;
}

Status SaveRoundSecret(const std::string& path, const std::string& round,
                       const inspect::Secret& secret) {
  if (FileExists(path)) {
    return AlreadyExists(path +
                         ": a secret file exists; a fresh secret is drawn for every round, "
                         "so give a new path (or reveal the one it holds)");
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  if (!dir.empty() && !FileExists(dir)) {
    TALLY_RETURN_IF_ERROR(MakeDirectories(dir));
    if (::chmod(dir.c_str(), 0700) != 0) {
      return IoError(dir + ": cannot chmod 0700: " + std::strerror(errno));
    }
  }
  return WriteFileAtomic(path, FormatRoundSecret(round, secret), 0600);
}

Result<inspect::Secret> LoadRoundSecret(const std::string& path, const std::string& round) {
  if (!FileExists(path)) return NotFound(path + ": no secret file (commit first)");
  TALLY_ASSIGN_OR_RETURN(unsigned mode, FileMode(path));
  if (mode & 077) {
    return PermissionDenied(path + ": secret file is readable by others (mode " + ModeText(mode) +
                            "); run chmod 600 " + path);
  }
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseRoundSecret(text, round, path);
}

std::string FormatRoundSecret(const std::string& round, const inspect::Secret& secret) {
  return std::string(kMagic) + "\nround " + round + "\nsecret " + crypto::HexEncode(secret) + "\n";
}

Result<inspect::Secret> ParseRoundSecret(std::string_view text, const std::string& round,
                                         const std::string& where) {
  const std::string head = std::string(kMagic) + "\nround ";
  const size_t round_end = text.find('\n', head.size());
  if (text.substr(0, head.size()) != head || round_end == std::string_view::npos ||
      text.substr(round_end + 1, 7) != "secret " || text.size() != round_end + 1 + 7 + 64 + 1 ||
      text.back() != '\n') {
    return InvalidArgument(where + ": not a round secret file (" + std::string(kMagic) +
                           ", round, secret)");
  }
  const std::string bound(text.substr(head.size(), round_end - head.size()));
  if (bound != round) {
    const std::string shown = bound.size() > 80 ? bound.substr(0, 80) + "..." : bound;
    return FailedPrecondition(where + ": this secret belongs to round " + shown + ", not " + round +
                              "; a secret is good for one round only");
  }
  const std::string hex(text.substr(round_end + 1 + 7, 64));
  auto bytes = crypto::HexDecode(hex);
  const bool lower =
      std::none_of(hex.begin(), hex.end(), [](char c) { return c >= 'A' && c <= 'F'; });
  if (!bytes.ok() || bytes->size() != 32 || !lower) {
    return InvalidArgument(where + ": the secret is not 64 lower-case hex digits");
  }
  inspect::Secret secret;
  std::copy(bytes->begin(), bytes->end(), secret.begin());
  return secret;
}

}  // namespace tally::inspection
