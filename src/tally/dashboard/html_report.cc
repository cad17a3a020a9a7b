#include "tally/dashboard/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "tally/base/file.h"
#include "tally/dashboard/data_api.h"
#include "tally/dashboard/svg_chart.h"
#include "tally/model/state.h"

namespace tally::dashboard {
namespace {

// Observable's tableau10, one colour per state in the usual order.
constexpr const char* kPalette[] = {"#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f",
                                    "#edc949", "#af7aa1", "#ff9da7", "#9c755f", "#bab0ab"};

std::string StateColor(std::string_view code) {
  size_t i = 0;
  for (const auto& s : model::AllStates()) {
    if (s.code == code) return kPalette[i % std::size(kPalette)];
    ++i;
  }
  return "#333";
}

std::string ShortName(std::string_view code) {
  if (code == model::kWorld) return "World";
  auto s = model::FindState(code);
  return s ? std::string(s->short_name) : std::string(code);
}

std::string Name(std::string_view code) {
  if (code == model::kWorld) return "World";
  auto s = model::FindState(code);
  return s ? std::string(s->name) : std::string(code);
}

std::string E(std::string_view s) { return XmlEscape(s); }

double DecimalYear(Date d) { return d.DecimalYear(); }

constexpr const char* kStyle = R"css(
:root{--fg:#1d1d1d;--muted:#5b5b5b;--line:#ddd;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
body{max-width:980px;margin:2em auto;padding:0 1em;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.9em;margin:.5em 0}
th,td{padding:.2em .6em;border-bottom:1px solid var(--line);text-align:right}
th:first-child,td:first-child{text-align:left}
.source{color:var(--muted);font-size:.85em}
figure{margin:1em 0}figcaption{font-weight:600}
svg.chart{max-width:100%;height:auto;font-size:11px}svg .label{font-weight:600}
details summary{cursor:pointer;color:var(--muted)}
button{font:inherit;font-size:.85em}
.verdict-violation{color:#b00;font-weight:600}
@media (prefers-reduced-motion: reduce){*{transition:none!important;animation:none!important}}
)css";

constexpr const char* kScript = R"js(
document.querySelectorAll('button[data-csv]').forEach(function (b) {
  b.addEventListener('click', function () {
    var text = document.getElementById(b.dataset.csv).textContent.replace(/^\n/, '');
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], {type: 'text/csv'}));
    a.download = b.dataset.csv.replace(/^csv-/, '') + '.csv';
    document.body.appendChild(a); a.click(); a.remove();
  });
});
)js";

std::string Figure(const std::string& id, const std::string& caption, const std::string& svg,
                   const std::string& source, const std::string& table) {
  return "<figure id=\"" + id + "\"><figcaption>" + E(caption) + "</figcaption>" + svg +
         "<p class=\"source\">" + source + "</p><details><summary>Table</summary>" + table +
         "</details></figure>\n";
}

// Section 1: today.
std::string TodaySection(const report::Today& t) {
  std::string o = "<h2 id=\"today\">1. World nuclear forces today</h2>\n<p>Warheads, as of " +
                  t.as_of.ToString() + ".</p><table><thead><tr><th>state</th>";
  for (auto c : t.categories) o += "<th>" + E(model::CategoryLabel(c)) + "</th>";
  o += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    o += "<tr><td>" + E(Name(row.state)) + "</td>";
    for (auto c : t.categories) {
      auto it = row.figures.find(c);
      if (it == row.figures.end()) {
        o += "<td></td>";
        continue;
      }
      const auto& f = it->second;
      o += "<td title=\"" +
           E(f.dataset + ", " + f.as_of_text + ", " +
             std::string(model::ConfidenceName(f.confidence))) +
           "\">" + Thousands(f.value) + "</td>";
    }
    o += "</tr>";
  }
  o += "</tbody></table><p class=\"source\">Source: " + E(t.dataset) + ", " + E(t.title) + " (" +
       E(t.publisher) +
       "). Military stockpile = deployed + reserve; total = stockpile + retired warheads awaiting "
       "dismantlement.</p>\n";
  if (!t.disagreements.empty()) {
    o += "<p>Where sources differ:</p><ul>";
    for (const auto& d : t.disagreements) {
      o += "<li>" + E(ShortName(d.state)) + " " + E(model::CategoryName(d.category)) + " " +
           std::to_string(d.year) + ": ";
      bool first = true;
      for (const auto& f : d.figures) {
        o += (first ? "" : ", ") + std::string(f.has_range() ? "~" : "") + Thousands(f.value) +
             " (" + E(f.dataset) + ")";
        first = false;
      }
      o += d.within_ranges ? " — within the stated rounding" : "";
      o += "</li>";
    }
    o += "</ul>\n";
  }
  return o;
}

