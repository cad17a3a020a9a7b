#include "tally/exercise/exercise_html.h"

#include <cmath>
#include <cstdio>

#include "tally/dashboard/html_report.h"
#include "tally/dashboard/svg_chart.h"

namespace tally::exercise {
namespace {

using dashboard::Thousands;

std::string E(std::string_view s) { return dashboard::XmlEscape(s); }

std::string Percent(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100.0 * p);
  return buf;
}

std::string Cell(const std::string& text, bool bad = false) {
  return bad ? "<td class=\"bad\">" + E(text) + "</td>" : "<td>" + E(text) + "</td>";
}

std::string ComplianceSection(const TreatyYearRun& run) {
  std::string o =
      "<h2>Compliance at each data date</h2>\n<table><thead><tr><th>party</th><th>data "
      "date</th><th>limit</th><th>max</th><th>declared</th><th>actual</th><th>"
      "verdict</th></tr></thead><tbody>\n";
  for (const ComplianceRow& row : run.compliance) {
    for (const LimitCount& l : row.limits) {
      const bool differs = row.declared_verdict != row.actual_verdict;
      o += "<tr>" + Cell(row.party) + Cell(row.as_of.ToString()) + Cell(l.limit) +
           Cell(Thousands(static_cast<double>(l.max))) +
           Cell(Thousands(static_cast<double>(l.declared))) +
           Cell(Thousands(static_cast<double>(l.actual)), l.declared != l.actual) +
           Cell(differs ? row.declared_verdict + " / actually " + row.actual_verdict
                        : row.declared_verdict,
                differs || row.declared_verdict == "violation") +
           "</tr>\n";
    }
  }
  return o + "</tbody></table>\n";
}

std::string InspectionSection(const TreatyYearRun& run, const inspection::TreatyLookup& treaties) {
  std::string rows;
  size_t consistent = 0;
  for (const std::string& id : run.inspections) {
    auto rec = inspection::Replay(treaties, run.source, id, 0);
    if (!rec.ok()) {
      rows += "<tr>" + Cell(id) + "<td colspan=\"4\" class=\"bad\">" + E(rec.error().message()) +
              "</td></tr>\n";
      continue;
    }
    const std::string verdict = rec->Verdict();
    if (verdict == "consistent") ++consistent;
    std::string what;
    for (const auto& d : rec->discrepancies) what += d.kind + ": " + d.what + "; ";
    for (const auto& v : rec->procedural) what += v.kind + ": " + v.what + "; ";
    rows += "<tr>" + Cell(id) + Cell(rec->type_name) + Cell(rec->request.site) +
            Cell(verdict, verdict != "consistent") + Cell(what) + "</tr>\n";
  }
  return "<h2>Inspections</h2>\n<p>" + std::to_string(run.inspections.size()) + " inspections, " +
         std::to_string(consistent) +
         " consistent. Each verdict is the replay of the two parties' logs and the documents they "
         "handed each other.</p>\n<details><summary>Every inspection</summary><table><thead><tr>"
         "<th>inspection</th><th>type</th><th>site</th><th>verdict</th><th>findings</th></tr>"
         "</thead><tbody>\n" +
         rows + "</tbody></table></details>\n";
}

std::string CheatSection(const ExerciseResult& r) {
  if (r.run.outcomes.empty() && r.rates.empty()) return "";
  std::string o =
      "<h2>Cheats</h2>\n<table><thead><tr><th>cheat</th><th>outcome</th><th>what "
      "was seen</th><th>probability the regime catches it</th></tr></thead><tbody>\n";
  for (const CheatOutcome& c : r.run.outcomes) {
    const std::string outcome =
        !c.not_applied.empty() ? "not applied (" + c.not_applied + ")"
        : c.caught ? "caught on " + (c.when ? c.when->ToString() : std::string("?")) + " by " + c.by
                   : std::string("not caught");
    o += "<tr>" + Cell(CheatToString(c.cheat)) + Cell(outcome, !c.caught) + Cell(c.finding) +
         Cell(Percent(c.probability) + " (" + c.model + ")") + "</tr>\n";
  }
  o += "</tbody></table>\n";
  if (!r.rates.empty()) {
    o += "<p>Over " + std::to_string(r.runs) +
         " seeds, caught against the computed probability:</p>\n<table><thead><tr><th>cheat</th>"
         "<th>caught</th><th>95 % interval</th><th>computed</th><th>agrees</th></tr></thead>"
         "<tbody>\n";
    for (const CatchRate& c : r.rates) {
      o += "<tr>" + Cell(CheatToString(c.cheat)) +
           Cell(std::to_string(c.caught) + "/" + std::to_string(c.runs)) +
           Cell(Percent(c.low) + " to " + Percent(c.high)) + Cell(Percent(c.probability)) +
           Cell(c.agrees ? "yes" : "NO", !c.agrees) + "</tr>\n";
    }
    o += "</tbody></table>\n";
  }
  return o;
}

std::string EstimateChart(const YearEndEstimate& y) {
  dashboard::LineChart chart;
  chart.title = y.party + ": " + y.limit;
  chart.y_label = "count";
  chart.height = 300;
  auto band = [](const Interval& i, std::string label, std::string color, double opacity) {
    dashboard::ChartBand b;
    b.label = std::move(label);
    b.color = std::move(color);
    b.opacity = opacity;
    for (const EstimateAt& p : i.path) {
      b.x.push_back(p.date.DecimalYear());
      b.low.push_back(p.p05);
      b.high.push_back(p.p95);
    }
    return b;
  };
  auto median = [](const Interval& i, std::string label, std::string color, bool dashed) {
    dashboard::ChartSeries s;
    s.label = std::move(label);
    s.color = std::move(color);
    s.dashed = dashed;
    for (const EstimateAt& p : i.path) {
      s.points.push_back({p.date.DecimalYear(), p.median,
                          p.date.ToString() + ": " + Thousands(p.median) +
                              " (90 %: " + Thousands(p.p05) + "-" + Thousands(p.p95) + ")"});
    }
    return s;
  };
  chart.bands.push_back(band(*y.without, "without the regime, 90 %", "#f28e2c", 0.2));
  chart.bands.push_back(band(*y.with, "with the regime, 90 %", "#4e79a7", 0.35));
  chart.series.push_back(median(*y.without, "without the regime", "#f28e2c", true));
  chart.series.push_back(median(*y.with, "with the regime", "#4e79a7", false));
  dashboard::ChartSeries declared, actual;
  declared.label = "declared";
  declared.color = "#333";
  declared.dots = true;
  actual.label = "actual";
  actual.color = "#e15759";
  actual.dots = true;
  for (const auto& d : y.data) {
    declared.points.push_back(
        {d.as_of.DecimalYear(), static_cast<double>(d.declared),
         d.as_of.ToString() + ": declared " + Thousands(static_cast<double>(d.declared))});
    actual.points.push_back(
        {d.as_of.DecimalYear(), static_cast<double>(d.actual),
         d.as_of.ToString() + ": physically held " + Thousands(static_cast<double>(d.actual))});
  }
  chart.series.push_back(std::move(declared));
  chart.series.push_back(std::move(actual));
  if (y.max > 0)
    chart.rules.push_back(
        {"limit " + Thousands(static_cast<double>(y.max)), static_cast<double>(y.max)});
  double top = static_cast<double>(std::max(y.max, y.actual));
  for (const Interval* i : {&*y.without, &*y.with}) {
    for (const EstimateAt& p : i->path) top = std::max(top, p.p95);
  }
  chart.y_max = top * 1.1;
  if (!y.with->path.empty()) {
    chart.x_min = y.with->path.front().date.DecimalYear();
    chart.x_max = y.with->path.back().date.DecimalYear();
  }

  std::string table =
      "<details><summary>Table</summary><table><thead><tr><th>date</th><th>"
      "without: median</th><th>90 %</th><th>with: median</th><th>90 %</th></tr>"
      "</thead><tbody>\n";
  for (size_t k = 0; k < y.with->path.size() && k < y.without->path.size(); ++k) {
    const EstimateAt& a = y.without->path[k];
    const EstimateAt& b = y.with->path[k];
    table += "<tr>" + Cell(a.date.ToString()) + Cell(Thousands(a.median)) +
             Cell(Thousands(a.p05) + "-" + Thousands(a.p95)) + Cell(Thousands(b.median)) +
             Cell(Thousands(b.p05) + "-" + Thousands(b.p95)) + "</tr>\n";
  }
  table += "</tbody></table></details>\n";
  return "<figure><figcaption>" + E(chart.title) + "</figcaption>" + dashboard::RenderSvg(chart) +
         "<p class=\"source\">Estimates: tally's Kalman/RTS smoother "
         "(exercise/year_end_estimate.h) "
         "over the shipped evidence dated before the run, and with the run's data exchanges. "
         "Dots: the declared and the physically held count at each data date.</p>" +
         table + "</figure>\n";
}

std::string EstimateSection(const ExerciseResult& r) {
  if (r.year_end.empty()) return "";
  std::string o = "<h2>What each side can estimate, with and without the regime</h2>\n<p>On " +
                  E(r.run.ends.ToString()) +
                  ", from the public evidence known before the run began, without and with the "
                  "year's data exchanges (median and 90 % interval).</p>\n<table><thead><tr>"
                  "<th>party</th><th>limit</th><th>without the regime</th><th>with the regime</th>"
                  "<th>declared</th><th>actual</th></tr></thead><tbody>\n";
  std::string charts, unavailable;
  for (const YearEndEstimate& y : r.year_end) {
    if (!y.available) {
      unavailable += "<li>" + E(y.party + " " + y.limit + ": " + y.reason) + "</li>";
      continue;
    }
    auto show = [](const Interval& i) {
      return Thousands(i.median) + " (" + Thousands(i.p05) + "-" + Thousands(i.p95) + ")";
    };
    const double actual = static_cast<double>(y.actual);
    o += "<tr>" + Cell(y.party) + Cell(y.limit) +
         Cell(show(*y.without), !y.without->Covers(actual)) +
         Cell(show(*y.with), !y.with->Covers(actual)) +
         Cell(Thousands(static_cast<double>(y.declared))) + Cell(Thousands(actual)) + "</tr>\n";
    charts += EstimateChart(y);
  }
  o += "</tbody></table>\n";
  if (!unavailable.empty()) o += "<p>Not estimated:</p><ul>" + unavailable + "</ul>\n";
  return o + charts;
}

}  // namespace

