#include "tally/ceilings/treaty_ceilings.h"

#include <optional>
#include <utility>

namespace tally::ceilings {

std::vector<scenario::LimitLine> TreatyCeilings(const treaty::Treaty& t) {
  std::vector<scenario::LimitLine> out;
  for (const auto& l : t.limits) {
    if (l.prohibition) continue;
    for (const auto& party : t.parties) {
      const auto max = l.MaxFor(party);
      if (!max) continue;
      scenario::LimitLine line;
      line.id = t.id + "/" + l.id;
      line.name = t.name + ": " + (l.name.empty() ? l.id : l.name);
      line.quantity = l.quantity;
      line.parties = {party};
      line.max = static_cast<double>(*max);
      line.from = l.effective ? l.effective : t.LimitsEffective();
      if (!line.from) line.from = t.dates.signed_on;
      std::optional<Date> until = l.until;
      if (t.dates.entry_into_force) {
        auto earlier = [&](std::optional<Date> d) {
          if (d && (!until || *d < *until)) until = d;
        };
        earlier(t.dates.ended);
        if (const auto* pd = t.DatesFor(party)) earlier(pd->withdrawn);
      }
      line.until = until;
      line.source = t.file.empty() ? "treaty " + t.id : t.file;
      out.push_back(std::move(line));
    }
  }
  return out;
}

}  // namespace tally::ceilings
