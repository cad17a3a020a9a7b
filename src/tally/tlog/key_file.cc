#include "tally/tlog/key_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"

namespace tally::tlog {

Status WriteSecretKeyFile(const std::string& path, const crypto::SecretBytes& text) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  if (!dir.empty()) {
    TALLY_RETURN_IF_ERROR(MakeDirectories(dir));
    ::chmod(dir.c_str(), 0700);
  }
  std::string content(crypto::AsText(text.bytes()));
  content += "\n";
  Status s = WriteFileAtomic(path, content, 0600);
  std::fill(content.begin(), content.end(), '\0');
  return s;
}

Result<crypto::SecretBytes> ReadSecretKeyFile(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(unsigned mode, FileMode(path));
  if ((mode & 077) != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
    return PermissionDenied(path + ": mode " + buf +
                            " lets other users read this secret key; tally refuses to use it "
                            "(run: chmod 600 " +
                            path + ")");
  }
  TALLY_ASSIGN_OR_RETURN(std::string content, ReadFile(path));
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
    content.pop_back();
  }
  crypto::SecretBytes out(crypto::AsBytes(content));
  std::fill(content.begin(), content.end(), '\0');
  return out;
}

}  // namespace tally::tlog
