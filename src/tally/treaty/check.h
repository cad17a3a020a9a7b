// Check: a posture (counted quantities of one party at one date) against a treaty's limits.
//
// The result gives, per limit, the counted value, the ceiling, the margin (ceiling - counted;
// negative means over the limit) and ok, and one verdict for the whole:
//   compliant                 every effective limit holds
//   violation                 an effective limit is exceeded
//   limits_not_yet_effective  in force, but before the limits' date: margins shown, never a
//                             violation
//   not_in_force              before entry into force, after expiry/withdrawal, never ratified
//   not_a_party               the posture's party is not a party to the treaty
//   no_data                   the party provided no data (or a limited quantity is missing):
//                             missing is never zero
// A violation outranks missing data: an exceeded limit is a violation even if another count is
// missing. Interpretations change item counting (counting.h), not declared aggregates.
//
// Check never fails: every posture has a verdict. CheckResult points into the treaty (limit)
// and must not outlive it. Thread safety: pure; safe to call concurrently.
#ifndef TALLY_TREATY_CHECK_H_
#define TALLY_TREATY_CHECK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/model/posture.h"
#include "tally/treaty/treaty.h"
#include "tally/treaty/treaty_status.h"

namespace tally::treaty {

enum class Verdict {
  kCompliant,
  kViolation,
  kLimitsNotYetEffective,
  kNotInForce,
  kNotAParty,
  kNoData,
};

// "compliant", "violation", "limits_not_yet_effective", "not_in_force", "not_a_party", "no_data".
std::string_view VerdictName(Verdict verdict);
// The CLI exit code of a verdict: 1 for a violation, 0 otherwise.
int VerdictExitCode(Verdict verdict);

struct LimitResult {
  const Limit* limit = nullptr;    // points into the treaty
  int64_t max = 0;                 // the ceiling for this party
  std::optional<int64_t> counted;  // nullopt: not provided
  std::optional<int64_t> margin;   // max - counted
  std::optional<bool> ok;          // counted <= max; nullopt without a count
  bool effective = false;          // the limit applies at the date
};

struct CheckResult {
  std::string treaty_id;
  std::string party;
  Date date;
  Verdict verdict = Verdict::kNoData;
  TreatyStatus treaty_status;  // the treaty's status for this party at the date
  std::string reason;          // one sentence explaining the verdict
  std::string source;          // the posture's source
  std::vector<LimitResult> limits;
};

struct CheckOptions {
  // Evaluate at this date instead of the posture's own as_of date.
  std::optional<Date> date;
};

CheckResult Check(const Treaty& treaty, const model::Posture& posture,
                  const CheckOptions& options = {});

// Every posture, each at its own date (or options.date).
std::vector<CheckResult> CheckAll(const Treaty& treaty, const std::vector<model::Posture>& postures,
                                  const CheckOptions& options = {});

// The worst verdict of a batch, by exit-code severity: violation, then no_data, then the rest
// (the verdict of the last row otherwise). kNoData for an empty batch.
Verdict WorstVerdict(const std::vector<CheckResult>& results);

}  // namespace tally::treaty

#endif  // TALLY_TREATY_CHECK_H_
