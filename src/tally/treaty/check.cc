#include "tally/treaty/check.h"

namespace tally::treaty {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kCompliant:
      return "compliant";
    case Verdict::kViolation:
      return "violation";
    case Verdict::kLimitsNotYetEffective:
      return "limits_not_yet_effective";
    case Verdict::kNotInForce:
      return "not_in_force";
    case Verdict::kNotAParty:
      return "not_a_party";
    case Verdict::kNoData:
      return "no_data";
  }
  return "unknown";
}

int VerdictExitCode(Verdict verdict) { return verdict == Verdict::kViolation ? 1 : 0; }

namespace {

std::optional<int64_t> CountFor(const Treaty& treaty, const Limit& limit,
                                const model::Posture& posture) {
  const Quantity* q = treaty.FindQuantity(limit.quantity);
  for (const model::Count& c : posture.counts) {
    if (c.quantity == limit.quantity || (q != nullptr && q->IsNamed(c.quantity))) return c.value;
  }
  return std::nullopt;
}

bool LimitEffectiveAt(const Treaty& treaty, const Limit& limit, Date date) {
  std::optional<Date> from = limit.effective ? limit.effective : treaty.LimitsEffective();
  if (!from || date < *from) return false;
  return !limit.until || date < *limit.until;
}

}  // namespace

CheckResult Check(const Treaty& treaty, const model::Posture& posture,
                  const CheckOptions& options) {
  CheckResult r;
  r.treaty_id = treaty.id;
  r.party = posture.party;
  r.date = options.date ? *options.date : posture.as_of;
  r.source = posture.source;
  r.treaty_status = StatusAt(treaty, r.date, posture.party);
  const TreatyState state = r.treaty_status.state;
  if (state == TreatyState::kNotAParty) {
    r.verdict = Verdict::kNotAParty;
    r.reason = r.treaty_status.reason;
    return r;
  }

  bool any_effective = false;
  bool any_pending = false;  // a limit that applies later
  bool violated = false;
  bool missing = false;
  r.limits.reserve(treaty.limits.size());
  for (const Limit& limit : treaty.limits) {
    std::optional<int64_t> max = limit.MaxFor(posture.party);
    if (!max) continue;  // this limit does not bind this party
    LimitResult lr;
    lr.limit = &limit;
    lr.max = *max;
    if (posture.provided) lr.counted = CountFor(treaty, limit, posture);
    if (lr.counted) {
      lr.margin = *max - *lr.counted;
      lr.ok = *lr.counted <= *max;
    }
    lr.effective = r.treaty_status.in_force() && LimitEffectiveAt(treaty, limit, r.date);
    if (lr.effective) {
      any_effective = true;
      if (!lr.counted) missing = true;
      if (lr.ok && !*lr.ok) violated = true;
    } else if (r.treaty_status.in_force()) {
      std::optional<Date> from = limit.effective ? limit.effective : treaty.LimitsEffective();
      if (from && r.date < *from) any_pending = true;
    }
    r.limits.push_back(lr);
  }

  if (!r.treaty_status.in_force()) {
    r.verdict = Verdict::kNotInForce;
    r.reason = r.treaty_status.reason;
  } else if (!posture.provided) {
    r.verdict = Verdict::kNoData;
    r.reason = posture.party + " provided no data for " + r.date.ToString();
  } else if (violated) {
    r.verdict = Verdict::kViolation;
    r.reason = "a limit in effect since " +
               (treaty.LimitsEffective() ? treaty.LimitsEffective()->ToString()
                                         : std::string("entry into force")) +
               " is exceeded";
  } else if (missing) {
    r.verdict = Verdict::kNoData;
    r.reason = "a count the treaty limits was not provided (missing is not zero)";
  } else if (!any_effective && (any_pending || state == TreatyState::kLimitsNotYetEffective)) {
    r.verdict = Verdict::kLimitsNotYetEffective;
    r.reason = r.treaty_status.reason;
  } else {
    r.verdict = Verdict::kCompliant;
    r.reason = any_effective ? "every limit in effect holds" : "no limit binds this party";
  }
  return r;
}

std::vector<CheckResult> CheckAll(const Treaty& treaty, const std::vector<model::Posture>& postures,
                                  const CheckOptions& options) {
  std::vector<CheckResult> out;
  out.reserve(postures.size());
  for (const model::Posture& p : postures) out.push_back(Check(treaty, p, options));
  return out;
}

Verdict WorstVerdict(const std::vector<CheckResult>& results) {
  if (results.empty()) return Verdict::kNoData;
  bool no_data = false;
  for (const CheckResult& r : results) {
    if (r.verdict == Verdict::kViolation) return Verdict::kViolation;
    if (r.verdict == Verdict::kNoData) no_data = true;
  }
  return no_data ? Verdict::kNoData : results.back().verdict;
}

}  // namespace tally::treaty