std::string ExerciseHtml(const ExerciseResult& r, const inspection::TreatyLookup& treaties) {
  const TreatyYearRun& run = r.run;
  const treaty::Treaty* t = treaties(r.options.treaty);
  std::string parties;
  for (const std::string& p : r.options.parties) parties += (parties.empty() ? "" : ", ") + p;
  const std::string title = "tally exercise: " + (t ? t->name : r.options.treaty) + ", " +
                            run.begins.ToString() + " to " + run.ends.ToString();
  std::string o;
  o.reserve(128 * 1024);
  o +=
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" "
      "content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>" +
      E(title) + "</title><style>" + std::string(dashboard::ReportStyle()) +
      ".bad{color:#b00;font-weight:600}</style></head><body>\n";
  o += "<h1>" + E(title) + "</h1>\n<p class=\"source\">Parties " + E(parties) + "; seed " +
       std::to_string(r.options.seed) + "; " +
       (r.nodes ? "one tallyd per party" : std::string("in process")) + "; " +
       std::to_string(run.entries) +
       " entries on the parties' logs. Reproduce: tally exercise --seed " +
       std::to_string(r.options.seed) + " --treaty " + E(r.options.treaty) + " --parties " +
       E(parties.empty() ? "" : [&] {
         std::string s;
         for (const std::string& p : r.options.parties) s += (s.empty() ? "" : ",") + p;
         return s;
       }());
  for (const Cheat& c : r.options.cheats) o += " --cheat " + E(CheatToString(c));
  o += "</p>\n";
  o += ComplianceSection(run);
  o += InspectionSection(run, treaties);
  o += CheatSection(r);
  o += EstimateSection(r);
  o += "</body></html>\n";
  return o;
}

}  // namespace tally::exercise
