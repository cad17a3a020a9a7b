// Runs the built `tallyd` as a child process for end-to-end tests: starts it on 127.0.0.1:0
// (never a fixed port), waits for its ready file, and stops it with SIGTERM (or kills it).
#ifndef TALLY_TESTS_E2E_NODE_RUNNER_H_
#define TALLY_TESTS_E2E_NODE_RUNNER_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace tally::testing {

class NodeProcess {
 public:
  // Starts `tallyd dir args...`; `listen` defaults to 127.0.0.1:0. Waits up to 20 s for the
  // ready file (DIR/run/ready); started() tells whether it came.
  NodeProcess(const std::string& dir, std::vector<std::string> args = {},
              const std::string& listen = "127.0.0.1:0");
  ~NodeProcess();
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  bool started() const { return !address_.empty(); }
  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  std::string Url(const std::string& path = "/") const { return "http://" + address_ + path; }
  // SIGTERM, waits; returns the exit code (-1 when killed by a signal).
  int Stop();
  void Kill9();
  const std::string& stderr_path() const { return err_path_; }
  pid_t pid() const { return pid_; }

 private:
  std::string dir_;
  std::string err_path_;
  std::string address_;
  pid_t pid_ = -1;
};

}  // namespace tally::testing

#endif  // TALLY_TESTS_E2E_NODE_RUNNER_H_
