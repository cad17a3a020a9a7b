// tally._core: the C++ library seen from Python. Plain values cross the boundary — dicts, lists,
// NumPy arrays — and tally/__init__.py turns them into pandas DataFrames. Errors raise ValueError
// (bad input) or RuntimeError (anything else) with tally's message ("file:line: field ...").
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "tally/base/file.h"
#include "tally/ceilings/treaty_ceilings.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/data/embedded.h"
#include "tally/estimate/calibration.h"
#include "tally/estimate/embedded_evidence.h"
#include "tally/estimate/estimator.h"
#include "tally/estimate/evidence.h"
#include "tally/estimate/registry_evidence.h"
#include "tally/model/figure.h"
#include "tally/model/posture.h"
#include "tally/model/state.h"
#include "tally/registry/registry.h"
#include "tally/scenario/projection.h"
#include "tally/scenario/scenario.h"
#include "tally/scenario/upload.h"
#include "tally/treaty/check.h"
#include "tally/treaty/treaty_set.h"

namespace py = pybind11;

namespace {

template <typename T>
T Unwrap(tally::Result<T> r) {
  if (!r) {
    if (r.error().code() == tally::StatusCode::kInvalidArgument ||
        r.error().code() == tally::StatusCode::kNotFound) {
      throw py::value_error(r.error().message());
    }
    throw std::runtime_error(r.error().message());
  }
  return std::move(*r);
}

void Check(const tally::Status& s) {
  if (!s.ok()) Unwrap(tally::Result<int>(s));
}

py::array_t<double> Array(const std::vector<double>& v) {
  py::array_t<double> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

std::string Embedded(const std::string& path) {
  auto t = tally::data::EmbeddedFile(path);
  if (!t) throw std::runtime_error("embedded data lacks " + path);
  return std::string(*t);
}

std::vector<tally::estimate::Observation> Evidence(bool defaults,
                                                   const std::vector<std::string>& files) {
  using tally::estimate::Observation;
  std::vector<Observation> out;
  if (defaults) {
    out = Unwrap(tally::estimate::EmbeddedEvidence());
  }
  for (const auto& path : files) {
    auto text = Unwrap(tally::ReadFile(path));
    auto obs = Unwrap(tally::estimate::ParseEvidenceCsv(text, path));
    out.insert(out.end(), obs.begin(), obs.end());
  }
  return out;
}

tally::Date ParseDate(const std::string& text) { return Unwrap(tally::Date::ParseLoose(text)); }

py::dict Figures() {
  auto registry = Unwrap(tally::registry::Registry::LoadEmbedded());
  auto figures = Unwrap(registry.Select({}));
  py::list dataset, state, category, as_of, confidence, source;
  std::vector<double> value, low, high;
  for (const auto& f : figures) {
    dataset.append(f.dataset);
    state.append(f.state);
    category.append(std::string(tally::model::CategoryName(f.category)));
    as_of.append(f.as_of.ToString());
    confidence.append(std::string(tally::model::ConfidenceName(f.confidence)));
    source.append(f.source);
    value.push_back(static_cast<double>(f.value));
    low.push_back(f.low ? static_cast<double>(*f.low) : std::nan(""));
    high.push_back(f.high ? static_cast<double>(*f.high) : std::nan(""));
  }
  py::dict d;
  d["dataset"] = dataset;
  d["state"] = state;
  d["category"] = category;
  d["as_of"] = as_of;
  d["value"] = Array(value);
  d["low"] = Array(low);
  d["high"] = Array(high);
  d["confidence"] = confidence;
  d["source"] = source;
  return d;
}

py::dict Estimate(const std::string& state, const std::string& category, const std::string& start,
                  const std::string& end, const std::string& step, const std::string& method,
                  uint64_t seed, int particles, const std::vector<std::string>& evidence_files,
                  bool defaults) {
  namespace est = tally::estimate;
  est::EstimateOptions opt;
  auto st = est::ParseStep(step);
  auto m = est::ParseMethod(method);
  if (!st) throw py::value_error("step: expected day, month or year, got " + step);
  if (!m) throw py::value_error("method: expected auto, kalman or particle, got " + method);
  opt.grid = {ParseDate(start), ParseDate(end), *st};
  opt.method = *m;
  opt.seed = seed;
  opt.particles = particles;
  opt.trajectories = std::max(50, std::min(300, particles / 5));
  const auto info = tally::model::FindState(state);
  if (!info) throw py::value_error("state: unknown " + state);
  const auto evidence = Evidence(defaults, evidence_files);
  auto e = Unwrap(est::EstimateSeries(info->code, category, evidence, opt));
  py::list dates;
  std::vector<double> median, p05, p25, p75, p95, mean, sd;
  for (const auto& p : e.points) {
    dates.append(p.date.ToString());
    median.push_back(p.median);
    p05.push_back(p.p05);
    p25.push_back(p.p25);
    p75.push_back(p.p75);
    p95.push_back(p.p95);
    mean.push_back(p.mean);
    sd.push_back(p.sd);
  }
  py::list sources;
  for (const auto& u : e.sources) {
    py::dict s;
    s["date"] = u.observation.date.ToString();
    s["value"] = u.observation.value;
    s["relation"] = std::string(est::RelationName(u.observation.relation));
    s["kind"] = std::string(est::SourceKindName(u.observation.kind));
    s["source"] = u.observation.source;
    s["where"] = u.observation.where;
    s["used"] = u.used;
    s["reason"] = u.reason;
    sources.append(s);
  }
  py::dict d;
  d["state"] = e.state;
  d["category"] = e.category;
  d["method"] = std::string(est::MethodName(e.method));
  d["last_declared"] =
      e.last_declared ? py::object(py::str(e.last_declared->ToString())) : py::none();
  d["date"] = dates;
  d["median"] = Array(median);
  d["p05"] = Array(p05);
  d["p25"] = Array(p25);
  d["p75"] = Array(p75);
  d["p95"] = Array(p95);
  d["mean"] = Array(mean);
  d["sd"] = Array(sd);
  d["sources"] = sources;
  return d;
}

py::list Calibrate(int k) {
  auto declared = Unwrap(tally::estimate::NewStartEvidence());
  auto report = Unwrap(tally::estimate::Calibrate(declared, k));
  py::list rows;
  for (const auto& r : report.rows) {
    py::dict d;
    d["k"] = r.k;
    d["withheld"] = r.withheld;
    d["in50"] = r.in50;
    d["in90"] = r.in90;
    rows.append(d);
  }
  return rows;
}

py::list Upload(const std::string& state, const std::string& case_id) {
  auto fs = Unwrap(tally::scenario::ParseForceStructure(
      Embedded("structure/systems.csv"), "structure/systems.csv", Embedded("structure/pools.csv"),
      "structure/pools.csv"));
  py::list out;
  std::vector<std::string> states = {"US", "RU"};
  if (!state.empty()) {
    const auto info = tally::model::FindState(state);
    if (!info) throw py::value_error("state: unknown " + state);
    states = {std::string(info->code)};
  }
  for (const auto& s : states) {
    auto cases =
        case_id.empty() ? tally::scenario::UploadCases(fs, s) : std::vector<std::string>{case_id};
    for (const auto& c : cases) {
      auto r = Unwrap(tally::scenario::ComputeUpload(fs, s, c));
      for (const auto& u : r.systems) {
        py::dict d;
        d["state"] = r.state;
        d["case"] = r.case_id;
        d["system"] = u.system->system;
        d["leg"] = u.system->leg;
        d["warheads_loaded"] = u.system->loaded;
        d["capacity"] = u.system->capacity;
        d["added"] = u.added;
        d["limited_by"] = u.limited_by;
        d["months_to_full"] = u.months_to_full;
        d["source"] = u.system->source;
        out.append(d);
      }
    }
  }
  return out;
}

py::dict Project(const std::string& text, const std::string& name, bool ensemble, int members,
                 int64_t seed, int threads) {
  auto sc = Unwrap(tally::scenario::ParseScenario(text, name));
  auto treaties = Unwrap(tally::treaty::LoadDefaultTreaties());
  for (const auto& id : sc.treaties) {
    const auto* t = Unwrap(treaties.Get(id));
    for (auto& line : tally::ceilings::TreatyCeilings(*t)) sc.limits.push_back(std::move(line));
  }
  const int n = ensemble ? (members > 0 ? members : sc.members) : 1;
  const uint64_t s = seed >= 0 ? static_cast<uint64_t>(seed) : sc.seed;
  tally::scenario::Projection p;
  {
    py::gil_scoped_release release;
    auto r = tally::scenario::Project(sc, n, s, threads);
    if (!r) {
      py::gil_scoped_acquire acquire;
      Unwrap(std::move(r));
    }
    p = std::move(*r);
  }
  py::dict d;
  d["name"] = sc.name;
  d["sha256"] = tally::crypto::HexEncode(tally::crypto::Sha256Of(std::string_view(text)));
  d["members"] = n;
  d["seed"] = s;
  py::list dates;
  for (const auto& x : p.dates) dates.append(x.ToString());
  d["date"] = dates;
  py::dict series;
  for (size_t i = 0; i < sc.series.size(); ++i) {
    py::dict b;
    b["central"] = Array(p.bands[i].central);
    if (ensemble) {
      b["p05"] = Array(p.bands[i].p05);
      b["p25"] = Array(p.bands[i].p25);
      b["p50"] = Array(p.bands[i].p50);
      b["p75"] = Array(p.bands[i].p75);
      b["p95"] = Array(p.bands[i].p95);
    }
    series[py::str(sc.series[i].id)] = b;
  }
  d["series"] = series;
  py::list limits;
  for (const auto& c : p.checks) {
    py::dict l;
    l["limit"] = sc.limits[c.limit].id;
    l["series"] = sc.series[c.series].id;
    l["max"] = sc.limits[c.limit].max;
    l["central_first_over"] =
        c.central_first_over ? py::object(py::str(c.central_first_over->ToString())) : py::none();
    l["max_share_over"] = ensemble ? py::object(py::float_(c.max_share_over)) : py::none();
    limits.append(l);
  }
  d["limits"] = limits;
  return d;
}

py::dict CheckPosture(const std::string& treaty_id, const std::string& party,
                      const std::string& date, const std::map<std::string, int64_t>& counts) {
  auto treaties = Unwrap(tally::treaty::LoadDefaultTreaties());
  const auto* t = Unwrap(treaties.Get(treaty_id));
  const auto info = tally::model::FindState(party);
  if (!info) throw py::value_error("party: unknown " + party);
  tally::model::Posture posture;
  posture.party = std::string(info->code);
  posture.as_of = ParseDate(date);
  posture.source = "python";
  for (const auto& [q, v] : counts) posture.Set(q, v);
  const auto r = tally::treaty::Check(*t, posture);
  py::dict d;
  d["treaty"] = r.treaty_id;
  d["party"] = r.party;
  d["date"] = r.date.ToString();
  d["verdict"] = std::string(tally::treaty::VerdictName(r.verdict));
  d["reason"] = r.reason;
  py::list limits;
  for (const auto& l : r.limits) {
    py::dict x;
    x["limit"] = l.limit->id;
    x["max"] = l.max;
    x["counted"] = l.counted ? py::object(py::int_(*l.counted)) : py::none();
    x["ok"] = l.ok ? py::object(py::bool_(*l.ok)) : py::none();
    x["effective"] = l.effective;
    limits.append(x);
  }
  d["limits"] = limits;
  return d;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "tally: open, verifiable accounting of nuclear arsenals (C++ core)";
  m.def("figures", &Figures, "Every figure of the embedded datasets, as columns");
  m.def("estimate", &Estimate, py::arg("state"), py::arg("category") = "military_stockpile",
        py::arg("start") = "2000-01-01", py::arg("end") = "2030-01-01", py::arg("step") = "year",
        py::arg("method") = "auto", py::arg("seed") = 1, py::arg("particles") = 1000,
        py::arg("evidence_files") = std::vector<std::string>{}, py::arg("defaults") = true);
  m.def("calibrate", &Calibrate, py::arg("k") = 6);
  m.def("upload", &Upload, py::arg("state") = "", py::arg("case") = "");
  m.def("project", &Project, py::arg("text"), py::arg("name"), py::arg("ensemble") = true,
        py::arg("members") = 0, py::arg("seed") = -1, py::arg("threads") = 2);
  m.def("check", &CheckPosture, py::arg("treaty"), py::arg("party"), py::arg("date"),
        py::arg("counts"));
  m.def("shipped_scenario", &Embedded,
        "The text of an embedded data file, e.g. "
        "'scenarios/china-buildup.toml'");
}
