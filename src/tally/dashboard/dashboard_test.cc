#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/dashboard/confidence_data.h"
#include "tally/dashboard/data_api.h"
#include "tally/dashboard/html_report.h"
#include "tally/dashboard/pdf_print.h"
#include "tally/dashboard/routes.h"
#include "tally/dashboard/svg_chart.h"
#include "tally/data/embedded.h"
#include "tally/treaty/check.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_set.h"

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
  ASSERT_FALSE(s.replays.empty());
  EXPECT_EQ(s.replays.front().treaty, "new-start");
  EXPECT_EQ(s.replays.front().rows.size(), s.report.new_start.rows_checked);
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

// A CSV of the API as rows of fields (no field of these documents holds a line break).
std::vector<std::vector<std::string>> CsvRows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  size_t at = 0;
  while (at < csv.size()) {
    const size_t nl = csv.find('\n', at);
    const std::string line = csv.substr(at, nl - at);
    at = nl + 1;
    std::vector<std::string> row(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        row.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        row.emplace_back();
      } else {
        row.back() += c;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Cell(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

TEST(Upload, OneCasePerStateAndCaseOneRowPerSystemAsTheStructureFileLists) {
  const SiteData& s = Site();
  // Counted from data/structure/systems.csv itself: rows per state and case, for the US and
  // Russia, the states the dashboard shows (the file also holds the other states, issue 12).
  std::map<std::string, int> rows;
  const auto csv = CsvRows(std::string(*data::EmbeddedFile("structure/systems.csv")));
  for (size_t i = 1; i < csv.size(); ++i) {
    if (csv[i].size() > 1 && (csv[i][0] == "US" || csv[i][0] == "RU")) {
      ++rows[csv[i][0] + "/" + csv[i][1]];
    }
  }
  ASSERT_FALSE(rows.empty());
  const auto doc = nlohmann::json::parse(UploadJson(s));
  ASSERT_EQ(doc["uploads"].size(), rows.size());
  for (const auto& u : doc["uploads"]) {
    const std::string key = u["state"].get<std::string>() + "/" + u["case"].get<std::string>();
    EXPECT_EQ(u["systems"].size(), static_cast<size_t>(rows[key])) << key;
    int64_t loaded = 0, added = 0;
    for (const auto& sys : u["systems"]) {
      loaded += sys["warheads_loaded"].get<int64_t>();
      added += sys["added"].get<int64_t>();
      EXPECT_LE(sys["warheads_loaded"].get<int64_t>(), sys["capacity"].get<int64_t>());
      EXPECT_LE(sys["added"].get<int64_t>(), sys["headroom"].get<int64_t>());
      EXPECT_FALSE(sys["source"].get<std::string>().empty());
    }
    EXPECT_EQ(u["baseline"].get<int64_t>(), loaded) << key;
    EXPECT_NEAR(u["added"].get<int64_t>(), added, 1.0 * u["systems"].size()) << key;
    EXPECT_EQ(u["total"].get<int64_t>(), u["baseline"].get<int64_t>() + u["added"].get<int64_t>());
    // New START's 1,550 on deployed warheads is among each state's limits.
    bool new_start = false;
    for (const auto& l : u["limits"]) {
      new_start |= l["id"].get<std::string>().starts_with("new-start/") && l["max"] == 1550;
      EXPECT_EQ(l["after_upload_margin"].get<int64_t>(),
                l["max"].get<int64_t>() - u["total"].get<int64_t>());
    }
    EXPECT_TRUE(new_start) << key;
  }
}

TEST(Upload, CsvEqualsJson) {
  const auto doc = nlohmann::json::parse(UploadJson(Site()));
  const auto rows = CsvRows(UploadCsv(Site()));
  const std::vector<std::string> cols = {
      "state",    "case",     "system", "leg",        "launchers",     "warheads_loaded",
      "capacity", "headroom", "added",  "limited_by", "months_to_full"};
  ASSERT_EQ(rows.front(), cols);
  size_t r = 1;
  for (const auto& u : doc["uploads"]) {
    for (const auto& sys : u["systems"]) {
      ASSERT_LT(r, rows.size());
      std::vector<std::string> want = {Cell(u["state"]), Cell(u["case"])};
      for (size_t c = 2; c < cols.size(); ++c) want.push_back(Cell(sys[cols[c]]));
      EXPECT_EQ(rows[r++], want);
    }
  }
  EXPECT_EQ(r, rows.size());
}

TEST(Upload, AnUnknownTreatyIsNamed) {
  auto treaties = treaty::LoadDefaultTreaties().value();
  auto r = BuildUploads(treaties, {"no-such-treaty"});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), HasSubstr("no-such-treaty"));
}

TEST(Projections, EveryShippedScenarioWithBoundedMembersBandsAndLimits) {
  const SiteData& s = Site();
  size_t shipped = 0;
  for (const auto& f : data::EmbeddedFilesUnder("scenarios/")) shipped += f.path.ends_with(".toml");
  ASSERT_GT(shipped, 0u);
  const auto doc = nlohmann::json::parse(ProjectionsJson(s));
  ASSERT_EQ(doc["scenarios"].size(), shipped);
  for (const auto& sc : doc["scenarios"]) {
    const std::string id = sc["id"];
    const auto text = data::EmbeddedFile("scenarios/" + id + ".toml");
    ASSERT_TRUE(text.has_value()) << id;
    EXPECT_EQ(sc["sha256"], crypto::HexEncode(crypto::Sha256Of(*text)));
    EXPECT_LE(sc["members"].get<int>(), kDashboardProjectionMembers);
    EXPECT_GT(sc["members"].get<int>(), 1);
    const size_t dates = sc["dates"].size();
    ASSERT_GT(dates, 1u);
    ASSERT_FALSE(sc["series"].empty()) << id;
    for (const auto& x : sc["series"]) {
      for (const char* k : {"central", "p05", "p25", "p50", "p75", "p95"}) {
        ASSERT_EQ(x[k].size(), dates) << id << " " << k;
      }
      for (size_t t = 0; t < dates; ++t) {
        EXPECT_LE(x["p05"][t].get<int64_t>(), x["p50"][t].get<int64_t>()) << id;
        EXPECT_LE(x["p50"][t].get<int64_t>(), x["p95"][t].get<int64_t>()) << id;
      }
    }
    // Every treaty the scenario names contributes its limits (a scenario naming New START is
    // compared with its deployed-warhead limit).
    for (const auto& t : sc["treaties"]) {
      bool found = false;
      for (const auto& l : sc["limits"]) {
        found |= l["id"].get<std::string>().starts_with(t.get<std::string>() + "/");
      }
      EXPECT_TRUE(found) << id << " " << t;
    }
  }
}

TEST(Projections, CsvEqualsJson) {
  const auto doc = nlohmann::json::parse(ProjectionsJson(Site()));
  const auto rows = CsvRows(ProjectionsCsv(Site()));
  ASSERT_EQ(rows.front(),
            (std::vector<std::string>{"scenario", "series", "state", "quantity", "date", "central",
                                      "p05", "p25", "p50", "p75", "p95"}));
  size_t r = 1;
  for (const auto& sc : doc["scenarios"]) {
    for (const auto& x : sc["series"]) {
      for (size_t t = 0; t < sc["dates"].size(); ++t) {
        ASSERT_LT(r, rows.size());
        std::vector<std::string> want = {Cell(sc["id"]), Cell(x["id"]), Cell(x["state"]),
                                         Cell(x["quantity"]), Cell(sc["dates"][t])};
        for (const char* k : {"central", "p05", "p25", "p50", "p75", "p95"}) {
          want.push_back(Cell(x[k][t]));
        }
        EXPECT_EQ(rows[r++], want);
      }
    }
  }
  EXPECT_EQ(r, rows.size());
}

TEST(Projections, TheHtmlReportRunsNone) {
  // `tally report --html` builds its site data with the default options: no ensemble is run.
  EXPECT_EQ(SiteOptions{}.projection_members, 0);
  EXPECT_TRUE(BuildDefaultSiteData(*Date::FromCivil(2026, 3, 1), 0).value().projections.empty());
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

TEST(SvgChart, AGapLongerThanMaxGapBreaksTheLine) {
  LineChart c;
  ChartSeries s{"s", "#000", {{1990, 1, ""}, {1990.5, 2, ""}, {2001, 3, ""}}, false, true};
  s.max_gap = 1.0;
  c.series.push_back(s);
  const std::string broken = RenderSvg(c);
  c.series[0].max_gap.reset();
  const std::string joined = RenderSvg(c);
  // One path either way; "M" starts it and, with the gap, starts it again at 2001.
  auto moves = [](const std::string& svg) {
    const size_t d = svg.find("class=\"line\"");
    const size_t from = svg.find(" d=\"", d), to = svg.find('"', from + 4);
    return Count(svg.substr(from, to - from), "M");
  };
  EXPECT_EQ(moves(joined), 1u);
  EXPECT_EQ(moves(broken), 2u);
  EXPECT_EQ(Count(broken, "class=\"dot\""), 3u);
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
  EXPECT_EQ(Count(NewStartCsv(Site()), "\n"), FindReplay(Site(), "new-start")->rows.size() + 1);
}

TEST(DataApi, JsonDocumentsParseAndMatchTheSiteData) {
  const auto forces = nlohmann::json::parse(ForcesJson(Site()));
  EXPECT_EQ(forces["points"].size(), Site().forces.size());
  const auto ns = nlohmann::json::parse(NewStartJson(Site()));
  EXPECT_EQ(ns["limits"].size(), 3u);
  EXPECT_EQ(ns["exchanges"].size(), FindReplay(Site(), "new-start")->rows.size());
  const auto treaties = nlohmann::json::parse(TreatiesJson(Site()));
  EXPECT_EQ(treaties["treaties"].size(), Site().report.treaties.size());
  EXPECT_EQ(nlohmann::json::parse(BandsJson(Site()))["bands"].size(), 3u);
}

// START I's table as the file stands now (rows are being added: count them, do not fix them).
std::vector<model::Posture> StartIFromFile() {
  auto rows =
      treaty::LoadPostureFile(std::string(TALLY_SOURCE_DIR) + "/data/start_i/aggregates.csv");
  EXPECT_TRUE(rows.ok()) << rows.error().ToString();
  return rows.ok() ? *rows : std::vector<model::Posture>{};
}

// The replay's CSV, parsed back, equals its JSON document cell for cell.
void ExpectCsvEqualsJson(const TreatyReplay& r) {
  const auto doc = nlohmann::json::parse(ReplayJson(r));
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(ReplayCsv(r));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream cs(line);
    for (std::string c; std::getline(cs, c, ',');) cells.push_back(c);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    lines.push_back(cells);
  }
  ASSERT_EQ(lines.size(), doc["exchanges"].size() + 1) << r.treaty;
  const size_t width = 3 + 2 * doc["limits"].size();
  ASSERT_EQ(lines[0].size(), width);
  auto cell = [](const nlohmann::json& v) {
    return v.is_null() ? std::string() : std::to_string(v.get<int64_t>());
  };
  for (size_t i = 0; i < doc["exchanges"].size(); ++i) {
    const auto& e = doc["exchanges"][i];
    const auto& line = lines[i + 1];
    ASSERT_EQ(line.size(), width) << r.treaty << " row " << i;
    EXPECT_EQ(line[0], e["party"]);
    EXPECT_EQ(line[1], e["as_of"]);
    EXPECT_EQ(line[2], e["verdict"]);
    for (size_t k = 0; k < doc["limits"].size(); ++k) {
      const std::string id = doc["limits"][k]["id"];
      EXPECT_EQ(lines[0][3 + 2 * k], id);
      EXPECT_EQ(line[3 + 2 * k], e["counted"].contains(id) ? cell(e["counted"][id]) : "") << id;
      EXPECT_EQ(line[4 + 2 * k], e["margin"].contains(id) ? cell(e["margin"][id]) : "") << id;
    }
  }
}

TEST(Replays, StartIHasARowPerPartyAndExchangeOfTheFile) {
  const auto file = StartIFromFile();
  ASSERT_FALSE(file.empty());
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& p : file) keys.insert({p.party, p.as_of.ToString()});
  EXPECT_EQ(keys.size(), file.size()) << "one row per party and exchange";
  const TreatyReplay* r = FindReplay(Site(), "start-i");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(Site().replays.size(), 2u);
  EXPECT_EQ(Site().replays[1].treaty, "start-i");  // after New START
  ASSERT_EQ(r->rows.size(), file.size());
  const auto doc = nlohmann::json::parse(ReplayJson(*r));
  EXPECT_EQ(doc["exchanges"].size(), file.size());
  EXPECT_EQ(doc["treaty"], r->name);
  EXPECT_EQ(Count(ReplayCsv(*r), "\n"), file.size() + 1);
}

