#include "tally/estimate/embedded_evidence.h"

#include "tally/data/embedded.h"
#include "tally/estimate/evidence.h"
#include "tally/estimate/registry_evidence.h"
#include "tally/registry/registry.h"

namespace tally::estimate {

Result<std::vector<Observation>> NewStartEvidence() {
  constexpr const char* kPath = "new_start/aggregates.csv";
  const auto text = data::EmbeddedFile(kPath);
  if (!text) return Internal(std::string("embedded data lacks ") + kPath);
  return ParseNewStartAggregates(*text, kPath);
}

Result<std::vector<Observation>> EmbeddedEvidence(std::span<const model::Figure> figures) {
  std::vector<Observation> out = ObservationsFromFigures(figures);
  TALLY_ASSIGN_OR_RETURN(auto declared, NewStartEvidence());
  out.insert(out.end(), declared.begin(), declared.end());
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
