// Secret key files: written mode 0600 (atomically, in a 0700 directory) and refused when their
// permissions let anyone but the owner read them.
//
// Security promise: the key text is held only in SecretBytes; no function here prints or logs
// it; error messages name the path, never the content.
// Errors: PermissionDenied "<path>: mode 0644 lets others read this secret key; run chmod 600
// <path>"; NotFound / IoError from the file system.
// Thread safety: reentrant.
#ifndef TALLY_TLOG_KEY_FILE_H_
#define TALLY_TLOG_KEY_FILE_H_

#include <string>

#include "tally/base/result.h"
#include "tally/crypto/secret_bytes.h"

namespace tally::tlog {

Status WriteSecretKeyFile(const std::string& path, const crypto::SecretBytes& text);
Result<crypto::SecretBytes> ReadSecretKeyFile(const std::string& path);

}  // namespace tally::tlog

#endif  // TALLY_TLOG_KEY_FILE_H_
