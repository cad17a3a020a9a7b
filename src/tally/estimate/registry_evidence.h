// Registry figures as estimate evidence: every figure of a sourced dataset (FAS, SIPRI, the FAS
// 1945–2025 series, the 2026 article) becomes an independent-estimate observation of its state and
// category. A figure's low/high, when given, sets its error (as a 90 % interval); figures flagged
// recalled or unconfirmed get a wider default error (10 % instead of 5 %); "World" rows are not
// a state and are skipped.
//
// Thread safety: pure function.
#ifndef TALLY_ESTIMATE_REGISTRY_EVIDENCE_H_
#define TALLY_ESTIMATE_REGISTRY_EVIDENCE_H_

#include <span>
#include <vector>

#include "tally/estimate/observation.h"
#include "tally/model/figure.h"

namespace tally::estimate {

std::vector<Observation> ObservationsFromFigures(std::span<const model::Figure> figures);

}  // namespace tally::estimate

#endif  // TALLY_ESTIMATE_REGISTRY_EVIDENCE_H_
