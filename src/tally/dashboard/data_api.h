// The dashboard's data documents: JSON for the pages, CSV for "download CSV", and the metadata
// (sources, columns) that goes with each CSV, all rendered from a SiteData.
//
// Documents (docs/dashboard.md lists their fields; the HTTP routes serve them under /api/):
//   forces       {datasets: [...], points: [{dataset, state, category, year, as_of, value, low,
//                high, confidence, source}]}: every figure of SiteData::forces
//   treaties     {date, treaties: [{id, name, parties, signed, entry_into_force, ended, status,
//                reason, verification, hypothetical}]}
//   new-start    {treaty, status, limits: [{id, name, max}], exchanges: [{party, as_of, verdict,
//                source, counted: {limit: n|null}, margin: {limit: n|null}}]}
//   <treaty>     (new-start, start-i: every SiteData::replays entry) the same shape as new-start
//   replays      {date, replays: [{id, file, source, limits_effective, json, csv, treaty, status,
//   status_reason,
//                limits, exchanges}]}: every replay, each with the fields of its own document and
//                the paths of its JSON and CSV
//   bands        {bands: [{state, category, method, last_declared, points: [{year, median, p05,
//                p25, p75, p95}]}]}
//   upload       {treaties, uploads: [{state, case, baseline, added, total, months_to_full,
//                limits: [{id, name, max, from, until, baseline_margin, after_upload_margin}],
//                systems: [{system, leg, as_of, launchers, warheads_loaded, capacity,
//                capacity_given, headroom, added, limited_by, upload_per_month, months_to_full,
//                confidence, source, where}]}]}
//   projections  {scenarios: [{id, file, name, description, sha256, step, members,
//                seed, treaties, dates, series: [{id, state, quantity, source, central, p05, p25,
//                p50, p75, p95}], limits: [{id, name, series, max, from, until, source,
//                central_first_over, median_first_over, max_share_over}]}]}: a series' values are
//                arrays parallel to `dates`, rounded to whole warheads
// CSVs have one header line then one row per point/exchange (RFC 4180 quoting); numbers are
// integers, a missing value is an empty cell. Pure functions; thread-safe.
#ifndef TALLY_DASHBOARD_DATA_API_H_
#define TALLY_DASHBOARD_DATA_API_H_

#include <string>
#include <string_view>

#include "tally/dashboard/site_data.h"

namespace tally::dashboard {

std::string ForcesJson(const SiteData& s);
std::string TreatiesJson(const SiteData& s);
std::string NewStartJson(const SiteData& s);
std::string BandsJson(const SiteData& s);

// A replay's document and CSV (party,as_of,verdict, then <limit>,<limit>_margin per limit; a limit
// that does not bind a row's party is two empty cells), served at ReplayPath: /api/<treaty>.json
// and .csv. NewStartJson/NewStartCsv are New START's.
std::string ReplayJson(const TreatyReplay& r);
std::string ReplayCsv(const TreatyReplay& r);
std::string ReplayPath(const TreatyReplay& r, std::string_view extension);
std::string ReplaysJson(const SiteData& s);

std::string ForcesCsv(const SiteData& s);
std::string NewStartCsv(const SiteData& s);
// state,category,year,median,p05,p25,p75,p95 (rounded to whole warheads).
std::string BandsCsv(const SiteData& s);

std::string UploadJson(const SiteData& s);
// The columns of `tally upload --csv`: state,case,system,leg,launchers,warheads_loaded,capacity,
// headroom,added,limited_by,months_to_full (whole warheads).
std::string UploadCsv(const SiteData& s);
std::string ProjectionsJson(const SiteData& s);
// scenario,series,state,quantity,date,central,p05,p25,p50,p75,p95 (whole warheads).
std::string ProjectionsCsv(const SiteData& s);

// One CSV field, quoted when it holds a comma, quote or line break.
std::string CsvField(std::string_view text);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_DATA_API_H_