// Section 2: over time, a chart of every yearly stockpile figure, then the decade table.
std::string HistorySection(const SiteData& s) {
  const auto& h = s.report.history;
  std::string o =
      "<h2 id=\"history\">2. Over time</h2>\n<p>Countries: military stockpiles; World: total "
      "inventory including retired warheads.</p>";
  const std::string series_ref = h.dataset;
  auto chart = [&](bool log, const std::string& id) {
    LineChart c;
    c.title = std::string("Nuclear warheads by state, 1945-2026") + (log ? " (log scale)" : "");
    c.y_label = "warheads (military stockpile)";
    c.log_y = log;
    c.x_min = 1945;
    c.x_max = 2026;
    for (const auto& col : h.columns) {
      if (col.state == model::kWorld) continue;
      ChartSeries ser{ShortName(col.state), StateColor(col.state), {}, false, false};
      for (const auto& p : col.points) {
        ser.points.push_back({double(p.year), double(p.value), ""});
      }
      c.series.push_back(std::move(ser));
    }
    // The 2026 article's figures, dashed, beside the series (the newest year it gives).
    for (auto& ser : c.series) {
      for (const auto& p : s.forces) {
        if (p.year != 2026 || p.category != "military_stockpile") continue;
        if (ShortName(p.state) != ser.label) continue;
        ser.points.push_back({double(p.year), double(p.value),
                              ser.label + " 2026: " + Thousands(p.value) + " (" + p.dataset + ")"});
      }
    }
    std::string svg = RenderSvg(c);
    (void)id;
    return svg;
  };
  std::string table = "<table><thead><tr><th>year</th>";
  for (const auto& c : h.columns) table += "<th>" + E(ShortName(c.state)) + "</th>";
  table += "</tr></thead><tbody>";
  for (int y : h.years) {
    table += "<tr><td>" + std::to_string(y) + "</td>";
    for (const auto& c : h.columns) {
      auto p = registry::At(c.points, y);
      table += "<td>" + (p ? Thousands(p->value) : "") + "</td>";
    }
    table += "</tr>";
  }
  table += "<tr><td>peak</td>";
  for (const auto& c : h.columns) {
    table += "<td>" + Thousands(c.peak.value) + " (" + std::to_string(c.peak.year) + ")</td>";
  }
  table += "</tr></tbody></table>";
  const std::string source =
      "Source: " + E(series_ref) + ", " + E(h.source) +
      "; 2026: the article of 2026-02-05 (article-2026-02-05). Every yearly figure: "
      "<button data-csv=\"csv-forces\">download CSV</button>";
  o += Figure("chart-forces", "Warheads by state, 1945-2026", chart(false, "lin"), source, table);
  o += Figure("chart-forces-log", "The same on a log scale (the smaller arsenals)",
              chart(true, "log"), source, "<p>As above.</p>");
  return o;
}

