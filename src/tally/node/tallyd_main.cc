#include "tally/node/tallyd_main.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <thread>

#include "tally/node/node.h"

namespace tally::node {
namespace {

constexpr char kUsage[] =
    "usage: tallyd DIR [--listen HOST:PORT] [--network FILE] [--ready-file PATH]\n"
    "              [--threads N] [--workers N] [--poll-ms N] [--no-mirror] [--log-requests]\n"
    "              [--clock wall|operator]\n"
    "Runs the tally node in DIR (made by `tally node init`); flags override DIR/node.toml.\n"
    "--listen 127.0.0.1:0 picks a free port; the bound address is written to the ready file\n"
    "(default DIR/run/ready). SIGTERM or SIGINT drains and exits 0. Logs: JSON lines on stderr.\n"
    "--clock operator: treaty time for an exercise; the operator sets it (POST /api/clock).\n";

bool ParseInt(const char* text, int64_t min, int64_t max, int64_t& out) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text, &end, 10);
  if (errno || !end || *end || end == text || v < min || v > max) return false;
  out = v;
  return true;
}

}  // namespace

int TallydMain(int argc, char** argv) {
  try {
    std::string dir;
    NodeOverrides o;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&](const char* flag) -> const char* {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "tallyd: %s needs a value\n%s", flag, kUsage);
          return nullptr;
        }
        return argv[++i];
      };
      int64_t n = 0;
      if (a == "-h" || a == "--help") {
        std::fputs(kUsage, stdout);
        return 0;
      } else if (a == "--listen") {
        const char* v = value("--listen");
        if (!v) return 2;
        o.listen = v;
      } else if (a == "--network") {
        const char* v = value("--network");
        if (!v) return 2;
        o.network = v;
      } else if (a == "--ready-file") {
        const char* v = value("--ready-file");
        if (!v) return 2;
        o.ready_file = v;
      } else if (a == "--threads" || a == "--workers" || a == "--poll-ms" ||
                 a == "--header-timeout-ms") {
        const char* v = value(a.c_str());
        if (!v) return 2;
        if (!ParseInt(v, a == "--poll-ms" || a == "--header-timeout-ms" ? 10 : 1,
                      a == "--threads" ? 64 : 86400000, n)) {
          std::fprintf(stderr, "tallyd: %s: expected a positive integer, got \"%s\"\n", a.c_str(),
                       v);
          return 2;
        }
        if (a == "--threads") o.network_threads = static_cast<int>(n);
        if (a == "--workers") o.worker_threads = static_cast<int>(n);
        if (a == "--poll-ms") o.poll_interval_ms = n;
        if (a == "--header-timeout-ms") o.header_timeout_ms = n;
      } else if (a == "--clock") {
        const char* v = value("--clock");
        if (!v) return 2;
        if (std::string_view(v) != "wall" && std::string_view(v) != "operator") {
          std::fprintf(stderr, "tallyd: --clock: expected wall or operator, got \"%s\"\n", v);
          return 2;
        }
        o.clock = v;
      } else if (a == "--no-mirror") {
        o.mirror = false;
      } else if (a == "--log-requests") {
        o.log_requests = true;
      } else if (!a.empty() && a[0] == '-') {
        std::fprintf(stderr, "tallyd: unknown flag %s\n%s", a.c_str(), kUsage);
        return 2;
      } else if (dir.empty()) {
        dir = a;
      } else {
        std::fprintf(stderr, "tallyd: one node directory only (got %s and %s)\n", dir.c_str(),
                     a.c_str());
        return 2;
      }
    }
    if (dir.empty()) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    // Signals are taken by one thread with sigwait, so that Stop never runs in a signal handler.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    server::Logger logger;
    auto node = Node::Open(dir, o, logger);
    if (!node.ok()) {
      logger.Error("start_failed", {{"error", node.error().message()}});
      return ExitCodeFor(node.error().code()) == kExitInternal ? 3 : 2;
    }
    std::thread signals([&] {
      int sig = 0;
      sigwait(&set, &sig);
      if (sig == SIGTERM || sig == SIGINT) {
        logger.Info("signal", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        (*node)->Stop();
      }
    });
    Status s = (*node)->Run();
    // Wake the signal thread if Run ended by itself.
    pthread_kill(signals.native_handle(), SIGTERM);
    signals.join();
    if (!s.ok()) {
      logger.Error("run_failed", {{"error", s.message()}});
      return 3;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tallyd: internal error: %s\n", e.what());
    return 3;
  } catch (...) {
    std::fprintf(stderr, "tallyd: internal error\n");
    return 3;
  }
}

}  // namespace tally::node
