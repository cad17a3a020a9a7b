// TreatyStatus: where a treaty stands at a date, for the treaty as a whole or for one party.
//
// The states, in the order of a treaty's life: signed but not (yet) in force; in force with the
// limits not yet effective (New START 2011-02-05 .. 2018-02-04); in force; ended (expiry,
// withdrawal, supersession). A treaty that never entered into force is kNeverInForce at every
// date after signature. For a party, kNotAParty when it is not among the parties, and a party's
// own withdrawal ends the treaty for it.
//
// Pure functions of the treaty and the date. Thread safety: safe.
#ifndef TALLY_TREATY_TREATY_STATUS_H_
#define TALLY_TREATY_TREATY_STATUS_H_

#include <string>
#include <string_view>

#include "tally/base/date.h"
#include "tally/treaty/treaty.h"

namespace tally::treaty {

enum class TreatyState {
  kNotYetSigned,           // the date is before signature
  kSignedNotInForce,       // signed, entry into force still ahead (as of that date)
  kNeverInForce,           // signed, never entered into force (as known today)
  kLimitsNotYetEffective,  // in force, limits apply later
  kInForce,                // in force, limits apply
  kEnded,                  // expired, withdrawn from, superseded
  kNotAParty,              // the party asked about is not a party
};

// "not_yet_signed", "signed_not_in_force", "never_in_force", "limits_not_yet_effective",
// "in_force", "ended", "not_a_party".
std::string_view TreatyStateName(TreatyState state);

struct TreatyStatus {
  TreatyState state = TreatyState::kNotYetSigned;
  std::string reason;  // one sentence, e.g. "expired on 2026-02-05"

  bool in_force() const {
    return state == TreatyState::kInForce || state == TreatyState::kLimitsNotYetEffective;
  }
};

// Status of the treaty as a whole at `date`.
TreatyStatus StatusAt(const Treaty& treaty, Date date);
// Status for one party (a state code) at `date`: also kNotAParty and the party's own dates.
TreatyStatus StatusAt(const Treaty& treaty, Date date, std::string_view party);

}  // namespace tally::treaty

#endif  // TALLY_TREATY_TREATY_STATUS_H_
