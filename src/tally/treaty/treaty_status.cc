#include "tally/treaty/treaty_status.h"

namespace tally::treaty {

std::string_view TreatyStateName(TreatyState state) {
  switch (state) {
    case TreatyState::kNotYetSigned:
      return "not_yet_signed";
    case TreatyState::kSignedNotInForce:
      return "signed_not_in_force";
    case TreatyState::kNeverInForce:
      return "never_in_force";
    case TreatyState::kLimitsNotYetEffective:
      return "limits_not_yet_effective";
    case TreatyState::kInForce:
      return "in_force";
    case TreatyState::kEnded:
      return "ended";
    case TreatyState::kNotAParty:
      return "not_a_party";
  }
  return "unknown";
}

namespace {

// The shared logic; party dates (may be null) override the treaty's.
TreatyStatus Evaluate(const Treaty& t, Date date, const PartyDates* pd) {
  Date signed_on = pd && pd->signed_on ? *pd->signed_on : t.dates.signed_on;
  std::optional<Date> eif = t.dates.entry_into_force;
  if (pd && pd->entry_into_force) eif = pd->entry_into_force;
  std::optional<Date> ended = t.dates.ended;
  std::string end_reason = t.dates.end_reason.empty() ? "ended" : t.dates.end_reason;
  if (pd && pd->withdrawn && (!ended || *pd->withdrawn < *ended)) {
    ended = pd->withdrawn;
    end_reason = "withdrawal of " + pd->party;
  }

  if (date < signed_on) {
    return {TreatyState::kNotYetSigned, "not signed until " + signed_on.ToString()};
  }
  if (!eif) {
    std::string why = "signed " + signed_on.ToString() + ", never entered into force";
    if (!t.dates.end_reason.empty()) why += " (" + t.dates.end_reason + ")";
    return {TreatyState::kNeverInForce, why};
  }
  if (date < *eif) {
    return {TreatyState::kSignedNotInForce, "enters into force on " + eif->ToString()};
  }
  if (ended && date >= *ended) {
    return {TreatyState::kEnded,
            "no longer in force from " + ended->ToString() + " (" + end_reason + ")"};
  }
  std::optional<Date> limits = t.dates.limits_effective;
  if (limits && date < *limits) {
    return {TreatyState::kLimitsNotYetEffective,
            "in force since " + eif->ToString() + "; limits apply from " + limits->ToString()};
  }
  std::string why = "in force since " + eif->ToString();
  if (ended) why += " until " + ended->AddDays(-1).ToString();
  // A purported suspension does not end the obligations; it explains missing data.
  if (pd && pd->suspended && date >= *pd->suspended) {
    why += "; " + pd->party + " announced a suspension on " + pd->suspended->ToString();
  }
  return {TreatyState::kInForce, why};
}

}  // namespace

TreatyStatus StatusAt(const Treaty& treaty, Date date) { return Evaluate(treaty, date, nullptr); }

TreatyStatus StatusAt(const Treaty& treaty, Date date, std::string_view party) {
  if (!treaty.HasParty(party)) {
    return {TreatyState::kNotAParty, std::string(party) + " is not a party to " + treaty.name};
  }
  return Evaluate(treaty, date, treaty.DatesFor(party));
}

}  // namespace tally::treaty
