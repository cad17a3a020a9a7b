#include "tally/node/node_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace tally::node {

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  if (fd >= 0) ::close(fd);
  return port;
}

namespace {

std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace

NodeProcess::NodeProcess(const std::string& tallyd, const std::string& dir,
                         std::vector<std::string> args, const std::string& listen, int wait_ms)
    : err_path_(dir + "/run/tallyd.stderr") {
  std::error_code ec;
  std::filesystem::create_directories(dir + "/run", ec);
  const std::string ready = dir + "/run/ready";
  std::filesystem::remove(ready, ec);
  std::vector<std::string> all = {tallyd, dir, "--listen", listen};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) ::dup2(err, 2);
    const int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
    }
    ::execv(tallyd.c_str(), argv.data());
    _exit(127);
  }
  if (pid_ < 0) {
    error_ = "cannot start " + tallyd + ": fork failed";
    return;
  }
  for (int waited = 0; waited < wait_ms; waited += 20) {
    std::ifstream in(ready);
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) {
      address_ = line;
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const std::string last = LastLine(err_path_);
      error_ =
          tallyd + " " + dir + " exited before it was ready" +
          (WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (cannot run " + tallyd + ")" : "") +
          (last.empty() ? "" : ": " + last);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  error_ = tallyd + " " + dir + ": not ready after " + std::to_string(wait_ms) + " ms";
  Kill9();
}

NodeProcess::~NodeProcess() {
  if (pid_ > 0) Kill9();
}

int NodeProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void NodeProcess::Kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace tally::node
