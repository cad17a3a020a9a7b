#include "tally/dashboard/confidence_data.h"

#include "tally/ceilings/treaty_ceilings.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/data/embedded.h"
#include "tally/scenario/projection.h"
#include "tally/scenario/upload.h"

namespace tally::dashboard {
namespace {

// Limits on deployed strategic warheads, under each treaty's own name for the count (as
// `tally upload` selects them).
bool IsDeployedWarheadLimit(const std::string& quantity) {
  return quantity == "deployed_warheads" || quantity == "deployed_strategic_warheads" ||
         quantity == "operationally_deployed_warheads";
}

std::string DateText(const std::optional<Date>& d) { return d ? d->ToString() : ""; }

Result<std::string_view> Embedded(std::string_view path) {
  const auto t = data::EmbeddedFile(path);
  if (!t) return Internal("embedded data lacks " + std::string(path));
  return *t;
}

}  // namespace

Result<std::vector<UploadCase>> BuildUploads(const treaty::TreatySet& treaties,
                                             const std::vector<std::string>& treaty_ids) {
  TALLY_ASSIGN_OR_RETURN(auto systems, Embedded("structure/systems.csv"));
  TALLY_ASSIGN_OR_RETURN(auto pools, Embedded("structure/pools.csv"));
  TALLY_ASSIGN_OR_RETURN(auto fs, scenario::ParseForceStructure(systems, "structure/systems.csv",
                                                                pools, "structure/pools.csv"));
  std::vector<scenario::LimitLine> limits;
  for (const auto& id : treaty_ids) {
    TALLY_ASSIGN_OR_RETURN(const treaty::Treaty* t, treaties.Get(id));
    for (auto& l : ceilings::TreatyCeilings(*t)) {
      if (IsDeployedWarheadLimit(l.quantity)) limits.push_back(std::move(l));
    }
  }
  std::vector<UploadCase> out;
  for (const char* state : {"US", "RU"}) {
    for (const auto& c : scenario::UploadCases(fs, state)) {
      TALLY_ASSIGN_OR_RETURN(auto r, scenario::ComputeUpload(fs, state, c));
      UploadCase u;
      u.state = r.state;
      u.case_id = r.case_id;
      u.baseline = r.baseline;
      u.added = r.added;
      u.total = r.total;
      u.months_to_full = static_cast<int>(r.timeline.size()) - 1;
      for (const auto& su : r.systems) {
        const auto& s = *su.system;
        UploadSystemRow row;
        row.system = s.system;
        row.leg = s.leg;
        row.as_of = s.as_of;
        if (s.launchers >= 0) row.launchers = s.launchers;
        row.loaded = s.loaded;
        row.capacity = s.capacity;
        row.capacity_given = s.capacity_given;
        row.headroom = su.headroom;
        row.added = su.added;
        row.per_month = s.per_month;
        row.limited_by = su.limited_by;
        row.months_to_full = su.months_to_full;
        row.confidence = s.confidence;
        row.source = s.source;
        row.where = s.where;
        u.systems.push_back(std::move(row));
      }
      for (const auto& l : limits) {
        if (!l.parties.empty() && l.parties.front() != u.state) continue;
        u.limits.push_back({l.id, l.name, l.max, DateText(l.from), DateText(l.until)});
      }
      out.push_back(std::move(u));
    }
  }
  return out;
}

Result<std::vector<ScenarioProjection>> BuildProjections(const treaty::TreatySet& treaties,
                                                         int members, int threads) {
  std::vector<ScenarioProjection> out;
  for (const auto& f : data::EmbeddedFilesUnder("scenarios/")) {
    if (!f.path.ends_with(".toml")) continue;
    const std::string file(f.path);
    TALLY_ASSIGN_OR_RETURN(auto sc, scenario::ParseScenario(f.content, file));
    for (const auto& id : sc.treaties) {
      auto t = treaties.Get(id);
      if (!t) return NotFound(file + ": treaty '" + id + "': " + t.error().message());
      for (auto& l : ceilings::TreatyCeilings(**t)) sc.limits.push_back(std::move(l));
    }
    ScenarioProjection p;
    p.file = file;
    p.id = file.substr(10, file.size() - 10 - 5);
    p.name = sc.name;
    p.description = sc.description;
    p.sha256 = crypto::HexEncode(crypto::Sha256Of(f.content));
    p.step = sc.yearly ? "year" : "month";
    p.members = std::min(members, sc.members);
    p.seed = sc.seed;
    p.treaties = sc.treaties;
    TALLY_ASSIGN_OR_RETURN(auto proj, scenario::Project(sc, p.members, p.seed, threads));
    p.dates = proj.dates;
    for (size_t i = 0; i < sc.series.size(); ++i) {
      const auto& s = sc.series[i];
      const auto& b = proj.bands[i];
      p.series.push_back(
          {s.id, s.state, s.quantity, s.source, b.central, b.p05, b.p25, b.p50, b.p75, b.p95});
    }
    for (const auto& c : proj.checks) {
      const auto& l = sc.limits[c.limit];
      p.limits.push_back({l.id, l.name, sc.series[c.series].id, l.source, l.max, DateText(l.from),
                          DateText(l.until), DateText(c.central_first_over),
                          DateText(c.median_first_over), c.max_share_over});
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace tally::dashboard
