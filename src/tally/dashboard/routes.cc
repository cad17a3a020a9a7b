#include "tally/dashboard/routes.h"

#include "tally/dashboard/data_api.h"
#include "tally/dashboard/html_report.h"
#include "tally/dashboard/web_assets.h"
#include "tally/server/problem.h"

namespace tally::dashboard {
namespace {

std::string ContentType(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".json")) return "application/json";
  if (path.ends_with(".csv")) return "text/csv; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

constexpr const char* kNotBuilt =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tally "
    "dashboard</title></head><body><h1>tally dashboard</h1><p>This build has no dashboard front "
    "end: it was built without npm or without <code>web/node_modules</code> (run "
    "<code>scripts/setup</code>, then rebuild). The <a href=\"report.html\">HTML report</a> and "
    "the "
    "data under <a href=\"api/forces.json\">api/</a> are here all the same.</p></body></html>\n";

server::HttpResponse Serve(const DashboardDocuments::Document& d, bool immutable) {
  server::HttpResponse r;
  r.status = 200;
  r.shared_body = d.body;
  r.Set("content-type", d.content_type);
  r.Set("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.Set("x-content-type-options", "nosniff");
  return r;
}

}  // namespace

std::shared_ptr<DashboardDocuments> BuildDashboardDocuments(const SiteData& site) {
  auto docs = std::make_shared<DashboardDocuments>();
  auto put = [&](std::string path, std::string body) {
    const std::string type = ContentType(path);
    docs->by_path[std::move(path)] = {std::make_shared<const std::string>(std::move(body)), type};
  };
  put("/api/forces.json", ForcesJson(site));
  put("/api/forces.csv", ForcesCsv(site));
  put("/api/treaties.json", TreatiesJson(site));
  // One document and CSV per replayed treaty (/api/new-start.json, /api/start-i.json, ...).
  for (const TreatyReplay& r : site.replays) {
    put(ReplayPath(r, ".json"), ReplayJson(r));
    put(ReplayPath(r, ".csv"), ReplayCsv(r));
  }
  put("/api/replays.json", ReplaysJson(site));
  put("/api/bands.json", BandsJson(site));
  put("/api/bands.csv", BandsCsv(site));
  put("/api/upload.json", UploadJson(site));
  put("/api/upload.csv", UploadCsv(site));
  put("/api/projections.json", ProjectionsJson(site));
  put("/api/projections.csv", ProjectionsCsv(site));
  put("/report.html", RenderHtmlReport(site));
  // No regime: empty documents, so that the Log and Inspections pages say so (a 404 would be a
  // console error); AddRegimeDocuments replaces them.
  put("/api/regime.json", R"({"network":null,"treaty":"","cosignatures":0,"logs":[]})");
  put("/api/inspections.json",
      R"({"treaty":"","at":0,"quotas":[],"refused_requests":[],"inspections":[]})");
  bool has_index = false;
  for (const auto& a : WebAssets()) {
    put("/" + std::string(a.path), std::string(a.content));
    has_index |= a.path == "index.html";
  }
  if (!has_index) put("/index.html", kNotBuilt);
  return docs;
}

void AddDashboardRoutes(server::Router& router, std::shared_ptr<const DashboardDocuments> docs) {
  const auto& index = docs->by_path.at("/index.html");
  router.Add(
      "GET", "/", [docs, &index](const server::HttpRequest&) { return Serve(index, false); }, {},
      "The dashboard (web front end)");
  router.Add(
      "GET", "/index.html",
      [docs, &index](const server::HttpRequest&) { return Serve(index, false); }, {},
      "The dashboard (web front end)");
  router.AddPrefix(
      "GET", "/assets/",
      [docs](const server::HttpRequest& r) {
        auto it = docs->by_path.find(r.path);
        if (it == docs->by_path.end()) {
          return server::ProblemFor(NotFound("no dashboard asset " + r.path));
        }
        return Serve(it->second, true);
      },
      {}, "The dashboard's scripts and styles");
  bool has_logs = false;
  for (const auto& [path, doc] : docs->by_path) {
    has_logs |= path.starts_with("/logs/");
    if (!path.starts_with("/api/") && path != "/report.html") continue;
    const auto* d = &doc;
    router.Add(
        "GET", path, [docs, d](const server::HttpRequest&) { return Serve(*d, false); }, {},
        path == "/report.html" ? "The self-contained HTML report"
                               : "Dashboard data: " + path.substr(5));
  }
  if (has_logs) {
    // The regime's logs as tlog-tiles, one folder a party: a log has as many tiles as it has
    // entries / 256, so one prefix route rather than a route a file.
    router.AddPrefix(
        "GET", "/logs/",
        [docs](const server::HttpRequest& r) {
          auto it = docs->by_path.find(r.path);
          if (it == docs->by_path.end()) {
            return server::ProblemFor(NotFound("no log file " + r.path));
          }
          return Serve(it->second, false);
        },
        {}, "The regime's logs (c2sp.org/tlog-tiles), one folder a party: /logs/<party>/...");
  }
}

}  // namespace tally::dashboard
