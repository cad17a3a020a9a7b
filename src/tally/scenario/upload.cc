#include "tally/scenario/upload.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "tally/base/csv.h"
#include "tally/model/state.h"

namespace tally::scenario {
namespace {

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

Result<double> Count(const CsvRow& row, std::string_view column, bool required) {
  const std::string_view text = row.Get(column);
  if (text.empty() && !required) return -1.0;
  const auto v = ParseDouble(text);
  if (!v || !std::isfinite(*v) || *v < 0) {
    return FieldError(row.Where(), column, "a non-negative number", Quote(text));
  }
  return *v;
}

Result<std::string> State(const CsvRow& row) {
  const auto s = model::FindState(row.Get("state"));
  if (!s) return FieldError(row.Where(), "state", "a known state", Quote(row.Get("state")));
  return std::string(s->code);
}

Result<std::string> Required(const CsvRow& row, std::string_view column) {
  if (row.Get(column).empty()) return FieldError(row.Where(), column, "a value", "\"\"");
  return std::string(row.Get(column));
}

std::vector<std::string> SplitPools(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<ForceStructure> ParseForceStructure(std::string_view systems_csv,
                                           const std::string& systems_name,
                                           std::string_view pools_csv,
                                           const std::string& pools_name) {
  ForceStructure fs;
  TALLY_ASSIGN_OR_RETURN(CsvTable pools, CsvTable::Parse(pools_csv, pools_name));
  const auto pool_columns = {std::string_view("state"),      std::string_view("case"),
                             std::string_view("pool"),       std::string_view("warheads"),
                             std::string_view("confidence"), std::string_view("source"),
                             std::string_view("note")};
  TALLY_RETURN_IF_ERROR(pools.RequireColumns(pool_columns));
  TALLY_RETURN_IF_ERROR(pools.RejectUnknownColumns(pool_columns));
  std::set<std::string> pool_keys;
  for (size_t i = 0; i < pools.size(); ++i) {
    const CsvRow row = pools.row(i);
    UploadPool p;
    p.where = row.Where();
    TALLY_ASSIGN_OR_RETURN(p.state, State(row));
    TALLY_ASSIGN_OR_RETURN(p.case_id, Required(row, "case"));
    TALLY_ASSIGN_OR_RETURN(p.pool, Required(row, "pool"));
    TALLY_ASSIGN_OR_RETURN(p.warheads, Count(row, "warheads", true));
    p.confidence = std::string(row.Get("confidence"));
    TALLY_ASSIGN_OR_RETURN(p.source, Required(row, "source"));
    p.note = std::string(row.Get("note"));
    if (!pool_keys.insert(p.state + "/" + p.case_id + "/" + p.pool).second) {
      return FieldError(p.where, "pool", "a pool listed once per state and case", Quote(p.pool));
    }
    fs.pools.push_back(std::move(p));
  }

  TALLY_ASSIGN_OR_RETURN(CsvTable systems, CsvTable::Parse(systems_csv, systems_name));
  const auto system_columns = {
      std::string_view("state"),           std::string_view("case"),
      std::string_view("system"),          std::string_view("leg"),
      std::string_view("as_of"),           std::string_view("launchers"),
      std::string_view("warheads_loaded"), std::string_view("max_per_launcher"),
      std::string_view("capacity"),        std::string_view("upload_per_month"),
      std::string_view("pools"),           std::string_view("confidence"),
      std::string_view("source"),          std::string_view("note")};
  TALLY_RETURN_IF_ERROR(systems.RequireColumns(system_columns));
  TALLY_RETURN_IF_ERROR(systems.RejectUnknownColumns(system_columns));
  std::set<std::string> system_keys;
  for (size_t i = 0; i < systems.size(); ++i) {
    const CsvRow row = systems.row(i);
    UploadSystem s;
    s.where = row.Where();
    TALLY_ASSIGN_OR_RETURN(s.state, State(row));
    TALLY_ASSIGN_OR_RETURN(s.case_id, Required(row, "case"));
    TALLY_ASSIGN_OR_RETURN(s.system, Required(row, "system"));
    TALLY_ASSIGN_OR_RETURN(s.leg, Required(row, "leg"));
    TALLY_ASSIGN_OR_RETURN(s.as_of, Required(row, "as_of"));
    TALLY_ASSIGN_OR_RETURN(s.launchers, Count(row, "launchers", false));
    TALLY_ASSIGN_OR_RETURN(s.loaded, Count(row, "warheads_loaded", true));
    TALLY_ASSIGN_OR_RETURN(s.max_per_launcher, Count(row, "max_per_launcher", false));
    TALLY_ASSIGN_OR_RETURN(double capacity, Count(row, "capacity", false));
    s.capacity_given = capacity >= 0;
    if (!s.capacity_given && (s.launchers < 0 || s.max_per_launcher < 0)) {
      return FieldError(s.where, s.launchers < 0 ? "launchers" : "max_per_launcher",
                        "a number (or a capacity)", "\"\"");
    }
    s.capacity = s.capacity_given ? capacity : s.launchers * s.max_per_launcher;
    if (s.loaded > s.capacity + 1e-9) {
      return FieldError(s.where, "warheads_loaded",
                        "at most the capacity " + std::to_string(std::llround(s.capacity)),
                        Quote(row.Get("warheads_loaded")));
    }
    TALLY_ASSIGN_OR_RETURN(s.per_month, Count(row, "upload_per_month", true));
    s.pools = SplitPools(row.Get("pools"));
    for (const auto& p : s.pools) {
      if (!pool_keys.count(s.state + "/" + s.case_id + "/" + p)) {
        return FieldError(
            s.where, "pools",
            "pools listed in " + pools_name + " for " + s.state + " case " + s.case_id, Quote(p));
      }
    }
    s.confidence = std::string(row.Get("confidence"));
    TALLY_ASSIGN_OR_RETURN(s.source, Required(row, "source"));
    s.note = std::string(row.Get("note"));
    if (!system_keys.insert(s.state + "/" + s.case_id + "/" + s.system).second) {
      return FieldError(s.where, "system", "a system listed once per state and case",
                        Quote(s.system));
    }
    fs.systems.push_back(std::move(s));
  }
  return fs;
}

Result<std::vector<PublishedUpload>> ParsePublishedUploads(std::string_view text,
                                                           const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(text, name));
  const auto columns = {
      std::string_view("state"),    std::string_view("estimator"),  std::string_view("date"),
      std::string_view("baseline"), std::string_view("low"),        std::string_view("high"),
      std::string_view("basis"),    std::string_view("confidence"), std::string_view("source")};
  TALLY_RETURN_IF_ERROR(table.RequireColumns(columns));
  TALLY_RETURN_IF_ERROR(table.RejectUnknownColumns(columns));
  std::vector<PublishedUpload> out;
  for (size_t i = 0; i < table.size(); ++i) {
    const CsvRow row = table.row(i);
    PublishedUpload p;
    TALLY_ASSIGN_OR_RETURN(p.state, State(row));
    TALLY_ASSIGN_OR_RETURN(p.estimator, Required(row, "estimator"));
    TALLY_ASSIGN_OR_RETURN(p.date, Required(row, "date"));
    TALLY_ASSIGN_OR_RETURN(p.baseline, Count(row, "baseline", true));
    TALLY_ASSIGN_OR_RETURN(p.low, Count(row, "low", true));
    TALLY_ASSIGN_OR_RETURN(p.high, Count(row, "high", true));
    if (p.high < p.low) {
      return FieldError(row.Where(), "high", "a number >= low", Quote(row.Get("high")));
    }
    p.basis = std::string(row.Get("basis"));
    p.confidence = std::string(row.Get("confidence"));
    TALLY_ASSIGN_OR_RETURN(p.source, Required(row, "source"));
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> UploadCases(const ForceStructure& fs, std::string_view state) {
  std::vector<std::string> out;
  for (const auto& s : fs.systems) {
    if (s.state == state && std::find(out.begin(), out.end(), s.case_id) == out.end()) {
      out.push_back(s.case_id);
    }
  }
  return out;
}

Result<UploadResult> ComputeUpload(const ForceStructure& fs, std::string_view state,
                                   std::string_view case_id,
                                   const std::map<std::string, double>& rate_overrides) {
  UploadResult r;
  r.state = std::string(state);
  r.case_id = std::string(case_id);
  std::map<std::string, double> remaining;
  for (const auto& p : fs.pools) {
    if (p.state == state && p.case_id == case_id) {
      remaining[p.pool] = p.warheads;
      r.pools_used.emplace_back(&p, 0.0);
    }
  }
  std::vector<double> rates;
  for (const auto& s : fs.systems) {
    if (s.state != state || s.case_id != case_id) continue;
    SystemUpload u;
    u.system = &s;
    u.headroom = s.capacity - s.loaded;
    u.added = u.headroom;
    u.limited_by = "capacity";
    for (const auto& p : s.pools) {
      if (remaining[p] < u.added) {
        u.added = remaining[p];
        u.limited_by = "pool " + p;
      }
    }
    u.added = std::max(0.0, u.added);
    for (const auto& p : s.pools) remaining[p] -= u.added;
    r.baseline += s.loaded;
    r.added += u.added;
    auto it = rate_overrides.find(s.system);
    const double rate = it != rate_overrides.end() ? it->second : s.per_month;
    rates.push_back(rate);
    if (u.added > 0 && !(rate > 0)) {
      return InvalidArgument(s.where + ": field 'upload_per_month': expected a positive rate for " +
                             s.system + ", got 0");
    }
    u.months_to_full = u.added > 0 ? static_cast<int>(std::ceil(u.added / rate - 1e-9)) : 0;
    r.systems.push_back(u);
  }
  if (r.systems.empty()) {
    return NotFound("upload: no force structure for " + std::string(state) + " case '" +
                    std::string(case_id) + "'");
  }
  for (auto& [pool, drawn] : r.pools_used) drawn = pool->warheads - remaining[pool->pool];
  r.total = r.baseline + r.added;
  // Month by month: every system uploads up to its rate until it has taken its share.
  int months = 0;
  for (const auto& u : r.systems) months = std::max(months, u.months_to_full);
  double deployed = r.baseline;
  r.timeline.push_back(deployed);
  std::vector<double> done(r.systems.size(), 0.0);
  for (int m = 1; m <= months; ++m) {
    for (size_t i = 0; i < r.systems.size(); ++i) {
      const double step = std::min(rates[i], r.systems[i].added - done[i]);
      if (step > 0) {
        done[i] += step;
        deployed += step;
      }
    }
    r.timeline.push_back(deployed);
  }
  return r;
}

}  // namespace tally::scenario
