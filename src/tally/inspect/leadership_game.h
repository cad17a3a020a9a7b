// The inspector-leadership game (Avenhaus & Canty, Compliance Quantified, ch. 9).
//
// The inspected party chooses to comply or to violate; the inspector runs a test whose false-alarm
// probability alpha it may choose, and detects a violation with probability P_d(alpha).
// Payoffs (all costs and gains positive numbers):
//   inspected party: comply & no alarm 0, comply & false alarm -h, violate & undetected +d,
//                    violate & detected -b;
//   inspector:       comply & no alarm 0, comply & false alarm -e, violate & detected -a,
//                    violate & undetected -c, with 0 < a < c.
// The inspected party complies against alpha iff  d - (d + b) P_d(alpha) <= -h alpha.
//
// Leadership: the inspector announces alpha and commits to it; the inspected party best-responds.
// The optimal announcement is the smallest alpha that makes compliance a best response (ties go
// to compliance), and then the party complies. In the simultaneous game the inspector plays the
// same alpha but the party violates with a positive probability q* (which keeps the inspector
// indifferent); announcing the strategy removes that violation at no cost: the book's central
// result, reproduced here with numbers.
//
// Two detection models:
//  - variables sampling: a one-sided test of a mean shift of `effect` standard deviations,
//    P_d(alpha) = Phi(effect - Phi^-1(1 - alpha)) (Neyman-Pearson);
//  - attribute sampling (alpha = 0, h unused): P_d from the hypergeometric with N items, r
//  defective
//    and n sampled; the inspector's choice is n at `cost_per_item` each, and the leadership answer
//    is the smallest n with P_d(n) >= d / (d + b).
#ifndef TALLY_INSPECT_LEADERSHIP_GAME_H_
#define TALLY_INSPECT_LEADERSHIP_GAME_H_

#include <cstdint>

#include "tally/base/result.h"

namespace tally::inspect {

struct GamePayoffs {
  double gain = 0;                        // d
  double sanction = 0;                    // b
  double false_alarm_cost = 0;            // h, borne by the complying party
  double inspector_false_alarm_cost = 1;  // e
  double inspector_detected_loss = 1;     // a
  double inspector_undetected_loss = 10;  // c
};

struct VariablesGameResult {
  bool deterrable = false;  // some alpha < 1 makes compliance a best response
  double alpha = 0;         // the announced (and the equilibrium) false-alarm probability
  double p_detect = 0;      // P_d(alpha)
  double inspector_payoff_leadership = 0;         // -e alpha (the party complies)
  double violation_probability_simultaneous = 0;  // q* in the simultaneous game
  double inspector_payoff_simultaneous = 0;
};

// `effect` > 0: the violation's size in measurement standard deviations.
Result<VariablesGameResult> SolveVariablesGame(const GamePayoffs& p, double effect);

struct AttributeGameResult {
  bool deterrable = false;  // even n = N may not deter when d/(d+b) > P_d(N)... (never: P_d(N)=1)
  double required_detection = 0;  // d / (d + b)
  uint64_t sample = 0;            // smallest n with P_d(n) >= required_detection
  double p_detect = 0;
  double inspection_cost = 0;  // n * cost_per_item
  // Without announcement (simultaneous game, inspector inspects n items with probability s):
  double violation_probability_simultaneous = 0;
};

Result<AttributeGameResult> SolveAttributeGame(const GamePayoffs& p, uint64_t items,
                                               uint64_t cheats, double cost_per_item);

}  // namespace tally::inspect

#endif  // TALLY_INSPECT_LEADERSHIP_GAME_H_
