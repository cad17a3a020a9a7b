#include "tally/dashboard/dashboard_server.h"

#include <pthread.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "tally/base/file.h"
#include "tally/dashboard/routes.h"
#include "tally/server/http_server.h"

namespace tally::dashboard {

Status RunDashboardServer(const DashboardServerOptions& o, server::Logger& logger,
                          std::FILE* announce) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  TALLY_ASSIGN_OR_RETURN(auto address, server::ParseListenAddress(o.listen));
  TALLY_ASSIGN_OR_RETURN(auto site, BuildDefaultSiteData(o.date));
  server::Router router;
  auto docs = BuildDashboardDocuments(site);
  if (!o.regime.network.empty()) TALLY_RETURN_IF_ERROR(AddRegimeDocuments(o.regime, *docs));
  AddDashboardRoutes(router, std::move(docs));
  server::ServerOptions so;
  so.network_threads = 1;
  so.worker_threads = 1;
  so.log_requests = o.log_requests;
  server::HttpServer http(router, so, logger);
  TALLY_RETURN_IF_ERROR(http.Listen(address));
  const std::string bound = http.BoundAddress().ToString();
  if (!o.ready_file.empty()) {
    const auto parent = std::filesystem::path(o.ready_file).parent_path().string();
    if (!parent.empty()) TALLY_RETURN_IF_ERROR(MakeDirectories(parent));
    TALLY_RETURN_IF_ERROR(WriteFileAtomic(o.ready_file, bound + "\n"));
  }
  if (announce) {
    std::fprintf(announce, "tally dashboard: http://%s/\n", bound.c_str());
    std::fflush(announce);
  }
  std::thread signals([&] {
    int sig = 0;
    sigwait(&set, &sig);
    http.Stop();
  });
  http.Run();
  pthread_kill(signals.native_handle(), SIGTERM);  // wake the thread if Run ended by itself
  signals.join();
  return Status::Ok();
}

}  // namespace tally::dashboard
