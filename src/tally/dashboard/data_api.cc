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

std::string NewStartJson(const SiteData& s) {
  const auto& ns = s.report.new_start;
  ordered_json limits = ordered_json::array();
  if (!s.replay.empty()) {
    for (const auto& l : s.replay.front().limits) {
      limits.push_back({{"id", l.id}, {"name", l.name}, {"max", l.max}});
    }
  }
  ordered_json rows = ordered_json::array();
  for (const auto& r : s.replay) {
    ordered_json counted = ordered_json::object(), margin = ordered_json::object();
    for (const auto& l : r.limits) {
      counted[l.id] = Opt(l.counted);
      margin[l.id] = Opt(l.margin);
    }
    rows.push_back({{"party", r.party},
                    {"as_of", r.as_of.ToString()},
                    {"verdict", r.verdict},
                    {"source", r.source},
                    {"counted", counted},
                    {"margin", margin}});
  }
  return ordered_json{{"treaty", ns.treaty_name},
                      {"status", ns.status},
                      {"status_reason", ns.status_reason},
                      {"limits", limits},
                      {"exchanges", rows}}
      .dump();
}

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

std::string NewStartCsv(const SiteData& s) {
  std::string out = "party,as_of,verdict";
  if (!s.replay.empty()) {
    for (const auto& l : s.replay.front().limits) out += "," + l.id + "," + l.id + "_margin";
  }
  out += "\n";
  for (const auto& r : s.replay) {
    out += r.party + "," + r.as_of.ToString() + "," + r.verdict;
    for (const auto& l : r.limits) out += "," + OptNum(l.counted) + "," + OptNum(l.margin);
    out += "\n";
  }
  return out;
}

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

}  // namespace tally::dashboard
