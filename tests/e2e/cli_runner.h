// Runs the built `tally` binary as a child process, feeding stdin and capturing stdout, stderr
// and the exit code, for end-to-end tests.
#ifndef TALLY_TESTS_E2E_CLI_RUNNER_H_
#define TALLY_TESTS_E2E_CLI_RUNNER_H_

#include <string>
#include <vector>

namespace tally::testing {

struct CliResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs TALLY_BIN with `args`; `env` entries ("NAME=value") are added to the environment.
CliResult RunTally(const std::vector<std::string>& args, const std::string& stdin_text = "",
                   const std::vector<std::string>& env = {});

// A fresh empty directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to path()/name and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

std::string ReadAll(const std::string& path);

}  // namespace tally::testing

#endif  // TALLY_TESTS_E2E_CLI_RUNNER_H_
