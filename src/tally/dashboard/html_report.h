// HtmlReport: `tally report --html`, one self-contained HTML file.
//
// The sections of the terminal report (forces today, over time, treaties, the last New START data)
// plus charts drawn as inline SVG (svg_chart.h): forces 1945-2026 by state (linear and log), the
// New START replay of every exchange against its limits, and arsenal estimates with 50 % / 90 %
// bands; each chart has a source line and a table alternative. The data behind the charts is
// inlined as CSV (<script type="text/csv">) with "download CSV" buttons that build a Blob in the
// page. No external resource of any kind: no stylesheet, font, image or script is fetched, so the
// file opens offline from file:// and makes no request.
// Thread safety: pure function of the SiteData.
#ifndef TALLY_DASHBOARD_HTML_REPORT_H_
#define TALLY_DASHBOARD_HTML_REPORT_H_

#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/dashboard/site_data.h"

namespace tally::dashboard {

std::string RenderHtmlReport(const SiteData& site);

// The reports' stylesheet (this one and the exercise's, exercise/exercise_html.h): one look.
std::string_view ReportStyle();

// Renders and writes atomically (base/file.h): the file is either the whole report or untouched.
Status WriteHtmlReport(const SiteData& site, const std::string& path);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_HTML_REPORT_H_
