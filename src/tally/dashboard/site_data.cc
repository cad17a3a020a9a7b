#include "tally/dashboard/site_data.h"

#include <algorithm>

#include "tally/data/embedded.h"
#include "tally/estimate/embedded_evidence.h"
#include "tally/estimate/evidence.h"
#include "tally/estimate/registry_evidence.h"
#include "tally/model/figure.h"
#include "tally/treaty/check.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_status.h"

namespace tally::dashboard {
namespace {

using model::Category;

std::string RefOf(const model::Figure& f) {
  return f.dataset + "@" + std::to_string(f.dataset_version);
}

Result<std::vector<estimate::Observation>> Evidence(const std::vector<model::Figure>& figures) {
  return estimate::EmbeddedEvidence(figures);
}

Result<Band> EstimateBand(const BandSpec& spec, std::span<const estimate::Observation> evidence) {
  estimate::EstimateOptions opt;
  // A monthly grid, kept once a year (as `tally estimate --step year` does), so that mid-year
  // evidence is not moved to the nearest 1 January.
  opt.grid = {spec.from, spec.to, estimate::Step::kMonth};
  opt.method = estimate::Method::kKalman;
  TALLY_ASSIGN_OR_RETURN(auto est,
                         estimate::EstimateSeries(spec.state, spec.category, evidence, opt));
  Band b;
  b.state = spec.state;
  b.category = spec.category;
  b.method = std::string(estimate::MethodName(est.method));
  for (size_t i = 0; i < est.points.size(); i += 12) b.points.push_back(est.points[i]);
  b.last_declared = est.last_declared;
  b.last_observation = est.last_observation;
  for (const auto& s : est.sources) b.sources_used += s.used;
  return b;
}

}  // namespace

std::vector<BandSpec> DefaultBands() {
  auto d = [](int y) { return *Date::FromCivil(y, 1, 1); };
  return {{"US", "new_start_warheads", d(2011), d(2030)},
          {"RU", "new_start_warheads", d(2011), d(2030)},
          {"CN", "military_stockpile", d(2000), d(2030)}};
}

Result<TreatyReplay> ReplayTable(const treaty::Treaty& t, const AggregateTable& table, Date date) {
  TALLY_RETURN_IF_ERROR(treaty::RequireKnownQuantities(t, table.rows));
  TreatyReplay r;
  r.treaty = t.id;
  r.name = t.name;
  const treaty::TreatyStatus st = treaty::StatusAt(t, date);
  r.status = std::string(treaty::TreatyStateName(st.state));
  r.status_reason = st.reason;
  r.file = table.file;
  r.source = table.source;
  r.limits_effective = t.LimitsEffective();
  for (const auto& c : treaty::CheckAll(t, table.rows)) r.rows.push_back(report::ToNewStartRow(c));
  for (const treaty::Limit& l : t.limits) {
    for (const auto& row : r.rows) {
      const auto it = std::find_if(row.limits.begin(), row.limits.end(),
                                   [&](const report::LimitRow& x) { return x.id == l.id; });
      if (it == row.limits.end()) continue;
      r.limits.push_back({l.id, l.name, it->max});
      break;
    }
  }
  return r;
}

Result<AggregateTable> StartITable() {
  TALLY_ASSIGN_OR_RETURN(auto rows, treaty::StartIAggregates());
  return AggregateTable{"start-i", "data/start_i/aggregates.csv",
                        "the START I Memorandum of Understanding data as published (FAS) and "
                        "later statements quoted by the press (data/start_i/README.md)",
                        std::move(rows)};
}

const TreatyReplay* FindReplay(const SiteData& s, std::string_view id) {
  for (const auto& r : s.replays) {
    if (r.treaty == id) return &r;
  }
  return nullptr;
}

Result<SiteData> BuildSiteData(const registry::Registry& registry,
                               const treaty::TreatySet& treaties,
                               const std::vector<model::Posture>& new_start_aggregates,
                               const SiteOptions& options) {
  SiteData s;
  TALLY_ASSIGN_OR_RETURN(
      s.report, report::BuildReport(registry, treaties, new_start_aggregates, options.date));
  for (const registry::Dataset* d : registry.Newest()) {
    s.datasets.push_back({d->Ref(), d->title, d->publisher, d->source, d->url, d->secondary});
  }
  registry::FigureFilter filter;
  filter.categories = {Category::kMilitaryStockpile, Category::kTotalInventory};
  TALLY_ASSIGN_OR_RETURN(auto figures, registry.Select(filter));
  for (const auto& f : figures) {
    ForcePoint p;
    p.dataset = RefOf(f);
    p.state = f.state;
    p.category = std::string(model::CategoryName(f.category));
    p.year = f.year();
    p.as_of = f.as_of_text;
    p.value = f.value;
    p.low = f.low;
    p.high = f.high;
    p.confidence = std::string(model::ConfidenceName(f.confidence));
    const auto ds = std::find_if(s.datasets.begin(), s.datasets.end(),
                                 [&](const DatasetInfo& d) { return d.ref == p.dataset; });
    if (ds == s.datasets.end() || ds->source != f.source) p.source = f.source;
    s.forces.push_back(std::move(p));
  }

  {
    TALLY_ASSIGN_OR_RETURN(const treaty::Treaty* ns, treaties.Get("new-start"));
    AggregateTable table{"new-start", "data/new_start/aggregates.csv",
                         "US State Department fact sheets of the biannual New START exchanges",
                         new_start_aggregates};
    TALLY_ASSIGN_OR_RETURN(auto replay, ReplayTable(*ns, table, options.date));
    s.replays.push_back(std::move(replay));
  }
  for (const AggregateTable& table : options.more_replays) {
    TALLY_ASSIGN_OR_RETURN(const treaty::Treaty* t, treaties.Get(table.treaty));
    TALLY_ASSIGN_OR_RETURN(auto replay, ReplayTable(*t, table, options.date));
    s.replays.push_back(std::move(replay));
  }

  if (options.with_bands) {
    TALLY_ASSIGN_OR_RETURN(auto all, registry.Select({}));
    TALLY_ASSIGN_OR_RETURN(auto evidence, Evidence(all));
    const auto specs = options.bands.empty() ? DefaultBands() : options.bands;
    for (const auto& spec : specs) {
      TALLY_ASSIGN_OR_RETURN(auto band, EstimateBand(spec, evidence));
      s.bands.push_back(std::move(band));
    }
  }
  TALLY_ASSIGN_OR_RETURN(s.uploads, BuildUploads(treaties));
  if (options.projection_members > 0) {
    TALLY_ASSIGN_OR_RETURN(s.projections, BuildProjections(treaties, options.projection_members));
  }
  return s;
}

Result<SiteData> BuildDefaultSiteData(Date date, int projection_members) {
  TALLY_ASSIGN_OR_RETURN(auto registry, registry::Registry::LoadEmbedded());
  TALLY_ASSIGN_OR_RETURN(auto treaties, treaty::LoadDefaultTreaties());
  TALLY_ASSIGN_OR_RETURN(auto aggregates, treaty::NewStartAggregates());
  SiteOptions o;
  o.date = date;
  o.projection_members = projection_members;
  TALLY_ASSIGN_OR_RETURN(auto start_i, StartITable());
  o.more_replays.push_back(std::move(start_i));
  return BuildSiteData(registry, treaties, aggregates, o);
}

}  // namespace tally::dashboard