TEST(Replays, StartIStatusesAreTallyChecks) {
  // `tally check --treaty start-i --aggregates data/start_i/aggregates.csv` is this call.
  const auto set = treaty::LoadDefaultTreaties().value();
  const treaty::Treaty* t = set.Get("start-i").value();
  const auto checks = treaty::CheckAll(*t, StartIFromFile());
  const TreatyReplay* r = FindReplay(Site(), "start-i");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->rows.size(), checks.size());
  const auto effective = t->LimitsEffective();
  ASSERT_TRUE(effective.has_value());
  EXPECT_EQ(effective->ToString(), "2001-12-05");
  for (size_t i = 0; i < checks.size(); ++i) {
    EXPECT_EQ(r->rows[i].verdict, treaty::VerdictName(checks[i].verdict)) << i;
    EXPECT_EQ(r->rows[i].party, checks[i].party);
    EXPECT_EQ(r->rows[i].as_of, checks[i].date);
    ASSERT_EQ(r->rows[i].limits.size(), checks[i].limits.size());
    for (size_t k = 0; k < checks[i].limits.size(); ++k) {
      EXPECT_EQ(r->rows[i].limits[k].margin, checks[i].limits[k].margin);
      EXPECT_EQ(r->rows[i].limits[k].counted, checks[i].limits[k].counted);
    }
    // Before 2001-12-05 no START I limit binds: an earlier exchange is never a violation.
    if (checks[i].date < *effective) {
      EXPECT_NE(r->rows[i].verdict, "violation") << i;
    }
  }
  // Every START I limit the rows are checked against is in the document, with its ceiling.
  const auto doc = nlohmann::json::parse(ReplayJson(*r));
  EXPECT_EQ(doc["limits"].size(), t->limits.size());
  for (const auto& l : doc["limits"]) EXPECT_GT(l["max"].get<int64_t>(), 0);
}

