#include "tally/treaty/treaty.h"

#include <algorithm>

namespace tally::treaty {
namespace {

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

bool Selector::Matches(const model::Item& item) const {
  if (!kinds.empty() && !Contains(kinds, item.kind)) return false;
  if (!statuses.empty() && !Contains(statuses, item.status)) return false;
  if (equipment && item.equipment != *equipment) return false;
  if (!systems.empty() && !Contains(systems, item.system)) return false;
  for (const std::string& t : tags_all) {
    if (!item.HasTag(t)) return false;
  }
  for (const std::string& t : tags_none) {
    if (item.HasTag(t)) return false;
  }
  // A range rule cannot select an item whose range is not stated.
  if (range_min_km && (item.range_km == 0 || item.range_km < *range_min_km)) return false;
  if (range_max_km && (item.range_km == 0 || item.range_km > *range_max_km)) return false;
  return true;
}

bool Term::AppliesUnder(std::string_view interpretation) const {
  auto listed = [&](const std::vector<std::string>& ids) {
    return std::find(ids.begin(), ids.end(), interpretation) != ids.end();
  };
  if (!only_under.empty() && !listed(only_under)) return false;
  return !listed(not_under);
}

bool Quantity::IsNamed(std::string_view n) const {
  if (id == n) return true;
  return std::find(aliases.begin(), aliases.end(), n) != aliases.end();
}

std::optional<int64_t> Limit::MaxFor(std::string_view party) const {
  for (const PartyLimit& p : per_party) {
    if (p.party == party) return p.max;
  }
  return max;
}

bool Treaty::HasParty(std::string_view party) const {
  return std::find(parties.begin(), parties.end(), party) != parties.end();
}

const PartyDates* Treaty::DatesFor(std::string_view party) const {
  for (const PartyDates& d : party_dates) {
    if (d.party == party) return &d;
  }
  return nullptr;
}

const Quantity* Treaty::FindQuantity(std::string_view id_or_alias) const {
  for (const Quantity& q : quantities) {
    if (q.id == id_or_alias) return &q;
  }
  for (const Quantity& q : quantities) {
    if (q.IsNamed(id_or_alias)) return &q;
  }
  return nullptr;
}

const Interpretation* Treaty::FindInterpretation(std::string_view iid) const {
  for (const Interpretation& i : interpretations) {
    if (i.id == iid) return &i;
  }
  return nullptr;
}

const Interpretation* Treaty::DefaultInterpretation() const {
  for (const Interpretation& i : interpretations) {
    if (i.is_default) return &i;
  }
  return interpretations.empty() ? nullptr : &interpretations.front();
}

std::string_view OpeningTriggerName(OpeningTrigger t) {
  switch (t) {
    case OpeningTrigger::kEntryIntoForce:
      return "entry-into-force";
    case OpeningTrigger::kDataExchange:
      return "data-exchange";
    case OpeningTrigger::kInspection:
      return "inspection";
    case OpeningTrigger::kExpiry:
      return "expiry";
  }
  return "?";
}

std::string_view OpeningScopeName(OpeningScope s) {
  switch (s) {
    case OpeningScope::kCategories:
      return "categories";
    case OpeningScope::kSite:
      return "site";
    case OpeningScope::kDesignated:
      return "designated";
    case OpeningScope::kAll:
      return "all";
  }
  return "?";
}

const OpeningStage* OpeningPolicy::Find(std::string_view id) const {
  for (const OpeningStage& s : stages) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::optional<Date> Treaty::LimitsEffective() const {
  if (dates.limits_effective) return dates.limits_effective;
  return dates.entry_into_force;
}

}  // namespace tally::treaty
