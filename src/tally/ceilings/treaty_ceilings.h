// TreatyCeilings: a treaty's limits as dated ceilings (scenario::LimitLine), one per limit and
// party, for `tally project`, `tally upload`, the dashboard's Confidence page and Python's
// project() alike.
//
// A ceiling applies from the limit's own date, else the treaty's limits-effective date, else its
// entry into force; a treaty that never entered into force is compared as a reference level from
// its signature. It stops at the limit's `until`, and for a treaty in force at its end or the
// party's withdrawal. Prohibitions (a ban, not a level) and parties a limit does not bind are
// left out.
//
// Thread safety: pure function.
#ifndef TALLY_CEILINGS_TREATY_CEILINGS_H_
#define TALLY_CEILINGS_TREATY_CEILINGS_H_

#include <vector>

#include "tally/scenario/scenario.h"
#include "tally/treaty/treaty.h"

namespace tally::ceilings {

std::vector<scenario::LimitLine> TreatyCeilings(const treaty::Treaty& treaty);

}  // namespace tally::ceilings

#endif  // TALLY_CEILINGS_TREATY_CEILINGS_H_
