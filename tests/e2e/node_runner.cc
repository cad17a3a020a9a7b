#include "e2e/node_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace tally::testing {

NodeProcess::NodeProcess(const std::string& dir, std::vector<std::string> args,
                         const std::string& listen)
    : dir_(dir), err_path_(dir + "/run/tallyd.stderr") {
  std::filesystem::create_directories(dir + "/run");
  const std::string ready = dir + "/run/ready";
  std::filesystem::remove(ready);
  pid_ = fork();
  if (pid_ == 0) {
    const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(err, 2);
    const int devnull = ::open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    std::vector<std::string> all = {TALLYD_BIN, dir, "--listen", listen};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(TALLYD_BIN, argv.data());
    _exit(127);
  }
  for (int i = 0; i < 400; ++i) {
    std::ifstream in(ready);
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) {
      address_ = line;
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

NodeProcess::~NodeProcess() {
  if (pid_ > 0) Kill9();
}

int NodeProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void NodeProcess::Kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace tally::testing
