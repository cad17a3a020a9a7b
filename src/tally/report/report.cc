#include "tally/report/report.h"

#include <algorithm>
#include <set>

#include "tally/model/state.h"
#include "tally/treaty/check.h"
#include "tally/treaty/treaty_status.h"

namespace tally::report {
namespace {

using model::Category;

std::string Ref(const registry::Dataset& d) { return d.Ref(); }

Result<Today> BuildToday(const registry::Registry& r) {
  TALLY_ASSIGN_OR_RETURN(const registry::Dataset* snap, r.CurrentSnapshot());
  Today t;
  t.dataset = Ref(*snap);
  t.title = snap->title;
  t.publisher = snap->publisher;
  t.source = snap->source;
  for (const auto& f : snap->figures) t.as_of = std::max(t.as_of, f.as_of);
  const int year = t.as_of.year();
  registry::FigureFilter filter;
  filter.datasets = {{snap->name, snap->version}};
  filter.year = year;
  TALLY_ASSIGN_OR_RETURN(auto figures, r.Select(filter));
  for (Category c : model::AllCategories()) {
    bool present = std::any_of(figures.begin(), figures.end(),
                               [c](const model::Figure& f) { return f.category == c; });
    if (present) t.categories.push_back(c);
  }
  StateRow world{std::string(model::kWorld), {}, false};
  std::map<Category, int64_t> sums;
  for (const auto& s : model::AllStates()) {
    if (!s.nuclear_armed_today) continue;
    StateRow row{std::string(s.code), {}, false};
    for (const auto& f : figures) {
      if (f.state != s.code) continue;
      row.figures[f.category] = f;
      sums[f.category] += f.value;
    }
    t.rows.push_back(std::move(row));
  }
  for (const auto& f : figures) {
    if (f.state == model::kWorld) world.figures[f.category] = f;
  }
  for (Category c : t.categories) {
    if (world.figures.count(c)) continue;
    model::Figure f;
    f.dataset = snap->name;
    f.dataset_version = snap->version;
    f.state = std::string(model::kWorld);
    f.category = c;
    f.as_of = t.as_of;
    f.as_of_text = t.as_of.ToString();
    f.value = sums[c];
    f.confidence = model::Confidence::kDerived;
    f.notes = "sum of the nine states";
    world.figures[c] = f;
    world.world_is_sum = true;
  }
  t.rows.push_back(std::move(world));

  // Disagreements of the snapshot's year and later, between the newest version of every dataset.
  TALLY_ASSIGN_OR_RETURN(auto all, r.Select({}));
  auto derived = registry::DeriveMissing(all);
  all.insert(all.end(), derived.begin(), derived.end());
  for (auto& d : registry::FindDisagreements(all, r.SecondaryDatasets())) {
    if (d.compared_year < year) continue;
    int stated = 0;
    for (const auto& f : d.figures) stated += f.line != 0;
    if (stated < 2 && d.range_checks.empty()) continue;
    t.disagreements.push_back(std::move(d));
  }
  return t;
}

Result<History> BuildHistory(const registry::Registry& r) {
  History h;
  TALLY_ASSIGN_OR_RETURN(const registry::Dataset* series, r.Find({"fas-history", -1}));
  h.dataset = Ref(*series);
  h.source = series->source;
  std::set<int> years;
  auto add_column = [&](std::string state, Category c) {
    auto points = registry::BuildSeries(series->figures, state, c);
    if (points.empty()) return;
    HistoryColumn col{std::move(state), c, points, *registry::Peak(points), points.back()};
    h.columns.push_back(std::move(col));
  };
  for (const auto& s : model::AllStates()) {
    if (s.nuclear_armed_today) add_column(std::string(s.code), Category::kMilitaryStockpile);
  }
  add_column(std::string(model::kWorld), Category::kTotalInventory);
  if (h.columns.empty()) return h;
  int first = 100000, last = 0;
  for (const auto& c : h.columns) {
    first = std::min(first, c.points.front().year);
    last = std::max(last, c.points.back().year);
  }
  years.insert(first);
  for (int y = (first / 10 + 1) * 10; y < last; y += 10) years.insert(y);
  years.insert(last);
  years.insert(h.columns.back().peak.year);  // the world peak (1986)
  h.years.assign(years.begin(), years.end());
  return h;
}

std::vector<TreatyRow> BuildTreaties(const treaty::TreatySet& set, Date date) {
  std::vector<TreatyRow> rows;
  for (const treaty::Treaty* t : set.All()) {
    const treaty::TreatyStatus st = treaty::StatusAt(*t, date);
    TreatyRow row;
    row.id = t->id;
    row.name = t->name;
    row.hypothetical = t->hypothetical;
    row.parties = t->parties;
    row.signed_on = t->dates.signed_on;
    row.entry_into_force = t->dates.entry_into_force;
    row.ended = t->dates.ended;
    row.end_reason = t->dates.end_reason;
    row.state = std::string(treaty::TreatyStateName(st.state));
    row.reason = st.reason;
    row.verification = t->regime.verification;
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<NewStart> BuildNewStart(const treaty::TreatySet& set,
                               const std::vector<model::Posture>& postures, Date date) {
  TALLY_ASSIGN_OR_RETURN(const treaty::Treaty* t, set.Get("new-start"));
  NewStart ns;
  ns.treaty_name = t->name;
  const treaty::TreatyStatus st = treaty::StatusAt(*t, date);
  ns.status = std::string(treaty::TreatyStateName(st.state));
  ns.status_reason = st.reason;
  const auto all = treaty::CheckAll(*t, postures);
  ns.rows_checked = all.size();
  for (const auto& c : all) ++ns.verdicts[std::string(treaty::VerdictName(c.verdict))];
  for (const std::string& party : t->parties) {
    const model::Posture* last_with_data = nullptr;
    const model::Posture* last_any = nullptr;
    for (const auto& p : postures) {
      if (p.party != party) continue;
      if (p.as_of > date) continue;  // not yet exchanged at the report date
      if (!last_any || p.as_of >= last_any->as_of) last_any = &p;
      if (p.provided && (!last_with_data || p.as_of >= last_with_data->as_of)) {
        last_with_data = &p;
      }
    }
    if (last_with_data) ns.last.push_back(ToNewStartRow(treaty::Check(*t, *last_with_data)));
    if (last_any && last_any != last_with_data) {
      ns.last.push_back(ToNewStartRow(treaty::Check(*t, *last_any)));
    }
  }
  return ns;
}

}  // namespace

NewStartRow ToNewStartRow(const treaty::CheckResult& c) {
  NewStartRow row;
  row.party = c.party;
  row.as_of = c.date;
  row.verdict = std::string(treaty::VerdictName(c.verdict));
  row.reason = c.reason;
  row.source = c.source;
  for (const auto& l : c.limits) {
    LimitRow lr;
    lr.id = l.limit ? l.limit->id : "";
    lr.name = l.limit ? l.limit->name : "";
    lr.max = l.max;
    lr.counted = l.counted;
    lr.margin = l.margin;
    lr.ok = l.ok;
    lr.effective = l.effective;
    row.limits.push_back(std::move(lr));
  }
  return row;
}

Result<Report> BuildReport(const registry::Registry& registry, const treaty::TreatySet& treaties,
                           const std::vector<model::Posture>& new_start_aggregates, Date date) {
  Report r;
  r.date = date;
  TALLY_ASSIGN_OR_RETURN(r.today, BuildToday(registry));
  TALLY_ASSIGN_OR_RETURN(r.history, BuildHistory(registry));
  r.treaties = BuildTreaties(treaties, date);
  TALLY_ASSIGN_OR_RETURN(r.new_start, BuildNewStart(treaties, new_start_aggregates, date));
  return r;
}

}  // namespace tally::report
