#include "tally/cli/secret_file.h"

#include <algorithm>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/random.h"

namespace tally::cli {

Result<inspect::Secret> LoadOrCreateSecret(const std::string& path, bool create) {
  inspect::Secret secret;
  if (!FileExists(path)) {
    if (!create) return NotFound(path + ": no secret to reveal");
    crypto::SystemRandom().Fill(secret);
    TALLY_RETURN_IF_ERROR(WriteFileAtomic(path, crypto::HexEncode(secret) + "\n", 0600));
    return secret;
  }
  TALLY_ASSIGN_OR_RETURN(unsigned mode, FileMode(path));
  if (mode & 077) {
    return PermissionDenied(path + ": secret file is readable by others (mode " +
                            std::to_string(mode >> 6 & 7) + std::to_string(mode >> 3 & 7) +
                            std::to_string(mode & 7) + "); run chmod 600 " + path);
  }
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto bytes = crypto::HexDecode(text);
  if (!bytes.ok() || bytes->size() != secret.size()) {
    return InvalidArgument(path + ": expected 64 hex digits (32 bytes)");
  }
  std::copy(bytes->begin(), bytes->end(), secret.begin());
  return secret;
}

}  // namespace tally::cli
