// SiteData: everything the dashboard pages and the HTML report show, computed once from the data.
//
// On top of report::Report (forces today, history by decade, treaty status, last New START data):
//   forces    every yearly military-stockpile and total-inventory figure of every dataset, long
//             form (the fas-history series 1945-2025, the 2024/2025 snapshots, the 2026 article
//             with its ranges), each with its dataset, confidence and source;
//   datasets  the datasets those figures come from (title, publisher, citation);
//   replays   every treaty with a published aggregate table (New START, then START I), each row
//             checked at its own date by treaty::CheckAll, the call `tally check --aggregates`
//             makes, so that the statuses are the CLI's;
//   bands     arsenal estimates (median, 50 % and 90 % intervals) from estimate::EstimateSeries,
//             widening after the last declared (verified) figure;
//   uploads, projections  upload capacity per system and the shipped scenarios against their
//             limits (confidence_data.h).
// Errors: the report's (kNotFound without a current snapshot or New START) and the estimator's
// (kInvalidArgument for a series without usable evidence). Plain value; thread-compatible.
#ifndef TALLY_DASHBOARD_SITE_DATA_H_
#define TALLY_DASHBOARD_SITE_DATA_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/dashboard/confidence_data.h"
#include "tally/estimate/estimator.h"
#include "tally/model/posture.h"
#include "tally/registry/registry.h"
#include "tally/report/report.h"
#include "tally/treaty/treaty_set.h"

namespace tally::dashboard {

struct ForcePoint {
  std::string dataset;   // name@version
  std::string state;     // code or "World"
  std::string category;  // model::CategoryName
  int year = 0;
  std::string as_of;  // as written in the dataset
  int64_t value = 0;
  std::optional<int64_t> low, high;
  std::string confidence;
  std::string source;  // empty when it is the dataset's own
};

struct DatasetInfo {
  std::string ref;  // name@version
  std::string title;
  std::string publisher;
  std::string source;
  std::string url;
  bool secondary = false;
};

struct BandSpec {
  std::string state;
  std::string category;  // estimate category ("new_start_warheads", "military_stockpile")
  Date from, to;
};

struct Band {
  std::string state;
  std::string category;
  std::string method;
  std::vector<estimate::EstimatePoint> points;  // one a year
  std::optional<Date> last_declared;
  std::optional<Date> last_observation;
  size_t sources_used = 0;
};

// A treaty's published aggregate table (a posture file whose columns are its quantity ids).
struct AggregateTable {
  std::string treaty;  // treaty id
  std::string file;    // where the rows come from, e.g. "data/start_i/aggregates.csv"
  std::string source;  // who published the figures, one sentence
  std::vector<model::Posture> rows;
};

struct ReplayLimit {
  std::string id;
  std::string name;
  int64_t max = 0;
};

// An aggregate table replayed: every row checked at its own date with the treaty's limits.
struct TreatyReplay {
  std::string treaty;  // id
  std::string name;
  std::string status;  // the treaty's, at the report date
  std::string status_reason;
  std::string file, source;              // the table's (AggregateTable)
  std::optional<Date> limits_effective;  // the treaty's
  // The treaty's limits in its order, each with the ceiling the first row checked against (a
  // limit no row is bound by is left out).
  std::vector<ReplayLimit> limits;
  std::vector<report::NewStartRow> rows;  // one per table row, in the table's order
};

// The table checked with treaty::CheckAll, as `tally check --treaty T --aggregates FILE` does
// (kInvalidArgument naming the first column that is not a quantity of `t`).
Result<TreatyReplay> ReplayTable(const treaty::Treaty& t, const AggregateTable& table, Date date);

// The embedded START I table (data/start_i/aggregates.csv): the replay after New START's.
Result<AggregateTable> StartITable();

struct SiteData {
  report::Report report;
  std::vector<DatasetInfo> datasets;
  std::vector<ForcePoint> forces;
  std::vector<TreatyReplay> replays;  // New START's first
  std::vector<Band> bands;
  std::vector<UploadCase> uploads;
  std::vector<ScenarioProjection> projections;
};

// Members per scenario that the dashboard's projections run (BuildDefaultSiteData): bounded so
// that tallyd and `tally dashboard` start fast.
inline constexpr int kDashboardProjectionMembers = 500;

struct SiteOptions {
  Date date;                    // the report date
  std::vector<BandSpec> bands;  // default: DefaultBands()
  bool with_bands = true;
  // Ensemble members per shipped scenario (each runs min(this, its own members)); 0 (the default:
  // the HTML report shows none) leaves the projections out.
  int projection_members = 0;
  // Tables replayed after New START's (BuildDefaultSiteData: StartITable()).
  std::vector<AggregateTable> more_replays;
};

// The replay of treaty `id`, or nullptr.
const TreatyReplay* FindReplay(const SiteData& s, std::string_view id);

// New START warheads of the US and Russia 2011-2030, China's stockpile 2000-2030.
std::vector<BandSpec> DefaultBands();

Result<SiteData> BuildSiteData(const registry::Registry& registry,
                               const treaty::TreatySet& treaties,
                               const std::vector<model::Posture>& new_start_aggregates,
                               const SiteOptions& options);

// The embedded defaults (Registry::LoadEmbedded, the default treaties, the published New START
// and START I tables) at `date`, with the projections of `projection_members` members: what
// `tally dashboard` and tallyd serve.
Result<SiteData> BuildDefaultSiteData(Date date,
                                      int projection_members = kDashboardProjectionMembers);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_SITE_DATA_H_
