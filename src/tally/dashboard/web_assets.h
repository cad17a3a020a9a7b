// WebAssets: the dashboard front end (web/, built by Vite at build time) compiled into the library.
//
// Paths are relative to the build's output folder: "index.html", "assets/index-3f2a.js". When the
// build had no npm or no web/node_modules (scripts/setup installs both), the list is empty and the
// routes serve a page saying so, with a link to the HTML report, which needs no front end.
// The bytes are static; views stay valid for the program's life.
#ifndef TALLY_DASHBOARD_WEB_ASSETS_H_
#define TALLY_DASHBOARD_WEB_ASSETS_H_

#include <span>
#include <string_view>

namespace tally::dashboard {

struct WebAsset {
  std::string_view path;
  std::string_view content;
};

std::span<const WebAsset> WebAssets();

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_WEB_ASSETS_H_
