// The crash suite: kill -9 `tally log append` at random moments (mostly mid-batch), then reopen
// and verify that no entry whose index was printed (i.e. whose append returned) is lost or
// changed, and that the checkpoint always agrees with the stored tree (the monitor, resuming
// from its state, also rules out any rollback or fork across crashes).
// TALLY_CRASH_ITERATIONS sets the number of kills (default 200); a soak run sets it higher.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <thread>

#include "e2e/cli_runner.h"

namespace tally::testing {
namespace {

struct Killed {
  std::string out;
  bool signalled = false;
};

// Runs `tally args...` with `input` on stdin and SIGKILLs it after `delay` (if still running).
Killed RunAndKill(const std::vector<std::string>& args, const std::string& input,
                  std::chrono::microseconds delay) {
  int in_pipe[2], out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) std::abort();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) close(fd);
    std::vector<char*> argv;
    std::string bin = TALLY_BIN;
    argv.push_back(bin.data());
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  // The input fits in the pipe buffer, so this never blocks.
  if (write(in_pipe[1], input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
    std::abort();
  }
  close(in_pipe[1]);
  std::this_thread::sleep_for(delay);
  kill(pid, SIGKILL);
  Killed k;
  char buf[4096];
  for (ssize_t n; (n = read(out_pipe[0], buf, sizeof buf)) > 0;)
    k.out.append(buf, static_cast<size_t>(n));
  close(out_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  k.signalled = WIFSIGNALED(status);
  return k;
}

std::string TileIndex(uint64_t n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03u", static_cast<unsigned>(n % 1000));
  std::string out = buf;
  for (n /= 1000; n > 0; n /= 1000) {
    std::snprintf(buf, sizeof buf, "x%03u/", static_cast<unsigned>(n % 1000));
    out = buf + out;
  }
  return out;
}

uint64_t CheckpointSize(const std::string& dir) {
  const std::string cp = ReadAll(dir + "/checkpoint");
  const size_t a = cp.find('\n');
  return std::stoull(cp.substr(a + 1, cp.find('\n', a + 1) - a - 1));
}

// Reads entry `index` straight from the entry bundles (the C2SP layout), as of tree `size`.
std::string EntryAt(const std::string& dir, uint64_t size, uint64_t index) {
  const uint64_t bundle = index / 256;
  const uint64_t width = std::min<uint64_t>(256, size - bundle * 256);
  std::string path = dir + "/tile/entries/" + TileIndex(bundle);
  if (width < 256) path += ".p/" + std::to_string(width);
  const std::string data = ReadAll(path);
  size_t pos = 0;
  for (uint64_t i = 0; pos + 2 <= data.size(); ++i) {
    const size_t len = static_cast<size_t>(static_cast<uint8_t>(data[pos])) << 8 |
                       static_cast<uint8_t>(data[pos + 1]);
    if (i == index % 256) return data.substr(pos + 2, len);
    pos += 2 + len;
  }
  return "<missing from " + path + ">";
}

// Each appender gets kLines lines in batches of 30: several durable batches per run, so that most
// kills land between or inside batches.
constexpr int kLines = 120;

TEST(LogCrashSlow, KillNineMidBatchNeverLosesAnAcknowledgedEntry) {
  int iterations = 200;
  if (const char* env = std::getenv("TALLY_CRASH_ITERATIONS")) iterations = std::atoi(env);
  TempDir tmp;
  const std::string dir = tmp.path() + "/log";
  auto init = RunTally({"log", "init", dir, "--origin", "tally.example/crash"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string vkey = init.out.substr(0, init.out.size() - 1);
  const std::string state = tmp.path() + "/monitor.state";
  const std::vector<std::string> append = {"log", "append", dir, "--raw", "--batch", "30"};
  const auto input = [](int iter) {
    std::string s;
    for (int j = 0; j < kLines; ++j)
      s += "c" + std::to_string(iter) + "-" + std::to_string(j) + "\n";
    return s;
  };
  // How long an uninterrupted run takes here; kills land uniformly inside that span.
  const auto t0 = std::chrono::steady_clock::now();
  auto full = RunTally(append, input(-1));
  ASSERT_EQ(full.exit_code, 0) << full.err;
  const auto span =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  std::map<uint64_t, std::string> acked;
  for (int j = 0; j < kLines; ++j) acked[static_cast<uint64_t>(j)] = "c-1-" + std::to_string(j);

  std::mt19937_64 rng(20261127);
  int mid_run = 0;
  for (int iter = 0; iter < iterations; ++iter) {
    const auto delay = std::chrono::microseconds(rng() % static_cast<uint64_t>(span.count() + 1));
    const Killed k = RunAndKill(append, input(iter), delay);
    size_t printed = 0;
    for (size_t start = 0; start < k.out.size();) {
      const size_t nl = k.out.find('\n', start);
      if (nl == std::string::npos) break;  // a line cut by the kill acknowledges nothing
      acked[std::stoull(k.out.substr(start, nl - start))] =
          "c" + std::to_string(iter) + "-" + std::to_string(printed++);
      start = nl + 1;
    }
    if (k.signalled && printed < kLines) ++mid_run;
    const uint64_t size = CheckpointSize(dir);
    ASSERT_GE(size, acked.rbegin()->first + 1) << "iteration " << iter;
    // Spot-check this iteration's acknowledged entries (all are checked at the end).
    for (auto it = acked.lower_bound(size > kLines ? size - kLines : 0); it != acked.end(); ++it) {
      ASSERT_EQ(EntryAt(dir, size, it->first), it->second) << "iteration " << iter;
    }
    auto m = RunTally({"log", "monitor", dir, "--vkey", vkey, "--state", state});
    ASSERT_EQ(m.exit_code, 0) << "iteration " << iter << ": " << m.err;
  }
  EXPECT_GE(mid_run, iterations / 4) << "too few kills landed mid-run to mean anything";
  const uint64_t size = CheckpointSize(dir);
  for (const auto& [index, text] : acked) ASSERT_EQ(EntryAt(dir, size, index), text) << index;
  auto full_check = RunTally({"log", "monitor", dir, "--vkey", vkey});
  EXPECT_EQ(full_check.exit_code, 0) << full_check.err;
  std::printf(
      "crash suite: uninterrupted run %lld us; %d kills, %d mid-run, %zu acknowledged entries, "
      "final size %llu\n",
      static_cast<long long>(span.count()), iterations, mid_run, acked.size(),
      static_cast<unsigned long long>(size));
}

}  // namespace
}  // namespace tally::testing