std::string TreatySection(const SiteData& s) {
  std::string o = "<h2 id=\"treaties\">3. Treaties on " + s.report.date.ToString() + "</h2>\n";
  Timeline t;
  t.title = "Treaty timelines: signed, in force, ended";
  t.x_min = 1970;
  t.x_max = 2031;
  const double now = DecimalYear(s.report.date);
  for (const auto& row : s.report.treaties) {
    TimelineRow r{row.name, {}};
    const double signed_on = DecimalYear(row.signed_on);
    if (row.entry_into_force) {
      const double eif = DecimalYear(*row.entry_into_force);
      r.spans.push_back({signed_on, eif, "#c9c9c9",
                         row.name + ": signed " + row.signed_on.ToString() + ", not yet in force"});
      const double end = row.ended ? DecimalYear(*row.ended) : std::min(now, t.x_max);
      r.spans.push_back({eif, end, row.hypothetical ? "#a0cbe8" : "#4e79a7",
                         row.name + ": in force " + row.entry_into_force->ToString() + " to " +
                             (row.ended ? row.ended->ToString() : "today")});
    } else {
      const double end = row.ended ? DecimalYear(*row.ended) : std::min(now, t.x_max);
      r.spans.push_back({signed_on, end, "#c9c9c9",
                         row.name + ": signed " + row.signed_on.ToString() + ", never in force"});
    }
    t.rows.push_back(std::move(r));
  }
  t.markers.push_back({"today", now});
  std::string table =
      "<table><thead><tr><th>treaty</th><th>parties</th><th>signed</th><th>in "
      "force</th><th>ended</th><th>status</th><th>why</th></tr></thead><tbody>";
  for (const auto& row : s.report.treaties) {
    std::string parties;
    for (const auto& p : row.parties) parties += (parties.empty() ? "" : ", ") + ShortName(p);
    table += "<tr><td>" + E(row.name) + (row.hypothetical ? " (hypothetical)" : "") + "</td><td>" +
             E(parties) + "</td><td>" + row.signed_on.ToString() + "</td><td>" +
             (row.entry_into_force ? row.entry_into_force->ToString() : "-") + "</td><td>" +
             (row.ended ? row.ended->ToString() : "-") + "</td><td>" + E(row.state) +
             "</td><td style=\"text-align:left\">" + E(row.reason) + "</td></tr>";
  }
  table += "</tbody></table>";
  o += Figure("chart-treaties", "Each treaty from signature to its end", RenderSvg(t),
              "Source: the treaty files of tally (data/treaties/*.toml), each with its citations.",
              "<p>The table below.</p>");
  o += table + "\n";
  return o;
}

// The longest gap between two exchanges the line joins (the web page's is the same, in days:
// web/src/lib/data.js REPLAY_MAX_GAP_DAYS).
constexpr double kReplayMaxGapYears = 400.0 / 365.0;

// One chart per limit of a replay: each party's counted value at each exchange, the limit as a
// rule, with the table of counts and margins; a limit no row gives a count for is a sentence.
std::string ReplayFigures(const TreatyReplay& r) {
  std::string o;
  const std::string csv_id = "csv-" + r.treaty;
  for (const ReplayLimit& lim : r.limits) {
    LineChart c;
    c.title = r.name + " " + lim.name + ", every exchange";
    c.y_label = lim.name;
    c.height = 280;
    c.rules.push_back({"limit " + Thousands(lim.max), double(lim.max)});
    std::map<std::string, ChartSeries> by_party;
    std::string table =
        "<table><thead><tr><th>party</th><th>as of</th><th>counted</th><th>limit"
        "</th><th>margin</th><th>verdict</th></tr></thead><tbody>";
    for (const auto& row : r.rows) {
      const auto it = std::find_if(row.limits.begin(), row.limits.end(),
                                   [&](const report::LimitRow& x) { return x.id == lim.id; });
      if (it == row.limits.end()) continue;
      const auto& l = *it;
      table += "<tr><td>" + E(ShortName(row.party)) + "</td><td>" + row.as_of.ToString() +
               "</td><td>" + (l.counted ? Thousands(*l.counted) : "not provided") + "</td><td>" +
               Thousands(l.max) + "</td><td>" + (l.margin ? Thousands(*l.margin) : "") +
               "</td><td>" + E(row.verdict) + "</td></tr>";
      if (!l.counted) continue;
      auto& ser = by_party[row.party];
      if (ser.label.empty()) {
        ser.label = ShortName(row.party);
        ser.color = StateColor(row.party);
        ser.dots = true;
        // Exchanges are six months apart: a longer gap is missing data, not a straight line.
        ser.max_gap = kReplayMaxGapYears;
      }
      ser.points.push_back({DecimalYear(row.as_of), double(*l.counted),
                            ser.label + " " + row.as_of.ToString() + ": " + Thousands(*l.counted) +
                                " (limit " + Thousands(l.max) + ", margin " +
                                (l.margin ? Thousands(*l.margin) : "-") + ")"});
    }
    table += "</tbody></table>";
    const std::string source = "Source: " + E(r.source) + " (" + E(r.file) +
                               "); each row checked at its own date. <button data-csv=\"" +
                               E(csv_id) + "\">download CSV</button>";
    if (by_party.empty()) {
      // Nothing to draw: say so rather than plot an empty frame.
      o += "<figure id=\"chart-" + E(r.treaty) + "-" + E(lim.id) + "\"><figcaption>" + E(lim.name) +
           " against the limit of " + Thousands(lim.max) +
           "</figcaption><p>No published row gives this count.</p><p class=\"source\">" + source +
           "</p><details><summary>Table</summary>" + table + "</details></figure>\n";
      continue;
    }
    for (auto& [party, ser] : by_party) c.series.push_back(std::move(ser));
    if (r.limits_effective)
      c.markers.push_back({"limits effective", DecimalYear(*r.limits_effective)});
    o += Figure("chart-" + r.treaty + "-" + lim.id,
                lim.name + " against the limit of " + Thousands(lim.max), RenderSvg(c), source,
                table);
  }
  return o;
}

