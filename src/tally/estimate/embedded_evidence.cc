#include "tally/estimate/embedded_evidence.h"

#include "tally/data/embedded.h"
#include "tally/estimate/evidence.h"
#include "tally/estimate/registry_evidence.h"
#include "tally/registry/registry.h"
#include "tally/treaty/by_type_file.h"

namespace tally::estimate {

Result<std::vector<Observation>> NewStartEvidence() {
  constexpr const char* kPath = "new_start/aggregates.csv";
  const auto text = data::EmbeddedFile(kPath);
  if (!text) return Internal(std::string("embedded data lacks ") + kPath);
  return ParseNewStartAggregates(*text, kPath);
}

Result<std::vector<Observation>> NewStartByTypeEvidence() {
  TALLY_ASSIGN_OR_RETURN(treaty::ByTypeTable table, treaty::NewStartByType());
  constexpr std::string_view kCategory[] = {"new_start_deployed_icbms", "new_start_deployed_slbms",
                                            "new_start_deployed_heavy_bombers"};
  std::vector<Observation> out;
  for (const treaty::ByTypeSums& sums : treaty::SumByType(table)) {
    for (size_t c = 0; c < sums.deployed.size(); ++c) {
      const auto& d = sums.deployed[c];
      if (!d.count) continue;
      Observation o;
      o.state = sums.posture.party;
      o.category = std::string(kCategory[c]);
      o.date = sums.posture.as_of;
      o.kind = SourceKind::kDeclared;
      o.value = static_cast<double>(*d.count);
      o.source = d.from->source;
      o.where = d.from->where;
      out.push_back(std::move(o));
    }
  }
  return out;
}

Result<std::vector<Observation>> EmbeddedEvidence(std::span<const model::Figure> figures) {
  std::vector<Observation> out = ObservationsFromFigures(figures);
  TALLY_ASSIGN_OR_RETURN(auto declared, NewStartEvidence());
  out.insert(out.end(), declared.begin(), declared.end());
  TALLY_ASSIGN_OR_RETURN(auto by_type, NewStartByTypeEvidence());
  out.insert(out.end(), by_type.begin(), by_type.end());
  for (const auto& f : data::EmbeddedFilesUnder("evidence/")) {
    if (!f.path.ends_with(".csv")) continue;
    TALLY_ASSIGN_OR_RETURN(auto obs, ParseEvidenceCsv(f.content, std::string(f.path)));
    out.insert(out.end(), obs.begin(), obs.end());
  }
  return out;
}

Result<std::vector<Observation>> EmbeddedEvidence() {
  auto registry = registry::Registry::LoadEmbedded();
  if (!registry) return registry.error();
  TALLY_ASSIGN_OR_RETURN(auto figures, registry->Select({}));
  return EmbeddedEvidence(figures);
}

}  // namespace tally::estimate
