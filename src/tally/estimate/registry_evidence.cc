#include "tally/estimate/registry_evidence.h"

#include <algorithm>

namespace tally::estimate {

std::vector<Observation> ObservationsFromFigures(std::span<const model::Figure> figures) {
  std::vector<Observation> out;
  for (const auto& f : figures) {
    if (f.state == model::kWorld) continue;
    Observation o;
    o.state = f.state;
    o.category = std::string(model::CategoryName(f.category));
    o.date = f.as_of;
    o.kind = SourceKind::kIndependent;
    o.relation = Relation::kEqual;
    o.value = static_cast<double>(f.value);
    if (f.low) o.low = static_cast<double>(*f.low);
    if (f.high) o.high = static_cast<double>(*f.high);
    // A one-sided interval at the value itself is a bound ("fewer than 1,550").
    if (f.high && *f.high == f.value && !f.low) o.relation = Relation::kAtMost;
    if (f.low && *f.low == f.value && !f.high) o.relation = Relation::kAtLeast;
    // The 2026 article's "fewer than 1,550 (active) warheads" is New START's limit as counted
    // under the treaty (the row's note): it is a statement about the New START count.
    if (f.dataset == "article-2026-02-05" && f.category == model::Category::kDeployedStrategic) {
      o.category = "new_start_warheads";
    }
    // NNSA's stockpile figures are the state's own declassified count.
    if (f.dataset == "nnsa-us-stockpile") o.kind = SourceKind::kDeclared;
    const bool weak = f.confidence == model::Confidence::kRecalled ||
                      f.confidence == model::Confidence::kUnconfirmed;
    if (weak && !(f.low && f.high)) o.sd = std::max(5.0, 0.10 * o.value);
    o.source = f.dataset + (f.dataset_version > 0 ? "@" + std::to_string(f.dataset_version) : "") +
               ": " + f.source;
    o.where = "dataset " + f.dataset + (f.line > 0 ? ":" + std::to_string(f.line) : "");
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace tally::estimate
