// Report: the main job of `tally report`, assembled as one value.
//
// Four parts, each computed from data and never typed in:
//   today      the current snapshot dataset (registry::Registry::CurrentSnapshot): every
//              category for the nine states, the world row (the dataset's own, else the sum),
//              and where other datasets of the same or a later year disagree with it;
//   history    the FAS 1945-2025 series by decade, each state's peak and today as a share of it;
//   treaties   each treaty's status at the report date (treaty::StatusAt);
//   new_start  the last New START aggregate data of each party checked against the limits,
//              and the whole published table replayed, counted by verdict.
// The caller renders it (the CLI as terminal tables or JSON; later HTML).
//
// Errors: BuildReport returns kNotFound when the registry has no current snapshot or the treaty
// set lacks New START; it never fails on missing party data (that is a `no_data` verdict).
// Plain value: owns everything it holds (no pointers into the inputs); thread-compatible.
#ifndef TALLY_REPORT_REPORT_H_
#define TALLY_REPORT_REPORT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/model/figure.h"
#include "tally/model/posture.h"
#include "tally/registry/compare.h"
#include "tally/registry/registry.h"
#include "tally/registry/series.h"
#include "tally/treaty/check.h"
#include "tally/treaty/treaty_set.h"

namespace tally::report {

struct StateRow {
  std::string state;  // code, or "World"
  std::map<model::Category, model::Figure> figures;
  bool world_is_sum = false;  // World row computed from the states (the dataset gave none)
};

struct Today {
  std::string dataset;  // name@version
  std::string title;
  std::string publisher;
  std::string source;
  Date as_of;                               // the snapshot's latest as_of
  std::vector<model::Category> categories;  // those the snapshot gives, display order
  std::vector<StateRow> rows;               // nine states, then World
  // Other datasets of the snapshot's year or later that disagree with each other or with it.
  std::vector<registry::Disagreement> disagreements;
};

struct HistoryColumn {
  std::string state;
  model::Category category;  // military stockpile; total inventory for World
  std::vector<registry::SeriesPoint> points;
  registry::SeriesPoint peak;
  registry::SeriesPoint last;
};

struct History {
  std::string dataset;  // name@version of the series
  std::string source;
  std::vector<int> years;  // decades from the first, then the last year
  std::vector<HistoryColumn> columns;
};

struct TreatyRow {
  std::string id;
  std::string name;
  bool hypothetical = false;
  std::vector<std::string> parties;
  Date signed_on;
  std::optional<Date> entry_into_force;
  std::optional<Date> ended;
  std::string end_reason;
  std::string state;   // treaty::TreatyStateName
  std::string reason;  // one sentence
  bool verification = false;
};

struct LimitRow {
  std::string id;
  std::string name;
  int64_t max = 0;
  std::optional<int64_t> counted;
  std::optional<int64_t> margin;
  std::optional<bool> ok;
  bool effective = false;
};

struct NewStartRow {
  std::string party;
  Date as_of;
  std::string verdict;  // treaty::VerdictName
  std::string reason;
  std::string source;
  std::vector<LimitRow> limits;
};

struct NewStart {
  std::string treaty_name;
  std::string status;  // at the report date
  std::string status_reason;
  std::vector<NewStartRow> last;  // each party's last posture with data, then any later gap
  size_t rows_checked = 0;        // the whole table replayed
  std::map<std::string, size_t> verdicts;  // verdict name -> rows
};

struct Report {
  Date date;
  Today today;
  History history;
  std::vector<TreatyRow> treaties;
  NewStart new_start;
};

// One New START check as a report row (limits by id, name, ceiling, count, margin).
NewStartRow ToNewStartRow(const treaty::CheckResult& check);

Result<Report> BuildReport(const registry::Registry& registry, const treaty::TreatySet& treaties,
                           const std::vector<model::Posture>& new_start_aggregates, Date date);

}  // namespace tally::report

#endif  // TALLY_REPORT_REPORT_H_
