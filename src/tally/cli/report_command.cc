// `tally report`: the main job until the verification exercise exists — the world's nuclear
// forces today and over time, each treaty's status, the last New START data against its limits.
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/dashboard/html_report.h"
#include "tally/dashboard/pdf_print.h"
#include "tally/model/state.h"
#include "tally/report/report.h"
#include "tally/store/store.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::cli {
namespace {

using model::Category;
using model::Figure;
using nlohmann::ordered_json;

struct ReportOptions {
  std::string date;
  std::string store;
  std::string aggregates;
  std::string html;
  std::string pdf;
  bool json = false;
};

std::string StateName(std::string_view code) {
  if (code == model::kWorld) return "World";
  auto s = model::FindState(code);
  return s ? std::string(s->name) : std::string(code);
}

std::string ShortName(std::string_view code) {
  if (code == model::kWorld) return "World";
  auto s = model::FindState(code);
  return s ? std::string(s->short_name) : std::string(code);
}

std::string DisplayRef(const std::string& ref) {
  return ref.size() > 2 && ref.substr(ref.size() - 2) == "@0" ? ref.substr(0, ref.size() - 2) : ref;
}

std::string FigureRef(const Figure& f) {
  return f.dataset_version == 0 ? f.dataset : f.dataset + "@" + std::to_string(f.dataset_version);
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  return std::to_string((part * 100 + whole / 2) / whole) + "%";
}

std::string OptDate(const std::optional<Date>& d) { return d ? d->ToString() : "-"; }

// One line per disagreement: who says what, and what the numbers mean.
std::string DisagreementLine(const registry::Disagreement& d) {
  std::ostringstream s;
  s << ShortName(d.state) << " " << model::CategoryName(d.category) << " " << d.year << ": ";
  bool first = true;
  for (const auto& f : d.figures) {
    s << (first ? "" : ", ") << (f.has_range() ? "~" : "") << WithThousands(f.value) << " ("
      << FigureRef(f)
      << (f.confidence == model::Confidence::kConfirmed
              ? ""
              : ", " + std::string(model::ConfidenceName(f.confidence)))
      << ")";
    first = false;
  }
  if (d.within_ranges) {
    s << " — within the stated rounding";
  } else {
    for (const auto& c : d.range_checks) {
      if (c.matches.empty()) continue;
      const auto& m = c.matches.front();
      s << " — " << FigureRef(c.figure) << "'s ~" << WithThousands(c.figure.value) << " matches "
        << model::CategoryName(m.category) << " (" << WithThousands(m.value) << "), not "
        << model::CategoryName(d.category);
      break;
    }
  }
  return s.str();
}

void PrintText(std::ostream& out, const report::Report& r) {
  out << "tally report, " << r.date.ToString() << "\n\n";

  // 1. Today.
  const auto& t = r.today;
  if (t.as_of > r.date) {
    // The newest full dataset postdates the report date: say so rather than call it "today".
    out << "1. World nuclear forces (warheads, newest full dataset, as of " << t.as_of.ToString()
        << ": later than the report date " << r.date.ToString()
        << "; section 2 has the stockpiles over time)\n\n";
  } else {
    out << "1. World nuclear forces today (warheads, as of " << t.as_of.ToString() << ")\n\n";
  }
  std::vector<std::string> header = {"state"};
  for (Category c : t.categories) header.push_back(std::string(model::CategoryLabel(c)) + ">");
  TextTable today(header);
  for (const auto& row : t.rows) {
    std::vector<std::string> cells = {StateName(row.state)};
    for (Category c : t.categories) {
      auto it = row.figures.find(c);
      cells.push_back(it == row.figures.end() ? "" : WithThousands(it->second.value));
    }
    today.AddRow(cells);
  }
  today.Print(out);
  out << "\nSource: " << DisplayRef(t.dataset) << ", " << t.title << " (" << t.publisher << ").\n";
  out << "Military stockpile = deployed + reserve; total = stockpile + retired warheads awaiting "
         "dismantlement.\n";
  if (!t.disagreements.empty()) {
    out << "\nWhere sources differ (`tally forces --disagreements` explains each):\n";
    for (const auto& d : t.disagreements) out << "  - " << DisagreementLine(d) << "\n";
  }

  // 2. Over time.
  const auto& h = r.history;
  out << "\n2. Over time (countries: military stockpiles; World: total inventory incl. "
         "retired)\n\n";
  std::vector<std::string> hh = {"year"};
  for (const auto& c : h.columns) {
    hh.push_back((c.state == model::kWorld ? std::string("World") : ShortName(c.state)) + ">");
  }
  TextTable hist(hh);
  for (int y : h.years) {
    std::vector<std::string> cells = {std::to_string(y)};
    for (const auto& c : h.columns) {
      auto p = registry::At(c.points, y);
      cells.push_back(p ? WithThousands(p->value) : "");
    }
    hist.AddRow(cells);
  }
  std::vector<std::string> peaks = {"peak"};
  std::vector<std::string> peak_years = {"in"};
  std::vector<std::string> share = {"now/peak"};
  for (const auto& c : h.columns) {
    peaks.push_back(WithThousands(c.peak.value));
    peak_years.push_back(std::to_string(c.peak.year));
    share.push_back(Percent(c.last.value, c.peak.value));
  }
  hist.AddRow(peaks);
  hist.AddRow(peak_years);
  hist.AddRow(share);
  hist.Print(out);
  out << "\nSource: " << DisplayRef(h.dataset) << ", " << h.source << ".\n";

  // 3. Treaties.
  out << "\n3. Treaties on " << r.date.ToString() << "\n\n";
  TextTable tr({"treaty", "parties", "signed", "in force", "ended", "status", "why"});
  for (const auto& row : r.treaties) {
    std::string parties;
    for (const auto& p : row.parties) parties += (parties.empty() ? "" : ", ") + ShortName(p);
    const bool says_so = row.name.find("ypothetical") != std::string::npos;
    tr.AddRow({row.name + (row.hypothetical && !says_so ? " (hypothetical)" : ""), parties,
               row.signed_on.ToString(), OptDate(row.entry_into_force), OptDate(row.ended),
               row.state, row.reason});
  }
  tr.Print(out);

  // 4. New START.
  const auto& ns = r.new_start;
  out << "\n4. " << ns.treaty_name << ": the last data exchanged, against its limits (" << ns.status
      << ": " << ns.status_reason << ")\n\n";
  std::vector<std::string> nh = {"party", "as of"};
  if (!ns.last.empty()) {
    for (const auto& l : ns.last.front().limits) {
      nh.push_back(l.id + " (≤ " + WithThousands(l.max) + ")>");
    }
  }
  nh.push_back("verdict");
  TextTable nt(nh);
  for (const auto& row : ns.last) {
    std::vector<std::string> cells = {ShortName(row.party), row.as_of.ToString()};
    for (const auto& l : row.limits) {
      if (!l.counted) {
        cells.push_back("not provided");
        continue;
      }
      std::string m = WithThousands(*l.counted);
      if (l.margin)
        m += " (" + std::string(*l.margin >= 0 ? "+" : "") + WithThousands(*l.margin) + ")";
      cells.push_back(m);
    }
    cells.resize(nh.size() - 1);
    cells.push_back(row.verdict);
    nt.AddRow(cells);
  }
  nt.Print(out);
  out << "\n(margin to the limit in brackets; each row checked at its own date)\n";
  out << "All " << ns.rows_checked << " published rows replayed:";
  bool first = true;
  for (const auto& [verdict, n] : ns.verdicts) {
    out << (first ? " " : ", ") << n << " " << verdict;
    first = false;
  }
  out << ".\n";
}

ordered_json FigureJson(const Figure& f) {
  return {{"value", f.value},
          {"low", f.low ? ordered_json(*f.low) : ordered_json(nullptr)},
          {"high", f.high ? ordered_json(*f.high) : ordered_json(nullptr)},
          {"confidence", model::ConfidenceName(f.confidence)},
          {"as_of", f.as_of_text},
          {"dataset", f.dataset},
          {"version", f.dataset_version},
          {"source", f.source}};
}

ordered_json ToJson(const report::Report& r) {
  ordered_json j;
  j["date"] = r.date.ToString();
  const auto& t = r.today;
  ordered_json today;
  today["dataset"] = t.dataset;
  today["title"] = t.title;
  today["publisher"] = t.publisher;
  today["source"] = t.source;
  today["as_of"] = t.as_of.ToString();
  ordered_json rows = ordered_json::array();
  for (const auto& row : t.rows) {
    ordered_json figs;
    for (const auto& [c, f] : row.figures)
      figs[std::string(model::CategoryName(c))] = FigureJson(f);
    rows.push_back({{"state", row.state},
                    {"name", StateName(row.state)},
                    {"world_is_sum", row.world_is_sum},
                    {"figures", figs}});
  }
  today["states"] = rows;
  ordered_json dis = ordered_json::array();
  for (const auto& d : t.disagreements) {
    ordered_json figs = ordered_json::array();
    for (const auto& f : d.figures) {
      ordered_json x = FigureJson(f);
      x["category"] = model::CategoryName(f.category);
      figs.push_back(x);
    }
    ordered_json matches = ordered_json::array();
    for (const auto& c : d.range_checks) {
      for (const auto& m : c.matches) {
        matches.push_back({{"figure_of", FigureRef(c.figure)},
                           {"category", model::CategoryName(m.category)},
                           {"dataset", m.dataset},
                           {"value", m.value}});
      }
    }
    dis.push_back({{"state", d.state},
                   {"category", model::CategoryName(d.category)},
                   {"year", d.year},
                   {"compared_year", d.compared_year},
                   {"spread", d.spread},
                   {"within_ranges", d.within_ranges},
                   {"figures", figs},
                   {"range_matches", matches},
                   {"summary", DisagreementLine(d)}});
  }
  today["disagreements"] = dis;
  j["today"] = today;

  ordered_json hist;
  hist["dataset"] = r.history.dataset;
  hist["source"] = r.history.source;
  hist["years"] = r.history.years;
  ordered_json cols = ordered_json::array();
  for (const auto& c : r.history.columns) {
    ordered_json values;
    for (int y : r.history.years) {
      auto p = registry::At(c.points, y);
      values[std::to_string(y)] = p ? ordered_json(p->value) : ordered_json(nullptr);
    }
    cols.push_back({{"state", c.state},
                    {"category", model::CategoryName(c.category)},
                    {"values", values},
                    {"peak", {{"year", c.peak.year}, {"value", c.peak.value}}},
                    {"last", {{"year", c.last.year}, {"value", c.last.value}}}});
  }
  hist["series"] = cols;
  j["history"] = hist;

  ordered_json treaties = ordered_json::array();
  for (const auto& t2 : r.treaties) {
    treaties.push_back(
        {{"id", t2.id},
         {"name", t2.name},
         {"hypothetical", t2.hypothetical},
         {"parties", t2.parties},
         {"signed", t2.signed_on.ToString()},
         {"entry_into_force", t2.entry_into_force ? ordered_json(t2.entry_into_force->ToString())
                                                  : ordered_json(nullptr)},
         {"ended", t2.ended ? ordered_json(t2.ended->ToString()) : ordered_json(nullptr)},
         {"end_reason", t2.end_reason},
         {"status", t2.state},
         {"reason", t2.reason},
         {"verification", t2.verification}});
  }
  j["treaties"] = treaties;

  const auto& ns = r.new_start;
  ordered_json last = ordered_json::array();
  for (const auto& row : ns.last) {
    ordered_json limits = ordered_json::array();
    for (const auto& l : row.limits) {
      limits.push_back({{"id", l.id},
                        {"name", l.name},
                        {"max", l.max},
                        {"counted", l.counted ? ordered_json(*l.counted) : ordered_json(nullptr)},
                        {"margin", l.margin ? ordered_json(*l.margin) : ordered_json(nullptr)},
                        {"ok", l.ok ? ordered_json(*l.ok) : ordered_json(nullptr)},
                        {"effective", l.effective}});
    }
    last.push_back({{"party", row.party},
                    {"as_of", row.as_of.ToString()},
                    {"verdict", row.verdict},
                    {"reason", row.reason},
                    {"source", row.source},
                    {"limits", limits}});
  }
  j["new_start"] = {{"treaty", ns.treaty_name},          {"status", ns.status},
                    {"status_reason", ns.status_reason}, {"last", last},
                    {"rows_checked", ns.rows_checked},   {"verdicts", ns.verdicts}};
  return j;
}

Date Today() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return Date::FromDays(std::chrono::duration_cast<std::chrono::hours>(now).count() / 24);
}