std::string NewStartSection(const SiteData& s) {
  const auto& ns = s.report.new_start;
  std::string o = "<h2 id=\"new-start\">4. " + E(ns.treaty_name) +
                  ": every exchange against its limits</h2>\n<p>Status: " + E(ns.status) + " (" +
                  E(ns.status_reason) + ").</p>";
  // The last data of each party.
  o += "<table><thead><tr><th>party</th><th>as of</th>";
  if (!ns.last.empty()) {
    for (const auto& l : ns.last.front().limits) {
      o += "<th>" + E(l.id) + " (≤ " + Thousands(l.max) + ")</th>";
    }
  }
  o += "<th>verdict</th></tr></thead><tbody>";
  for (const auto& row : ns.last) {
    o += "<tr><td>" + E(ShortName(row.party)) + "</td><td>" + row.as_of.ToString() + "</td>";
    for (const auto& l : row.limits) {
      if (!l.counted) {
        o += "<td>not provided</td>";
        continue;
      }
      o += "<td>" + Thousands(*l.counted) +
           (l.margin ? " (" + std::string(*l.margin >= 0 ? "+" : "") + Thousands(*l.margin) + ")"
                     : "") +
           "</td>";
    }
    o += "<td class=\"verdict-" + E(row.verdict) + "\">" + E(row.verdict) + "</td></tr>";
  }
  o += "</tbody></table><p>All " + std::to_string(ns.rows_checked) + " published rows replayed:";
  bool first = true;
  for (const auto& [verdict, n] : ns.verdicts) {
    o += (first ? " " : ", ") + std::to_string(n) + " " + E(verdict);
    first = false;
  }
  o += ".</p>\n";
  if (const TreatyReplay* r = FindReplay(s, "new-start")) o += ReplayFigures(*r);
  return o;
}

// A further replayed treaty (START I): its status, then a chart and table per limit.
std::string ReplaySection(const TreatyReplay& r, int number) {
  std::string o = "<h2 id=\"" + E(r.treaty) + "\">" + std::to_string(number) + ". " + E(r.name) +
                  ": every exchange against its limits</h2>\n<p>Status: " + E(r.status) + " (" +
                  E(r.status_reason) + ").</p>";
  std::map<std::string, size_t> verdicts;
  for (const auto& row : r.rows) ++verdicts[row.verdict];
  o += "<p>All " + std::to_string(r.rows.size()) + " published rows replayed";
  if (r.limits_effective) o += " (the limits apply from " + r.limits_effective->ToString() + ")";
  o += ":";
  bool first = true;
  for (const auto& [verdict, n] : verdicts) {
    o += (first ? " " : ", ") + std::to_string(n) + " " + E(verdict);
    first = false;
  }
  o += ".</p>\n";
  return o + ReplayFigures(r);
}

