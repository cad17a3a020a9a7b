// `tally forces`: the world's nuclear forces from every dataset tally knows, side by side.
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tally/base/csv.h"
#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/cli/command.h"
#include "tally/cli/figure_export.h"
#include "tally/cli/text_table.h"
#include "tally/model/state.h"
#include "tally/registry/compare.h"
#include "tally/registry/registry.h"
#include "tally/registry/series.h"
#include "tally/store/store.h"

namespace tally::cli {
namespace {

// "; did you mean 'deployed'?" for a misspelt category, or "".
std::string CategoryHint(std::string_view text) {
  std::vector<std::string> names;
  for (auto c : model::AllCategories()) names.emplace_back(model::CategoryName(c));
  return DidYouMean(text, names);
}

using model::Category;
using model::Figure;
using nlohmann::ordered_json;

struct ForcesOptions {
  std::vector<std::string> states;
  std::vector<std::string> categories;
  std::vector<std::string> datasets;
  std::vector<std::string> files;
  int year = 0;
  int step = 1;
  std::string store;
  std::string output;
  bool json = false;
  bool csv = false;
  bool latest = false;
  bool history = false;
  bool disagreements = false;
  bool check = false;
  bool long_table = false;
};

// "1,670"; "~5,000" for a ranged figure; a confidence other than confirmed is marked after it.
std::string Cell(const Figure& f) {
  std::string s = (f.has_range() ? "~" : "") + WithThousands(f.value);
  switch (f.confidence) {
    case model::Confidence::kConfirmed:
      break;
    case model::Confidence::kDerived:
      s += " d";
      break;
    case model::Confidence::kEstimate:
      s += " e";
      break;
    case model::Confidence::kRecalled:
      s += " r";
      break;
    case model::Confidence::kUnconfirmed:
      s += " u";
      break;
  }
  return s;
}

std::string RangeText(const Figure& f) {
  if (!f.has_range()) return "";
  if (!f.low && *f.high == f.value) return "≤ " + WithThousands(f.value);
  if (!f.high && *f.low == f.value) return "≥ " + WithThousands(f.value);
  return WithThousands(f.low.value_or(f.value)) + "–" + WithThousands(f.high.value_or(f.value));
}

std::string Shorten(const std::string& s, size_t max) {
  std::string one = s;
  std::replace(one.begin(), one.end(), '\n', ' ');
  if (one.size() <= max) return one;
  size_t cut = max - 1;
  while (cut > 0 && (static_cast<unsigned char>(one[cut]) & 0xC0) == 0x80) --cut;
  return one.substr(0, cut) + "…";
}

void PrintSources(std::ostream& out, const std::vector<const registry::Dataset*>& datasets,
                  bool legend) {
  if (legend) {
    out << "\n~ = an approximate figure with a range; d = derived, e = estimate, r = recalled, "
           "u = unconfirmed (else confirmed)\n";
  }
  out << "\nSources:\n";
  for (const auto* d : datasets) {
    out << "  " << Ref(d->name, d->version) << ": " << d->title << " (" << d->publisher << ", "
        << d->published.ToString() << ")\n      " << d->source << "\n";
  }
}

// Writes `text` to -o FILE or stdout.
Status Emit(Context& ctx, const ForcesOptions& o, const std::string& text) {
  if (o.output.empty()) {
    *ctx.out << text;
    return Status::Ok();
  }
  return WriteFileAtomic(o.output, text);
}

std::string QueryText(const ForcesOptions& o) {
  std::string q = "tally forces";
  for (const auto& s : o.states) q += " --state " + s;
  for (const auto& s : o.categories) q += " --category " + s;
  for (const auto& s : o.datasets) q += " --dataset " + s;
  if (o.year) q += " --year " + std::to_string(o.year);
  if (o.latest) q += " --latest";
  return q;
}

int ShowFigures(Context& ctx, const ForcesOptions& o, const registry::Registry& r,
                const std::vector<Figure>& figures) {
  if (o.csv) {
    const std::string csv = CsvOf(figures);
    if (!o.output.empty()) {
      Status s = WriteFileAtomic(o.output, csv);
      if (s.ok())
        s = WriteFileAtomic(o.output + ".meta.json", MetaJson(o.output, r, figures, QueryText(o)));
      if (!s.ok()) return Fail(ctx, s);
      *ctx.err << "tally: wrote " << figures.size() << " figures to " << o.output << " and "
               << o.output << ".meta.json\n";
      return kExitOk;
    }
    *ctx.out << csv;
    return kExitOk;
  }
  if (o.json) {
    ordered_json j;
    j["query"] = QueryText(o);
    ordered_json ds = ordered_json::array();
    for (const auto* d : DatasetsOf(r, figures)) ds.push_back(DatasetJson(*d));
    j["datasets"] = ds;
    ordered_json fs = ordered_json::array();
    for (const auto& f : figures) fs.push_back(FigureJson(f));
    j["figures"] = fs;
    Status s = Emit(ctx, o, j.dump(2) + "\n");
    return s.ok() ? kExitOk : Fail(ctx, s);
  }
  std::ostringstream out;
  if (figures.empty()) {
    out << "no figures match\n";
    Status s = Emit(ctx, o, out.str());
    return s.ok() ? kExitOk : Fail(ctx, s);
  }
  // Wide when every dataset gives each state at one date only (a snapshot): states x categories.
  std::map<std::pair<std::string, std::string>, std::set<int64_t>> dates;
  std::set<std::string> refs;
  for (const auto& f : figures) {
    dates[{Ref(f), f.state}].insert(f.as_of.days());
    refs.insert(Ref(f));
  }
  bool wide = !o.long_table && !o.latest;
  for (const auto& [k, v] : dates) wide = wide && v.size() == 1;
  if (wide) {
    std::vector<Category> cats;
    for (Category c : model::AllCategories()) {
      for (const auto& f : figures) {
        if (f.category == c) {
          cats.push_back(c);
          break;
        }
      }
    }
    std::vector<std::string> header;
    if (refs.size() > 1) header.push_back("dataset");
    header.push_back("state");
    for (Category c : cats) header.push_back(std::string(model::CategoryLabel(c)) + ">");
    header.push_back("as of");
    TextTable table(header);
    // Rows in figure order (dataset, state); one per (dataset, state).
    std::vector<std::pair<std::string, std::string>> rows;
    std::map<std::pair<std::string, std::string>, std::map<Category, const Figure*>> cells;
    std::map<std::pair<std::string, std::string>, std::string> as_of;
    for (const auto& f : figures) {
      auto key = std::make_pair(Ref(f), f.state);
      if (!cells.count(key)) rows.push_back(key);
      cells[key][f.category] = &f;
      as_of[key] = f.as_of_text;
    }
    for (const auto& key : rows) {
      std::vector<std::string> row;
      if (refs.size() > 1) row.push_back(key.first);
      row.push_back(StateLabel(key.second));
      for (Category c : cats) {
        auto it = cells[key].find(c);
        row.push_back(it == cells[key].end() ? "" : Cell(*it->second));
      }
      row.push_back(as_of[key]);
      table.AddRow(row);
    }
    table.Print(out);
  } else {
    TextTable table(
        {"dataset", "state", "category", "as of", "value>", "range", "confidence", "notes"});
    for (const auto& f : figures) {
      table.AddRow({Ref(f), StateLabel(f.state), std::string(model::CategoryName(f.category)),
                    f.as_of_text, WithThousands(f.value), RangeText(f),
                    std::string(model::ConfidenceName(f.confidence)), Shorten(f.notes, 60)});
    }
    table.Print(out);
  }
  PrintSources(out, DatasetsOf(r, figures), wide);
  Status s = Emit(ctx, o, out.str());
  return s.ok() ? kExitOk : Fail(ctx, s);
}

int ShowHistory(Context& ctx, const ForcesOptions& o, const registry::Registry& r,
                registry::FigureFilter filter) {
  std::vector<std::string> preference;
  if (filter.datasets.empty()) filter.datasets = {{"fas-history", -1}};
  for (const auto& d : filter.datasets) preference.push_back(d.name);
  filter.year.reset();
  auto figures = r.Select(filter);
  if (!figures) return Fail(ctx, figures.error());
  std::vector<std::string> states;
  if (!filter.states.empty()) {
    for (const auto& s : filter.states) states.push_back(*registry::NormalizeState(s));
  } else {
    for (const auto& s : model::AllStates()) {
      if (s.nuclear_armed_today) states.emplace_back(s.code);
    }
    states.emplace_back(model::kWorld);
  }
  struct Column {
    std::string state;
    Category category;
    std::vector<registry::SeriesPoint> points;
  };
  std::vector<Column> columns;
  std::set<int> years;
  for (const auto& s : states) {
    // The FAS series gives countries' stockpiles and the world's total inventory.
    Category c = !filter.categories.empty() ? filter.categories.front()
                 : s == model::kWorld       ? Category::kTotalInventory
                                            : Category::kMilitaryStockpile;
    auto points = registry::BuildSeries(*figures, s, c, preference);
    if (points.empty()) continue;
    for (const auto& p : points) years.insert(p.year);
    columns.push_back({s, c, std::move(points)});
  }
  if (o.json) {
    ordered_json j;
    ordered_json series = ordered_json::array();
    for (const auto& c : columns) {
      ordered_json pts = ordered_json::array();
      for (const auto& p : c.points) {
        pts.push_back({{"year", p.year},
                       {"value", p.value},
                       {"dataset", p.dataset},
                       {"confidence", model::ConfidenceName(p.confidence)}});
      }
      auto peak = registry::Peak(c.points);
      series.push_back({{"state", c.state},
                        {"category", model::CategoryName(c.category)},
                        {"peak", {{"year", peak->year}, {"value", peak->value}}},
                        {"points", pts}});
    }
    j["series"] = series;
    ordered_json ds = ordered_json::array();
    for (const auto* d : DatasetsOf(r, *figures)) ds.push_back(DatasetJson(*d));
    j["datasets"] = ds;
    Status s = Emit(ctx, o, j.dump(2) + "\n");
    return s.ok() ? kExitOk : Fail(ctx, s);
  }
  if (o.csv) {
    std::string text =
        CsvLine({"year", "state", "category", "value", "dataset", "confidence"}) + "\n";
    for (const auto& c : columns) {
      for (const auto& p : c.points) {
        text += CsvLine({std::to_string(p.year), c.state,
                         std::string(model::CategoryName(c.category)), std::to_string(p.value),
                         p.dataset, std::string(model::ConfidenceName(p.confidence))}) +
                "\n";
      }
    }
    Status s = Emit(ctx, o, text);
    return s.ok() ? kExitOk : Fail(ctx, s);
  }
  std::ostringstream out;
  std::vector<std::string> header = {"year"};
  for (const auto& c : columns) {
    std::string label = c.state == model::kWorld ? "World" : StateLabel(c.state);
    if (auto info = model::FindState(c.state)) label = std::string(info->short_name);
    if (c.state == model::kWorld && c.category == Category::kTotalInventory) label = "World total";
    header.push_back(label + ">");
  }
  TextTable table(header);
  const int last = years.empty() ? 0 : *years.rbegin();
  for (int y : years) {
    if (o.step > 1 && y % o.step != 0 && y != last) continue;
    std::vector<std::string> row = {std::to_string(y)};
    for (const auto& c : columns) {
      auto p = registry::At(c.points, y);
      row.push_back(p ? WithThousands(p->value) : "");
    }
    table.AddRow(row);
  }
  std::vector<std::string> peak_row = {"peak"};
  for (const auto& c : columns) {
    auto p = registry::Peak(c.points);
    peak_row.push_back(WithThousands(p->value) + " (" + std::to_string(p->year) + ")");
  }
  table.AddRow(peak_row);
  table.Print(out);
  out << "\nCountries: "
      << (filter.categories.empty() ? std::string("military stockpiles (retired warheads excluded)")
                                    : std::string(model::CategoryName(filter.categories.front())))
      << (filter.categories.empty()
              ? "; World: FAS's published world total (not a checked sum: below the countries' "
                "sum in 1967-69, 1976-78 and 1980).\n"
              : ".\n");
  PrintSources(out, DatasetsOf(r, *figures), false);
  Status s = Emit(ctx, o, out.str());
  return s.ok() ? kExitOk : Fail(ctx, s);
}

int ShowDisagreements(Context& ctx, const ForcesOptions& o, const registry::Registry& r,
                      registry::FigureFilter filter) {
  const std::optional<int> year = filter.year;
  filter.year.reset();
  auto figures = r.Select(filter);
  if (!figures) return Fail(ctx, figures.error());
  auto derived = registry::DeriveMissing(*figures);
  figures->insert(figures->end(), derived.begin(), derived.end());
  auto all = registry::FindDisagreements(*figures, r.SecondaryDatasets());
  std::vector<registry::Disagreement> shown;
  for (auto& d : all) {
    if (year && d.year != *year && d.compared_year != *year) continue;
    // Derived-only disagreements repeat what the stated figures already show.
    int stated = 0;
    for (const auto& f : d.figures) stated += f.line != 0;
    if (stated < 2 && d.range_checks.empty()) continue;
    shown.push_back(std::move(d));
  }
  auto verdict = [](const registry::Disagreement& d) {
    std::string s = "differ by " + WithThousands(d.spread);
    if (d.within_ranges) s += ", within the stated range (rounding)";
    return s;
  };
  if (o.json) {
    ordered_json arr = ordered_json::array();
    for (const auto& d : shown) {
      ordered_json j;
      j["state"] = d.state;
      j["category"] = model::CategoryName(d.category);
      j["year"] = d.year;
      j["compared_year"] = d.compared_year;
      j["spread"] = d.spread;
      j["within_ranges"] = d.within_ranges;
      ordered_json fs = ordered_json::array();
      for (const auto& f : d.figures) fs.push_back(FigureJson(f));
      j["figures"] = fs;
      ordered_json checks = ordered_json::array();
      for (const auto& c : d.range_checks) {
        ordered_json m = ordered_json::array();
        for (const auto& x : c.matches) {
          m.push_back({{"category", model::CategoryName(x.category)},
                       {"dataset", x.dataset},
                       {"value", x.value}});
        }
        ordered_json outside = ordered_json::array();
        for (const auto& f : c.outside) outside.push_back(FigureJson(f));
        checks.push_back({{"figure", FigureJson(c.figure)}, {"outside", outside}, {"matches", m}});
      }
      j["range_checks"] = checks;
      arr.push_back(j);
    }
    ordered_json doc;
    doc["disagreements"] = arr;
    Status s = Emit(ctx, o, doc.dump(2) + "\n");
    return s.ok() ? kExitOk : Fail(ctx, s);
  }
  std::ostringstream out;
  if (shown.empty()) out << "no disagreements between datasets for this selection\n";
  for (const auto& d : shown) {
    out << StateLabel(d.state) << ", " << model::CategoryName(d.category) << ", " << d.year;
    if (d.compared_year != d.year) out << " (against " << d.compared_year << ")";
    out << ": " << verdict(d) << "\n";
    TextTable table({"  dataset", "as of", "value>", "range", "confidence", "notes"});
    for (const auto& f : d.figures) {
      table.AddRow({"  " + Ref(f), f.as_of_text, WithThousands(f.value), RangeText(f),
                    std::string(model::ConfidenceName(f.confidence)), Shorten(f.notes, 50)});
    }
    table.Print(out);
    for (const auto& c : d.range_checks) {
      out << "  " << Ref(c.figure) << " gives " << RangeText(c.figure) << "; outside it:";
      for (const auto& f : c.outside) out << " " << WithThousands(f.value) << " (" << Ref(f) << ")";
      out << ".\n";
      if (c.matches.empty()) {
        out << "  No other category of these sources falls in that range.\n";
      } else {
        std::set<std::string> cats;
        out << "  Inside it:";
        for (const auto& m : c.matches) {
          out << " " << model::CategoryName(m.category) << " " << WithThousands(m.value) << " ("
              << Ref(m.dataset.substr(0, m.dataset.find('@')),
                     std::stoi(m.dataset.substr(m.dataset.find('@') + 1)))
              << ")";
          cats.insert(std::string(model::CategoryName(m.category)));
        }
        out << ".\n  So the figure matches ";
        bool first = true;
        for (const auto& cat : cats) {
          out << (first ? "" : " / ") << cat;
          first = false;
        }
        out << ", not " << model::CategoryName(d.category) << ".\n";
      }
    }
    out << "\n";
  }
  Status s = Emit(ctx, o, out.str());
  return s.ok() ? kExitOk : Fail(ctx, s);
}

int ShowChecks(Context& ctx, const ForcesOptions& o, const registry::Registry& r,
               const registry::FigureFilter& filter) {
  std::vector<const registry::Dataset*> sets;
  if (filter.datasets.empty()) {
    sets = r.Newest();
  } else {
    for (const auto& ref : filter.datasets) {
      auto d = r.Find(ref);
      if (!d) return Fail(ctx, d.error());
      sets.push_back(*d);
    }
  }
  std::vector<registry::ConsistencyIssue> issues;
  std::vector<std::pair<const registry::Dataset*, size_t>> counts;
  for (const auto* d : sets) {
    auto found = registry::CheckConsistency(*d);
    counts.push_back({d, found.size()});
    issues.insert(issues.end(), found.begin(), found.end());
  }
  if (o.json) {
    ordered_json j;
    ordered_json ds = ordered_json::array();
    for (const auto& [d, n] : counts) {
      ds.push_back({{"dataset", d->name},
                    {"version", d->version},
                    {"figures", d->figures.size()},
                    {"issues", n}});
    }
    ordered_json is = ordered_json::array();
    for (const auto& i : issues) {
      is.push_back({{"dataset", i.dataset},
                    {"state", i.state},
                    {"as_of", i.as_of},
                    {"rule", i.rule},
                    {"stated", i.stated},
                    {"computed", i.computed},
                    {"line", i.line}});
    }
    j["datasets"] = ds;
    j["issues"] = is;
    j["consistent"] = issues.empty();
    Status s = Emit(ctx, o, j.dump(2) + "\n");
    if (!s.ok()) return Fail(ctx, s);
  } else {
    std::ostringstream out;
    TextTable summary({"dataset", "figures>", "issues>"});
    for (const auto& [d, n] : counts) {
      summary.AddRow(
          {Ref(d->name, d->version), std::to_string(d->figures.size()), std::to_string(n)});
    }
    summary.Print(out);
    if (!issues.empty()) {
      out << "\n";
      TextTable t({"dataset", "state", "as of", "rule", "stated>", "computed>", "line>"});
      for (const auto& i : issues) {
        t.AddRow({i.dataset, StateLabel(i.state), i.as_of, i.rule, WithThousands(i.stated),
                  WithThousands(i.computed), std::to_string(i.line)});
      }
      t.Print(out);
    }
    Status s = Emit(ctx, o, out.str());
    if (!s.ok()) return Fail(ctx, s);
  }
  ctx.exit_code = issues.empty() ? kExitOk : kExitFinding;
  return ctx.exit_code;
}

int RunForces(Context& ctx, const ForcesOptions& o) {
  const int modes = o.latest + o.history + o.disagreements + o.check;
  if (modes > 1) {
    return Fail(ctx,
                InvalidArgument("choose one of --latest, --history, --disagreements, --check"));
  }
  if (o.json && o.csv) return Fail(ctx, InvalidArgument("choose one of --json and --csv"));
  auto loaded = store::LoadRegistry(StorePath(o.store));
  if (!loaded) return Fail(ctx, loaded.error());
  registry::Registry& r = *loaded;
  for (const auto& f : o.files) {
    auto added = r.AddFile(f);
    if (!added) return Fail(ctx, added.error());
  }
  registry::FigureFilter filter;
  filter.states = o.states;
  for (const auto& s : o.states) {
    auto code = registry::NormalizeState(s);
    if (!code) return Fail(ctx, code.error().WithContext("--state"));
  }
  for (const auto& c : o.categories) {
    auto cat = model::ParseCategory(c);
    if (!cat) {
      return Fail(ctx,
                  InvalidArgument("--category: unknown category " + QuoteText(c) + CategoryHint(c) +
                                  ": expected deployed_strategic, deployed_nonstrategic, "
                                  "deployed, reserve, military_stockpile, retired or "
                                  "total_inventory"));
    }
    filter.categories.push_back(*cat);
  }
  for (const auto& d : o.datasets) {
    auto ref = registry::ParseDatasetRef(d);
    if (!ref) return Fail(ctx, ref.error());
    filter.datasets.push_back(*ref);
  }
  if (o.year) filter.year = o.year;
  if (o.history) return ShowHistory(ctx, o, r, filter);
  if (o.disagreements) return ShowDisagreements(ctx, o, r, filter);
  if (o.check) return ShowChecks(ctx, o, r, filter);
  if (o.latest) {
    auto latest = r.Latest(filter);
    if (!latest) return Fail(ctx, latest.error());
    return ShowFigures(ctx, o, r, *latest);
  }
  // With no filter at all: today's forces, from the current snapshot dataset.
  if (filter.states.empty() && filter.categories.empty() && filter.datasets.empty() &&
      !filter.year) {
    auto current = r.CurrentSnapshot();
    if (!current) return Fail(ctx, current.error());
    filter.datasets.push_back({(*current)->name, (*current)->version});
    // A snapshot may carry revisions of earlier years (SIPRI 2025's US 2024 total): show today.
    filter.year = (*current)->figures.empty() ? 0 : [&] {
      int y = 0;
      for (const auto& f : (*current)->figures) y = std::max(y, f.year());
      return y;
    }();
  }
  auto figures = r.Select(filter);
  if (!figures) return Fail(ctx, figures.error());
  return ShowFigures(ctx, o, r, *figures);
}

}  // namespace

void AddForcesCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ForcesOptions>();
  CLI::App* sub = app.add_subcommand(
      "forces",
      "World nuclear forces: figures from every dataset (FAS, SIPRI, the 2026 article, the "
      "1945-2025 history), side by side, each with its source");
  sub->add_option("--state", o->states,
                  "State code or name (US, RU, CN, FR, GB, IN, PK, IL, KP, "
                  "World); repeat or comma-separate")
      ->delimiter(',');
  sub->add_option("--category", o->categories,
                  "deployed_strategic, deployed_nonstrategic, deployed, reserve, "
                  "military_stockpile, retired, total_inventory; repeat or comma-separate")
      ->delimiter(',');
  sub->add_option("--dataset", o->datasets,
                  "Dataset name, or name@VERSION (0 = compiled in, 1.. = store versions); see "
                  "`tally data list`")
      ->delimiter(',');
  sub->add_option("--year", o->year, "Only figures describing this year");
  sub->add_option("--file", o->files,
                  "Also load this dataset file for this run (not stored; see `tally data import`)");
  sub->add_flag("--latest", o->latest, "The latest figure per state and category");
  sub->add_flag("--history", o->history,
                "The series over time (default: the FAS 1945-2025 series: countries' stockpiles, "
                "world total inventory)");
  sub->add_option("--step", o->step, "With --history: every STEP years (and the last)")
      ->check(CLI::Range(1, 100));
  sub->add_flag("--disagreements", o->disagreements,
                "Where datasets disagree on a state, category and year, and why");
  sub->add_flag("--check", o->check,
                "Check each dataset's sums (stockpile = deployed + reserve, total = stockpile + "
                "retired, World = sum of states); exit 1 if any fails");
  sub->add_flag("--long", o->long_table, "One row per figure, with notes");
  sub->add_flag("--json", o->json, "Print one JSON document");
  sub->add_flag("--csv", o->csv,
                "Print CSV (one figure per row); with -o FILE also write FILE.meta.json naming "
                "the sources");
  sub->add_option("-o,--output", o->output, "Write the output to FILE instead of stdout");
  sub->add_option("--store", o->store,
                  "SQLite store with imported datasets (default $TALLY_STORE, else "
                  "$XDG_DATA_HOME/tally/tally.db)");
  sub->callback([&ctx, o] { RunForces(ctx, *o); });
}

}  // namespace tally::cli
