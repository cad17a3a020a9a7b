// The secret file of a joint-randomness contribution, shared by `tally inspect commit` and
// `tally inspection commit|reveal`: 64 hex digits and a newline, mode 0600.
// LoadOrCreateSecret reads an existing file (refusing one that others can read), or, when
// `create` is true and no file exists, draws a fresh secret and writes it atomically with mode
// 0600. Errors: NotFound (no file and !create), PermissionDenied (group/other bits set, with the
// chmod to run), InvalidArgument (not 64 hex digits), and file-system errors.
// Thread safety: none needed (one process per party).
#ifndef TALLY_CLI_SECRET_FILE_H_
#define TALLY_CLI_SECRET_FILE_H_

#include <string>

#include "tally/base/result.h"
#include "tally/inspect/joint_randomness.h"

namespace tally::cli {

Result<inspect::Secret> LoadOrCreateSecret(const std::string& path, bool create);

}  // namespace tally::cli

#endif  // TALLY_CLI_SECRET_FILE_H_
