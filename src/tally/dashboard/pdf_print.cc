#include "tally/dashboard/pdf_print.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "tally/base/file.h"

extern char** environ;

namespace tally::dashboard {

std::string FindChromium() {
  if (const char* env = std::getenv("TALLY_CHROMIUM"); env && *env) {
    return ::access(env, X_OK) == 0 ? std::string(env) : std::string();
  }
  return ::access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : "";
}

Status PrintPdf(const std::string& html_path, const std::string& pdf_path) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    return NotFound("no Chromium for --pdf (apt-get install chromium, or set TALLY_CHROMIUM)");
  }
  std::error_code ec;
  const auto html = std::filesystem::absolute(html_path, ec);
  if (ec || !std::filesystem::exists(html)) return NotFound(html_path + ": no such file");
  const std::string tmp = pdf_path + ".tmp-" + std::to_string(::getpid());
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + tmp,
                                   "file://" + html.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  // The browser's chatter is not the user's output.
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, chromium.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return IoError(chromium + ": cannot start (" + std::to_string(rc) + ")");
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      std::filesystem::remove(tmp, ec);
      return IoError(chromium + ": no PDF within 60 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !std::filesystem::exists(tmp) ||
      std::filesystem::file_size(tmp, ec) == 0) {
    std::filesystem::remove(tmp, ec);
    return IoError(chromium + ": printing " + html_path + " to PDF failed");
  }
  std::filesystem::rename(tmp, pdf_path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return IoError(pdf_path + ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace tally::dashboard
