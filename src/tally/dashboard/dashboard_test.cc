#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "tally/base/file.h"
#include "tally/dashboard/data_api.h"
#include "tally/dashboard/html_report.h"
#include "tally/dashboard/pdf_print.h"
#include "tally/dashboard/routes.h"
#include "tally/dashboard/svg_chart.h"

namespace tally::dashboard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

const SiteData& Site() {
  static const SiteData* s =
      new SiteData(BuildDefaultSiteData(*Date::FromCivil(2026, 3, 1)).value());
  return *s;
}

TEST(SiteData, HoldsTheSeriesTheReplayAndTheBands) {
  const SiteData& s = Site();
  // The FAS series starts in 1945 with the US alone.
  bool us_1945 = false;
  for (const auto& p : s.forces) {
    if (p.dataset == "fas-history@0" && p.state == "US" && p.year == 1945 &&
        p.category == "military_stockpile") {
      us_1945 = p.value > 0;
    }
  }
  EXPECT_TRUE(us_1945);
  EXPECT_EQ(s.replay.size(), s.report.new_start.rows_checked);
  ASSERT_EQ(s.bands.size(), 3u);
  // Without verification after 2026 the band widens: 90 % width in 2029 exceeds 2020's.
  const auto& us = s.bands[0];
  ASSERT_EQ(us.state, "US");
  ASSERT_TRUE(us.last_declared.has_value());
  double w2020 = 0, w2029 = 0;
  for (const auto& p : us.points) {
    if (p.date.year() == 2020) w2020 = p.p95 - p.p05;
    if (p.date.year() == 2029) w2029 = p.p95 - p.p05;
  }
  EXPECT_GT(w2029, 2 * w2020);
}

TEST(SvgChart, DrawsOneMarkPerSeriesPointAndRule) {
  LineChart c;
  c.title = "a <b> & c";
  c.series.push_back({"one", "#000", {{1, 1, ""}, {2, 4, ""}, {3, 9, ""}}, false, true});
  c.series.push_back({"two", "#f00", {{1, 2, ""}, {3, 3, ""}}, true, false});
  c.rules.push_back({"limit", 5});
  c.bands.push_back({"90 %", "#00f", 0.2, {1, 2}, {0, 1}, {2, 3}});
  const std::string svg = RenderSvg(c);
  EXPECT_EQ(Count(svg, "class=\"line\""), 2u);
  EXPECT_EQ(Count(svg, "class=\"dot\""), 3u);
  EXPECT_EQ(Count(svg, "class=\"rule\""), 1u);
  EXPECT_EQ(Count(svg, "class=\"band\""), 1u);
  EXPECT_THAT(svg, HasSubstr("a &lt;b&gt; &amp; c"));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
}

TEST(SvgChart, LogScaleNeverTakesTheLogOfZero) {
  LineChart c;
  c.log_y = true;
  c.series.push_back({"s", "#000", {{1945, 0, ""}, {1950, 100, ""}}, false, false});
  const std::string svg = RenderSvg(c);
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
  EXPECT_THAT(svg, Not(HasSubstr("inf")));
}

TEST(DataApi, CsvQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"x\""), "\"say \"\"x\"\"\"");
  const std::string csv = ForcesCsv(Site());
  EXPECT_EQ(Count(csv, "\n"), Site().forces.size() + 1);
  EXPECT_EQ(Count(NewStartCsv(Site()), "\n"), Site().replay.size() + 1);
}

TEST(DataApi, JsonDocumentsParseAndMatchTheSiteData) {
  const auto forces = nlohmann::json::parse(ForcesJson(Site()));
  EXPECT_EQ(forces["points"].size(), Site().forces.size());
  const auto ns = nlohmann::json::parse(NewStartJson(Site()));
  EXPECT_EQ(ns["limits"].size(), 3u);
  EXPECT_EQ(ns["exchanges"].size(), Site().replay.size());
  const auto treaties = nlohmann::json::parse(TreatiesJson(Site()));
  EXPECT_EQ(treaties["treaties"].size(), Site().report.treaties.size());
  EXPECT_EQ(nlohmann::json::parse(BandsJson(Site()))["bands"].size(), 3u);
}

