// RunDashboardServer: `tally dashboard`, the dashboard over the embedded data, with no node.
//
// Builds the SiteData of the embedded defaults at `date`, renders the documents, serves the
// dashboard routes (routes.h) on `listen` (port 0 picks a free port), writes "HOST:PORT\n" to
// `ready_file` (atomically, after the socket is bound) and prints the URL on `announce`, then
// serves until SIGINT or SIGTERM and drains. The signals are taken by one thread with sigwait
// (blocked in the caller's thread before any other thread starts), so that Stop never runs in a
// signal handler.
// Errors: InvalidArgument for a bad listen address, IoError when the port is taken, the site
// data's errors, the regime's (before anything listens).
#ifndef TALLY_DASHBOARD_DASHBOARD_SERVER_H_
#define TALLY_DASHBOARD_DASHBOARD_SERVER_H_

#include <cstdio>
#include <string>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/dashboard/regime_data.h"
#include "tally/server/logger.h"

namespace tally::dashboard {

struct DashboardServerOptions {
  std::string listen = "127.0.0.1:8480";
  std::string ready_file;  // empty: none
  Date date;
  bool log_requests = false;
  // With a network file, the regime too (regime_data.h): the Log and Inspections pages.
  RegimeInputs regime;
};

Status RunDashboardServer(const DashboardServerOptions& options, server::Logger& logger,
                          std::FILE* announce);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_DASHBOARD_SERVER_H_