TEST(Replays, CsvEqualsJsonAndTheIndexHoldsEachDocument) {
  for (const auto& r : Site().replays) ExpectCsvEqualsJson(r);
  EXPECT_EQ(NewStartJson(Site()), ReplayJson(*FindReplay(Site(), "new-start")));
  EXPECT_EQ(NewStartCsv(Site()), ReplayCsv(*FindReplay(Site(), "new-start")));
  const auto index = nlohmann::json::parse(ReplaysJson(Site()));
  ASSERT_EQ(index["replays"].size(), Site().replays.size());
  for (size_t i = 0; i < Site().replays.size(); ++i) {
    auto entry = index["replays"][i];
    const auto& r = Site().replays[i];
    EXPECT_EQ(entry["id"], r.treaty);
    EXPECT_EQ(entry["csv"], "api/" + r.treaty + ".csv");
    EXPECT_EQ(entry["json"], "api/" + r.treaty + ".json");
    for (const char* k : {"id", "file", "source", "limits_effective", "json", "csv"})
      entry.erase(k);
    EXPECT_EQ(entry, nlohmann::json::parse(ReplayJson(r))) << r.treaty;
  }
}

TEST(Replays, AColumnTheTreatyDoesNotDefineIsRefused) {
  const auto set = treaty::LoadDefaultTreaties().value();
  const treaty::Treaty* t = set.Get("start-i").value();
  auto rows = treaty::ParsePostureCsv("as_of_date,party,delivery_vehicle\n2001-12-05,RU,1136\n",
                                      "typo.csv");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  auto r = ReplayTable(*t, {"start-i", "typo.csv", "test", *rows}, *Date::FromCivil(2026, 3, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), HasSubstr("delivery_vehicle"));
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
  // Two forces charts, the timeline, three New START limits, three bands, and a chart per START I
  // limit that some row gives a count for (the others say so in a sentence).
  size_t start_i_charts = 0;
  const TreatyReplay* start_i = FindReplay(Site(), "start-i");
  ASSERT_NE(start_i, nullptr);
  for (const auto& lim : start_i->limits) {
    bool any = false;
    for (const auto& r : start_i->rows)
      for (const auto& l : r.limits) any |= l.id == lim.id && l.counted.has_value();
    start_i_charts += any;
  }
  EXPECT_GT(start_i_charts, 0u);
  EXPECT_EQ(Count(html, "<svg"), 9u + start_i_charts);
  EXPECT_THAT(html, HasSubstr("id=\"start-i\""));
  EXPECT_THAT(html, HasSubstr("id=\"csv-start-i\""));
  EXPECT_THAT(html, HasSubstr(ReplayCsv(*start_i)));
  // One dot per exchange with data, in the three limit charts.
  size_t with_data = 0;
  for (const auto& replay : Site().replays)
    for (const auto& r : replay.rows)
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
  EXPECT_EQ(std::string(get("/api/new-start.json").Body()), NewStartJson(Site()));
  const TreatyReplay* start_i = FindReplay(Site(), "start-i");
  ASSERT_NE(start_i, nullptr);
  EXPECT_EQ(std::string(get("/api/start-i.json").Body()), ReplayJson(*start_i));
  EXPECT_EQ(std::string(get("/api/start-i.csv").Body()), ReplayCsv(*start_i));
  EXPECT_EQ(std::string(get("/api/replays.json").Body()), ReplaysJson(Site()));
  EXPECT_EQ(std::string(get("/api/upload.json").Body()), UploadJson(Site()));
  EXPECT_EQ(std::string(get("/api/upload.csv").Body()), UploadCsv(Site()));
  EXPECT_EQ(*get("/api/upload.csv").Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(std::string(get("/api/projections.json").Body()), ProjectionsJson(Site()));
  EXPECT_EQ(std::string(get("/api/projections.csv").Body()), ProjectionsCsv(Site()));
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