TEST(HtmlReport, IsSelfContainedWithEverySection) {
  const std::string html = RenderHtmlReport(Site());
  for (const char* id :
       {"id=\"today\"", "id=\"history\"", "id=\"treaties\"", "id=\"new-start\"", "id=\"estimates\"",
        "id=\"sources\"", "id=\"csv-forces\"", "id=\"csv-new-start\""}) {
    EXPECT_THAT(html, HasSubstr(id));
  }
  // Nothing is fetched: no src= or href= to anything, no CSS url() or @import, and a CSP that
  // forbids every request besides.
  EXPECT_THAT(html, Not(HasSubstr(" src=")));
  EXPECT_FALSE(std::regex_search(html, std::regex("href=\"(https?:|//)")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_FALSE(std::regex_search(html, std::regex("url\\((?!#)")));
  EXPECT_THAT(html, HasSubstr("default-src 'none'"));
  // Two forces charts, the timeline, three New START limits, three bands.
  EXPECT_EQ(Count(html, "<svg"), 9u);
  // One dot per exchange with data, in the three limit charts.
  size_t with_data = 0;
  for (const auto& r : Site().replay)
    for (const auto& l : r.limits) with_data += l.counted.has_value();
  EXPECT_EQ(Count(html, "class=\"dot\""), with_data);
  EXPECT_LT(html.size(), 400u * 1024);
}

TEST(HtmlReport, WriteLeavesNothingBehindOnFailure) {
  const std::string dir = ::testing::TempDir() + "/no/such/dir";
  EXPECT_FALSE(WriteHtmlReport(Site(), dir + "/r.html").ok());
  EXPECT_FALSE(std::filesystem::exists(dir + "/r.html"));
  const std::string path = ::testing::TempDir() + "/tally_report_test.html";
  ASSERT_TRUE(WriteHtmlReport(Site(), path).ok());
  EXPECT_EQ(ReadFile(path).value(), RenderHtmlReport(Site()));
  std::filesystem::remove(path);
}

TEST(PdfPrint, PrintsTheReportThroughChromiumOrSaysWhyNot) {
  const std::string html = ::testing::TempDir() + "/tally_pdf_test.html";
  const std::string pdf = ::testing::TempDir() + "/tally_pdf_test.pdf";
  EXPECT_FALSE(PrintPdf(html + ".missing", pdf).ok());
  EXPECT_FALSE(std::filesystem::exists(pdf));
  if (FindChromium().empty()) GTEST_SKIP() << "no Chromium at /usr/bin/chromium";
  ASSERT_TRUE(WriteHtmlReport(Site(), html).ok());
  ASSERT_TRUE(PrintPdf(html, pdf).ok());
  EXPECT_EQ(ReadFile(pdf).value().substr(0, 5), "%PDF-");
  std::filesystem::remove(html);
  std::filesystem::remove(pdf);
}

TEST(Routes, ServeTheDocumentsTheIndexAndRefuseUnknownAssets) {
  server::Router router;
  AddDashboardRoutes(router, BuildDashboardDocuments(Site()));
  auto get = [&](const std::string& path) {
    server::HttpRequest req;
    req.method = "GET";
    req.path = req.target = path;
    auto m = router.Match("GET", path);
    return m.route ? m.route->handler(req) : m.problem;
  };
  auto forces = get("/api/forces.json");
  EXPECT_EQ(forces.status, 200);
  EXPECT_EQ(std::string(forces.Body()), ForcesJson(Site()));
  EXPECT_EQ(*forces.Header("content-type"), "application/json");
  EXPECT_EQ(std::string(get("/api/new-start.csv").Body()), NewStartCsv(Site()));
  auto index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_THAT(std::string(index.Body()), HasSubstr("<html"));
  EXPECT_EQ(get("/report.html").status, 200);
  EXPECT_EQ(get("/assets/no-such.js").status, 404);
  EXPECT_EQ(get("/api/nothing.json").status, 404);
  // Without a regime the Log and Inspections pages get empty documents (and say so), not a 404,
  // and no log is served.
  auto regime = get("/api/regime.json");
  EXPECT_EQ(regime.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(regime.Body())["logs"].empty());
  EXPECT_TRUE(nlohmann::json::parse(get("/api/inspections.json").Body())["inspections"].empty());
  EXPECT_EQ(get("/logs/US/checkpoint").status, 404);
}

TEST(Routes, ALogFolderIsServedFileByFile) {
  auto docs = BuildDashboardDocuments(Site());
  docs->by_path["/logs/US/checkpoint"] = {std::make_shared<const std::string>("note\n"),
                                          "text/plain; charset=utf-8"};
  server::Router router;
  AddDashboardRoutes(router, std::move(docs));
  server::HttpRequest req;
  req.method = "GET";
  req.path = req.target = "/logs/US/checkpoint";
  auto m = router.Match("GET", req.path);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(std::string(m.route->handler(req).Body()), "note\n");
  req.path = req.target = "/logs/US/tile/0/000";
  m = router.Match("GET", req.path);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->handler(req).status, 404);
  req.path = req.target = "/logs/../private/log.key";
  EXPECT_EQ(m.route->handler(req).status, 404);  // only the files put in the documents
}

}  // namespace
}  // namespace tally::dashboard
