// Registry figures as estimate evidence: every figure of a sourced dataset (FAS, SIPRI, the FAS
// 1945–2025 series, the 2026 article) becomes an independent-estimate observation of its state and
// category. A figure's low/high, when given, sets its error (as a 90 % interval); figures flagged
// recalled or unconfirmed get a wider default error (10 % instead of 5 %); "World" rows are not
// a state and are skipped. A figure keeps the quantity its dataset names, with two readings its
// own notes state: a one-sided interval at the value is a bound (high = value: "fewer than"), and
// the 2026 article's "fewer than 1,550 (active) warheads" is New START's counted limit, so it
// enters as new_start_warheads <= 1,550. NNSA's figures are the state's own (kind declared).
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
