// NodeProcess: runs `tallyd DIR` as a child process, for the programs that set up a regime of
// nodes on one machine (tally exercise, the end-to-end tests): starts it listening on the given
// loopback address, waits for its ready file (NODE/run/ready), and stops it with SIGTERM — or
// kills it with SIGKILL, as a crash would. Its stderr (JSON log lines) goes to
// NODE/run/tallyd.stderr. FreeLoopbackPort finds a port for a network file that must name a node's
// URL before the node runs; the node then listens on it (a port taken meanwhile fails the start,
// visibly). Thread safety: one owner.
#ifndef TALLY_NODE_NODE_PROCESS_H_
#define TALLY_NODE_NODE_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "tally/base/result.h"

namespace tally::node {

// A TCP port on 127.0.0.1 that was free a moment ago; 0 when none could be bound.
int FreeLoopbackPort();

class NodeProcess {
 public:
  // Starts `tallyd dir --listen listen args...`; waits up to `wait_ms` for the ready file.
  // started() tells whether it came; the error says why not (the stderr's last line).
  NodeProcess(const std::string& tallyd, const std::string& dir, std::vector<std::string> args,
              const std::string& listen = "127.0.0.1:0", int wait_ms = 20000);
  ~NodeProcess();  // kills a node still running
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  bool started() const { return !address_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  std::string Url(const std::string& path = "/") const { return "http://" + address_ + path; }
  // SIGTERM, waits; the exit code (-1 when it died of a signal or was not running).
  int Stop();
  // SIGKILL, waits: a crash at an arbitrary point.
  void Kill9();
  const std::string& stderr_path() const { return err_path_; }
  pid_t pid() const { return pid_; }

 private:
  std::string err_path_;
  std::string address_;
  std::string error_;
  pid_t pid_ = -1;
};

}  // namespace tally::node

#endif  // TALLY_NODE_NODE_PROCESS_H_
