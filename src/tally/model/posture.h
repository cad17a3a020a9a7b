// Posture: the counted quantities of one party at one date — what a treaty's limits are checked
// against. A posture comes either from aggregate counts a party declared (a posture file, a row of
// the New START aggregate table) or from an item-level inventory through a treaty's counting
// rules (treaty/counting.h).
//
// Quantities are named by the treaty's quantity ids ("deployed_warheads") or their aliases
// ("warheads_on_deployed"). A count that is missing is "not provided", never zero: a posture can
// hold a quantity with no value, and `provided == false` marks a whole row the party did not
// provide (Russia, 1 March 2023).
//
// Plain value, no I/O. Thread safety: values; concurrent reads are safe.
#ifndef TALLY_MODEL_POSTURE_H_
#define TALLY_MODEL_POSTURE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"

namespace tally::model {

struct Count {
  std::string quantity;          // a treaty quantity id or alias
  std::optional<int64_t> value;  // nullopt: not provided
};

struct Posture {
  std::string party;  // state code, e.g. "US"
  Date as_of;
  std::vector<Count> counts;
  bool provided = true;  // false: the party provided no data for this date
  std::string source;    // "file.csv:12", a dataset name, "inventory.csv (counted)"
  std::string note;

  // The count for `quantity`, or nullptr when the posture does not mention it.
  const Count* Find(std::string_view quantity) const;
  // Sets (or adds) a count.
  void Set(std::string_view quantity, std::optional<int64_t> value);
};

}  // namespace tally::model

#endif  // TALLY_MODEL_POSTURE_H_