std::string BandsSection(const SiteData& s, int number) {
  if (s.bands.empty()) return "";
  std::string o =
      "<h2 id=\"estimates\">" + std::to_string(number) +
      ". Estimates with uncertainty</h2>\n<p>Median with 50 % and 90 % "
      "intervals from all evidence (a local linear trend, Kalman smoother: <code>tally "
      "estimate</code>). The bands widen after the last declared figure: without verification "
      "there are no good numbers.</p>";
  for (const auto& b : s.bands) {
    LineChart c;
    c.title = ShortName(b.state) + " " + b.category + ": estimate with 50 % and 90 % bands";
    c.y_label = b.category;
    c.height = 260;
    ChartBand b90{"90 % interval", StateColor(b.state), 0.18, {}, {}, {}};
    ChartBand b50{"50 % interval", StateColor(b.state), 0.35, {}, {}, {}};
    ChartSeries med{"median", StateColor(b.state), {}, false, false};
    std::string table =
        "<table><thead><tr><th>year</th><th>5 %</th><th>25 %</th><th>median</th>"
        "<th>75 %</th><th>95 %</th></tr></thead><tbody>";
    for (const auto& p : b.points) {
      const double x = p.date.year();
      b90.x.push_back(x);
      b90.low.push_back(p.p05);
      b90.high.push_back(p.p95);
      b50.x.push_back(x);
      b50.low.push_back(p.p25);
      b50.high.push_back(p.p75);
      med.points.push_back({x, p.median, ""});
      table += "<tr><td>" + std::to_string(p.date.year()) + "</td><td>" + Thousands((p.p05)) +
               "</td><td>" + Thousands((p.p25)) + "</td><td>" + Thousands((p.median)) +
               "</td><td>" + Thousands((p.p75)) + "</td><td>" + Thousands((p.p95)) + "</td></tr>";
    }
    table += "</tbody></table>";
    c.bands = {b90, b50};
    c.series.push_back(std::move(med));
    if (b.last_declared) c.markers.push_back({"last declared", DecimalYear(*b.last_declared)});
    c.markers.push_back({"expiry", 2026.096});
    o += Figure("chart-band-" + b.state + "-" + b.category, c.title, RenderSvg(c),
                "Source: " + std::to_string(b.sources_used) +
                    " observations (New START exchanges, FAS/SIPRI estimates, evidence files); "
                    "method " +
                    E(b.method) + ".",
                table);
  }
  return o;
}

std::string SourcesSection(const SiteData& s) {
  std::string o = "<h2 id=\"sources\">Sources</h2><ul>";
  for (const auto& d : s.datasets) {
    o += "<li><b>" + E(d.ref) + "</b>: " + E(d.title) + " (" + E(d.publisher) + "). " +
         E(d.source) + (d.url.empty() ? "" : " " + E(d.url)) + "</li>";
  }
  return o + "</ul>\n";
}

std::string InlineCsv(const std::string& id, const std::string& csv) {
  // </script> cannot occur in the CSV unless a source says so; escape the slash if it does.
  std::string safe = csv;
  for (size_t p = 0; (p = safe.find("</", p)) != std::string::npos; p += 3)
    safe.replace(p, 2, "<\\/");
  return "<script type=\"text/csv\" id=\"" + id + "\">\n" + safe + "</script>\n";
}

}  // namespace

std::string_view ReportStyle() { return kStyle; }

std::string RenderHtmlReport(const SiteData& s) {
  std::string o;
  o.reserve(256 * 1024);
  o +=
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" "
      "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
      "img-src data: blob:\"><title>tally report, " +
      s.report.date.ToString() + "</title><style>" + kStyle + "</style></head><body>\n";
  o += "<h1>tally report, " + s.report.date.ToString() +
       "</h1>\n<p class=\"source\">Open, verifiable accounting of nuclear arsenals. Every figure "
       "names its dataset; the data behind every chart is in this file.</p>\n";
  o += TodaySection(s.report.today);
  o += HistorySection(s);
  o += TreatySection(s);
  o += NewStartSection(s);
  // Sections 1-4 are fixed; each further replay (START I) takes the next number, then the bands.
  int number = 5;
  for (const auto& r : s.replays) {
    if (r.treaty != "new-start") o += ReplaySection(r, number++);
  }
  o += BandsSection(s, number);
  o += SourcesSection(s);
  o += InlineCsv("csv-forces", ForcesCsv(s));
  for (const auto& r : s.replays) o += InlineCsv("csv-" + r.treaty, ReplayCsv(r));
  o += std::string("<script>") + kScript + "</script>\n</body></html>\n";
  return o;
}

Status WriteHtmlReport(const SiteData& site, const std::string& path) {
  return WriteFileAtomic(path, RenderHtmlReport(site));
}

}  // namespace tally::dashboard
