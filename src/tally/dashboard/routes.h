// Dashboard routes: the web front end and its data, added to any server::Router.
//
// `tally dashboard` serves them alone; tallyd adds them beside its log routes. All GET:
//   /                    the front end's index.html (or a page saying it was not built)
//   /assets/...          its scripts and styles (hashed names, cached for a year)
//   /report.html         the self-contained HTML report (html_report.h)
//   /api/forces.json, /api/forces.csv, /api/treaties.json, /api/new-start.json,
//   /api/new-start.csv, /api/bands.json, /api/bands.csv, /api/upload.json, /api/upload.csv,
//   /api/projections.json, /api/projections.csv   the documents of data_api.h
//   /api/regime.json, /api/inspections.json, /logs/<party>/...   with a regime (regime_data.h)
// The documents are rendered once, by BuildDashboardDocuments, and shared without copies.
// Thread safety: the documents are immutable; handlers may run on any server thread.
#ifndef TALLY_DASHBOARD_ROUTES_H_
#define TALLY_DASHBOARD_ROUTES_H_

#include <map>
#include <memory>
#include <string>

#include "tally/dashboard/site_data.h"
#include "tally/server/router.h"

namespace tally::dashboard {

struct DashboardDocuments {
  // Path ("/api/forces.json") -> body and content type.
  struct Document {
    std::shared_ptr<const std::string> body;
    std::string content_type;
  };
  std::map<std::string, Document> by_path;
};

// Mutable until shared, so that AddRegimeDocuments (regime_data.h) can add the regime's.
std::shared_ptr<DashboardDocuments> BuildDashboardDocuments(const SiteData& site);

void AddDashboardRoutes(server::Router& router, std::shared_ptr<const DashboardDocuments> docs);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_ROUTES_H_