int RunReport(Context& ctx, const ReportOptions& o) {
  Date date = Today();
  if (!o.date.empty()) {
    auto d = Date::ParseFlag("--date", o.date);
    if (!d) return Fail(ctx, d.error());
    date = *d;
  }
  auto registry = store::LoadRegistry(StorePath(o.store));
  if (!registry) return Fail(ctx, registry.error());
  auto treaties = treaty::LoadDefaultTreaties();
  if (!treaties) return Fail(ctx, treaties.error());
  auto aggregates =
      o.aggregates.empty() ? treaty::NewStartAggregates() : treaty::LoadPostureFile(o.aggregates);
  if (!aggregates) return Fail(ctx, aggregates.error());
  if (!o.html.empty() || !o.pdf.empty()) {
    dashboard::SiteOptions so;
    so.date = date;
    auto start_i = dashboard::StartITable();
    if (!start_i) return Fail(ctx, start_i.error());
    so.more_replays.push_back(std::move(*start_i));
    auto site = dashboard::BuildSiteData(*registry, *treaties, *aggregates, so);
    if (!site) return Fail(ctx, site.error());
    const std::string html = dashboard::RenderHtmlReport(*site);
    // --pdf alone prints a temporary HTML file next to the PDF, removed afterwards.
    const std::string html_path = o.html.empty() ? o.pdf + ".html.tmp" : o.html;
    if (auto st = WriteFileAtomic(html_path, html); !st.ok()) return Fail(ctx, st);
    if (!o.html.empty()) {
      *ctx.out << "wrote " << o.html << " (" << (html.size() + 512) / 1024 << " KB)\n";
    }
    if (!o.pdf.empty()) {
      const Status st = dashboard::PrintPdf(html_path, o.pdf);
      if (o.html.empty()) std::remove(html_path.c_str());
      if (!st.ok()) return Fail(ctx, st);
      *ctx.out << "wrote " << o.pdf << "\n";
    }
    return kExitOk;
  }
  auto report = report::BuildReport(*registry, *treaties, *aggregates, date);
  if (!report) return Fail(ctx, report.error());
  if (o.json) {
    *ctx.out << ToJson(*report).dump(2) << "\n";
  } else {
    PrintText(*ctx.out, *report);
  }
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* sub = app.add_subcommand(
      "report",
      "The world's nuclear forces today and over time, each treaty's status, and the last New "
      "START data against its limits");
  sub->add_option("--date", o->date, "Report as of this day (YYYY-MM-DD; default today, UTC)");
  sub->add_option("--aggregates", o->aggregates,
                  "New START aggregate data (posture CSV/JSON; default: the published table)");
  sub->add_option("--store", o->store,
                  "SQLite store with imported datasets (default $TALLY_STORE, else "
                  "$XDG_DATA_HOME/tally/tally.db)");
  sub->add_flag("--json", o->json, "Print one JSON document");
  sub->add_option("--html", o->html,
                  "Write one self-contained HTML file (charts, data and sources inlined) instead");
  sub->add_option("--pdf", o->pdf, "Print the HTML report to this PDF through headless Chromium");
  sub->callback([&ctx, o] { RunReport(ctx, *o); });
}

}  // namespace tally::cli
