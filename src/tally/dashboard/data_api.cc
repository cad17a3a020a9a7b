#include "tally/dashboard/data_api.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace tally::dashboard {
namespace {

using nlohmann::ordered_json;

template <typename T>
ordered_json Opt(const std::optional<T>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

ordered_json OptDate(const std::optional<Date>& d) {
  return d ? ordered_json(d->ToString()) : ordered_json(nullptr);
}

std::string OptNum(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : ""; }

// Whole warheads, as the CSVs write them (so that a CSV equals its JSON).
int64_t Whole(double v) { return std::llround(v); }

ordered_json WholeAll(const std::vector<double>& v) {
  ordered_json out = ordered_json::array();
  for (double x : v) out.push_back(Whole(x));
  return out;
}

ordered_json OrNull(const std::string& text) {
  return text.empty() ? ordered_json(nullptr) : ordered_json(text);
}

}  // namespace

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ForcesJson(const SiteData& s) {
  ordered_json datasets = ordered_json::array();
  for (const auto& d : s.datasets) {
    datasets.push_back({{"ref", d.ref},
                        {"title", d.title},
                        {"publisher", d.publisher},
                        {"source", d.source},
                        {"url", d.url},
                        {"secondary", d.secondary}});
  }
  ordered_json points = ordered_json::array();
  for (const auto& p : s.forces) {
    points.push_back({{"dataset", p.dataset},
                      {"state", p.state},
                      {"category", p.category},
                      {"year", p.year},
                      {"as_of", p.as_of},
                      {"value", p.value},
                      {"low", Opt(p.low)},
                      {"high", Opt(p.high)},
                      {"confidence", p.confidence},
                      {"source", p.source}});
  }
  return ordered_json{{"datasets", datasets}, {"points", points}}.dump();
}

std::string TreatiesJson(const SiteData& s) {
  ordered_json list = ordered_json::array();
  for (const auto& t : s.report.treaties) {
    list.push_back({{"id", t.id},
                    {"name", t.name},
                    {"hypothetical", t.hypothetical},
                    {"parties", t.parties},
                    {"signed", t.signed_on.ToString()},
                    {"entry_into_force", OptDate(t.entry_into_force)},
                    {"ended", OptDate(t.ended)},
                    {"end_reason", t.end_reason},
                    {"status", t.state},
                    {"reason", t.reason},
                    {"verification", t.verification}});
  }
  return ordered_json{{"date", s.report.date.ToString()}, {"treaties", list}}.dump();
}

namespace {

const report::LimitRow* FindLimit(const report::NewStartRow& row, const std::string& id) {
  for (const auto& l : row.limits) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

// The fields of one replay document (/api/<treaty>.json), in the order New START's always had.
ordered_json ReplayDoc(const TreatyReplay& r) {
  ordered_json limits = ordered_json::array();
  for (const auto& l : r.limits) limits.push_back({{"id", l.id}, {"name", l.name}, {"max", l.max}});
  ordered_json rows = ordered_json::array();
  for (const auto& row : r.rows) {
    ordered_json counted = ordered_json::object(), margin = ordered_json::object();
    for (const auto& l : row.limits) {
      counted[l.id] = Opt(l.counted);
      margin[l.id] = Opt(l.margin);
    }
    rows.push_back({{"party", row.party},
                    {"as_of", row.as_of.ToString()},
                    {"verdict", row.verdict},
                    {"source", row.source},
                    {"counted", counted},
                    {"margin", margin}});
  }
  return ordered_json{{"treaty", r.name},
                      {"status", r.status},
                      {"status_reason", r.status_reason},
                      {"limits", limits},
                      {"exchanges", rows}};
}

const TreatyReplay& NewStartOf(const SiteData& s) {
  static const TreatyReplay kNone;
  const TreatyReplay* r = FindReplay(s, "new-start");
  return r ? *r : kNone;
}

}  // namespace

std::string ReplayJson(const TreatyReplay& r) { return ReplayDoc(r).dump(); }

std::string ReplayCsv(const TreatyReplay& r) {
  std::string out = "party,as_of,verdict";
  for (const auto& l : r.limits) out += "," + l.id + "," + l.id + "_margin";
  out += "\n";
  for (const auto& row : r.rows) {
    out += CsvField(row.party) + "," + row.as_of.ToString() + "," + row.verdict;
    for (const auto& l : r.limits) {
      const report::LimitRow* x = FindLimit(row, l.id);
      out += "," + (x ? OptNum(x->counted) : "") + "," + (x ? OptNum(x->margin) : "");
    }
    out += "\n";
  }
  return out;
}

std::string ReplaysJson(const SiteData& s) {
  ordered_json list = ordered_json::array();
  for (const auto& r : s.replays) {
    ordered_json doc = {{"id", r.treaty},
                        {"file", r.file},
                        {"source", r.source},
                        {"limits_effective", OptDate(r.limits_effective)},
                        {"json", ReplayPath(r, ".json").substr(1)},
                        {"csv", ReplayPath(r, ".csv").substr(1)}};
    const ordered_json fields = ReplayDoc(r);  // named: items() would dangle on a temporary
    for (const auto& [key, value] : fields.items()) doc[key] = value;
    list.push_back(std::move(doc));
  }
  return ordered_json{{"date", s.report.date.ToString()}, {"replays", list}}.dump();
}

std::string ReplayPath(const TreatyReplay& r, std::string_view extension) {
  return "/api/" + r.treaty + std::string(extension);
}

std::string NewStartJson(const SiteData& s) { return ReplayJson(NewStartOf(s)); }

std::string BandsJson(const SiteData& s) {
  ordered_json bands = ordered_json::array();
  for (const auto& b : s.bands) {
    ordered_json pts = ordered_json::array();
    for (const auto& p : b.points) {
      auto r = [](double v) { return std::round(v); };
      pts.push_back({{"year", p.date.year()},
                     {"median", r(p.median)},
                     {"p05", r(p.p05)},
                     {"p25", r(p.p25)},
                     {"p75", r(p.p75)},
                     {"p95", r(p.p95)}});
    }
    bands.push_back({{"state", b.state},
                     {"category", b.category},
                     {"method", b.method},
                     {"last_declared", OptDate(b.last_declared)},
                     {"last_observation", OptDate(b.last_observation)},
                     {"sources_used", b.sources_used},
                     {"points", pts}});
  }
  return ordered_json{{"bands", bands}}.dump();
}

std::string ForcesCsv(const SiteData& s) {
  std::string out = "dataset,state,category,year,as_of,value,low,high,confidence,source\n";
  for (const auto& p : s.forces) {
    out += CsvField(p.dataset) + "," + p.state + "," + p.category + "," + std::to_string(p.year) +
           "," + CsvField(p.as_of) + "," + std::to_string(p.value) + "," + OptNum(p.low) + "," +
           OptNum(p.high) + "," + p.confidence + "," + CsvField(p.source) + "\n";
  }
  return out;
}

std::string NewStartCsv(const SiteData& s) { return ReplayCsv(NewStartOf(s)); }

std::string BandsCsv(const SiteData& s) {
  std::string out = "state,category,year,median,p05,p25,p75,p95\n";
  for (const auto& b : s.bands) {
    for (const auto& p : b.points) {
      out += b.state + "," + b.category + "," + std::to_string(p.date.year());
      for (double v : {p.median, p.p05, p.p25, p.p75, p.p95}) {
        out += "," + std::to_string(std::llround(v));
      }
      out += "\n";
    }
  }
  return out;
}

std::string UploadJson(const SiteData& s) {
  ordered_json list = ordered_json::array();
  for (const auto& u : s.uploads) {
    ordered_json limits = ordered_json::array();
    for (const auto& l : u.limits) {
      limits.push_back({{"id", l.id},
                        {"name", l.name},
                        {"max", Whole(l.max)},
                        {"from", OrNull(l.from)},
                        {"until", OrNull(l.until)},
                        {"baseline_margin", Whole(l.max - u.baseline)},
                        {"after_upload_margin", Whole(l.max - u.total)}});
    }
    ordered_json systems = ordered_json::array();
    for (const auto& r : u.systems) {
      systems.push_back(
          {{"system", r.system},
           {"leg", r.leg},
           {"as_of", r.as_of},
           {"launchers", r.launchers ? ordered_json(Whole(*r.launchers)) : ordered_json(nullptr)},
           {"warheads_loaded", Whole(r.loaded)},
           {"capacity", Whole(r.capacity)},
           {"capacity_given", r.capacity_given},
           {"headroom", Whole(r.headroom)},
           {"added", Whole(r.added)},
           {"limited_by", r.limited_by},
           {"upload_per_month", r.per_month},
           {"months_to_full", r.months_to_full},
           {"confidence", r.confidence},
           {"source", r.source},
           {"where", r.where}});
    }
    list.push_back({{"state", u.state},
                    {"case", u.case_id},
                    {"baseline", Whole(u.baseline)},
                    {"added", Whole(u.added)},
                    {"total", Whole(u.total)},
                    {"months_to_full", u.months_to_full},
                    {"limits", limits},
                    {"systems", systems}});
  }
  return ordered_json{{"uploads", list}}.dump();
}

std::string UploadCsv(const SiteData& s) {
  std::string out =
      "state,case,system,leg,launchers,warheads_loaded,capacity,headroom,added,limited_by,"
      "months_to_full\n";
  for (const auto& u : s.uploads) {
    for (const auto& r : u.systems) {
      out += u.state + "," + CsvField(u.case_id) + "," + CsvField(r.system) + "," +
             CsvField(r.leg) + "," + (r.launchers ? std::to_string(Whole(*r.launchers)) : "") +
             "," + std::to_string(Whole(r.loaded)) + "," + std::to_string(Whole(r.capacity)) + "," +
             std::to_string(Whole(r.headroom)) + "," + std::to_string(Whole(r.added)) + "," +
             CsvField(r.limited_by) + "," + std::to_string(r.months_to_full) + "\n";
    }
  }
  return out;
}

std::string ProjectionsJson(const SiteData& s) {
  ordered_json list = ordered_json::array();
  for (const auto& p : s.projections) {
    ordered_json dates = ordered_json::array();
    for (const auto& d : p.dates) dates.push_back(d.ToString());
    ordered_json series = ordered_json::array();
    for (const auto& x : p.series) {
      series.push_back({{"id", x.id},
                        {"state", x.state},
                        {"quantity", x.quantity},
                        {"source", x.source},
                        {"central", WholeAll(x.central)},
                        {"p05", WholeAll(x.p05)},
                        {"p25", WholeAll(x.p25)},
                        {"p50", WholeAll(x.p50)},
                        {"p75", WholeAll(x.p75)},
                        {"p95", WholeAll(x.p95)}});
    }
    ordered_json limits = ordered_json::array();
    for (const auto& l : p.limits) {
      limits.push_back({{"id", l.id},
                        {"name", l.name},
                        {"series", l.series},
                        {"max", Whole(l.max)},
                        {"from", OrNull(l.from)},
                        {"until", OrNull(l.until)},
                        {"source", l.source},
                        {"central_first_over", OrNull(l.central_first_over)},
                        {"median_first_over", OrNull(l.median_first_over)},
                        {"max_share_over", l.max_share_over}});
    }
    list.push_back({{"id", p.id},
                    {"file", p.file},
                    {"name", p.name},
                    {"description", p.description},
                    {"sha256", p.sha256},
                    {"step", p.step},
                    {"members", p.members},
                    {"seed", p.seed},
                    {"treaties", p.treaties},
                    {"dates", dates},
                    {"series", series},
                    {"limits", limits}});
  }
  return ordered_json{{"scenarios", list}}.dump();
}

std::string ProjectionsCsv(const SiteData& s) {
  std::string out = "scenario,series,state,quantity,date,central,p05,p25,p50,p75,p95\n";
  for (const auto& p : s.projections) {
    for (const auto& x : p.series) {
      for (size_t t = 0; t < p.dates.size(); ++t) {
        out += CsvField(p.id) + "," + CsvField(x.id) + "," + x.state + "," + CsvField(x.quantity) +
               "," + p.dates[t].ToString();
        for (const auto* v : {&x.central, &x.p05, &x.p25, &x.p50, &x.p75, &x.p95}) {
          out += "," + std::to_string(Whole((*v)[t]));
        }
        out += "\n";
      }
    }
  }
  return out;
}

}  // namespace tally::dashboard
