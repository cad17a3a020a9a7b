// Whole-file reads and crash-safe whole-file writes.
//
// WriteFileAtomic writes to a temporary file in the same directory, fsyncs it, renames it over the
// target and fsyncs the directory: after a crash (kill -9, power loss) the target holds either the
// old content or the new, never a mix. Errors name the path and the operating system's reason.
#ifndef TALLY_BASE_FILE_H_
#define TALLY_BASE_FILE_H_

#include <string>
#include <string_view>

#include "tally/base/result.h"

namespace tally {

Result<std::string> ReadFile(const std::string& path);
// `mode` is applied to the new file before it becomes visible (0600 for secrets).
Status WriteFileAtomic(const std::string& path, std::string_view content, unsigned mode = 0644);
// Permission bits of an existing file, or an error.
Result<unsigned> FileMode(const std::string& path);
bool FileExists(const std::string& path);
// Creates a directory and its parents (mode 0755); OK if it exists.
Status MakeDirectories(const std::string& path);
// fsync of a directory, so that a rename or create inside it is durable.
Status SyncDirectory(const std::string& path);

}  // namespace tally

#endif  // TALLY_BASE_FILE_H_
