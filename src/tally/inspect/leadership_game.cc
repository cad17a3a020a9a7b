#include "tally/inspect/leadership_game.h"

#include <cmath>
#include <string>

#include "tally/inspect/detection.h"
#include "tally/inspect/sample_size.h"
#include "tally/stats/summary.h"

namespace tally::inspect {
namespace {

Status ValidatePayoffs(const GamePayoffs& p) {
  if (!(p.gain > 0)) return InvalidArgument("gain: expected a positive number");
  if (!(p.sanction > 0)) return InvalidArgument("sanction: expected a positive number");
  if (p.false_alarm_cost < 0) return InvalidArgument("false_alarm_cost: expected >= 0");
  if (!(p.inspector_false_alarm_cost > 0)) {
    return InvalidArgument("inspector_false_alarm_cost: expected a positive number");
  }
  if (!(p.inspector_detected_loss > 0 && p.inspector_detected_loss < p.inspector_undetected_loss)) {
    return InvalidArgument(
        "inspector losses: expected 0 < detected_loss < undetected_loss (a detected violation "
        "costs the inspector less than an undetected one)");
  }
  return Status::Ok();
}

double NormalPdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI); }

}  // namespace

Result<VariablesGameResult> SolveVariablesGame(const GamePayoffs& p, double effect) {
  TALLY_RETURN_IF_ERROR(ValidatePayoffs(p));
  if (!(effect > 0) || !std::isfinite(effect)) {
    return InvalidArgument("effect: expected a positive number of standard deviations");
  }
  auto detect = [&](double alpha) {
    return stats::NormalCdf(effect - stats::NormalQuantile(1.0 - alpha));
  };
  // Compliance condition g(alpha) <= 0.
  auto g = [&](double alpha) {
    return p.gain - (p.gain + p.sanction) * detect(alpha) + p.false_alarm_cost * alpha;
  };
  VariablesGameResult r;
  double prev = 0.0;
  bool found = false;
  double hi = 0.0;
  for (int i = 0; i <= 4000; ++i) {  // log grid from 1e-12 to 1 - 1e-12
    const double alpha = i < 4000 ? std::pow(10.0, -12.0 + 12.0 * i / 4000.0) : 1.0 - 1e-12;
    if (g(alpha) <= 0) {
      hi = alpha;
      found = true;
      break;
    }
    prev = alpha;
  }
  if (!found) return r;  // no alpha deters: the sanction is too small against false alarms
  double lo = prev;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (g(mid) <= 0 ? hi : lo) = mid;
  }
  r.deterrable = true;
  r.alpha = hi;
  r.p_detect = detect(hi);
  r.inspector_payoff_leadership = -p.inspector_false_alarm_cost * hi;
  const double z = stats::NormalQuantile(1.0 - hi);
  const double slope = NormalPdf(effect - z) / NormalPdf(z);  // dP_d/dalpha
  const double e = p.inspector_false_alarm_cost;
  const double c_minus_a = p.inspector_undetected_loss - p.inspector_detected_loss;
  const double q = e / (e + c_minus_a * slope);
  r.violation_probability_simultaneous = q;
  r.inspector_payoff_simultaneous =
      -((1 - q) * e * hi + q * (p.inspector_detected_loss * r.p_detect +
                                p.inspector_undetected_loss * (1 - r.p_detect)));
  return r;
}

Result<AttributeGameResult> SolveAttributeGame(const GamePayoffs& p, uint64_t items,
                                               uint64_t cheats, double cost_per_item) {
  TALLY_RETURN_IF_ERROR(ValidatePayoffs(p));
  if (!(cost_per_item > 0)) return InvalidArgument("cost_per_item: expected a positive number");
  AttributeGameResult r;
  r.required_detection = p.gain / (p.gain + p.sanction);
  TALLY_ASSIGN_OR_RETURN(r.sample, SmallestSample(items, cheats, r.required_detection));
  TALLY_ASSIGN_OR_RETURN(r.p_detect, DetectionProbability({items, cheats, r.sample}));
  r.deterrable = true;
  r.inspection_cost = cost_per_item * static_cast<double>(r.sample);
  // Simultaneous game between "inspect n items" and "don't": the party violates with the q that
  // leaves the inspector indifferent, k n = q (c - a) P_d.
  const double c_minus_a = p.inspector_undetected_loss - p.inspector_detected_loss;
  r.violation_probability_simultaneous =
      r.p_detect > 0 ? std::min(1.0, r.inspection_cost / (c_minus_a * r.p_detect)) : 1.0;
  return r;
}

}  // namespace tally::inspect
