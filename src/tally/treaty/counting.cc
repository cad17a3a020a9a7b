#include "tally/treaty/counting.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "tally/base/text.h"

namespace tally::treaty {

Result<std::string> ResolveInterpretation(const Treaty& treaty, std::string_view requested) {
  if (requested.empty()) {
    const Interpretation* d = treaty.DefaultInterpretation();
    return d ? d->id : std::string();
  }
  if (treaty.FindInterpretation(requested)) return std::string(requested);
  std::string known;
  for (const Interpretation& i : treaty.interpretations) {
    known += known.empty() ? "" : ", ";
    known += i.id;
  }
  if (known.empty()) known = "none";
  return NotFound("treaty " + treaty.id + " has no interpretation " + QuoteText(requested) +
                  " (known: " + known + ")");
}

namespace {

// Sums saturate instead of overflowing: a hostile inventory may claim absurd capacities.
int64_t Add(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return b > 0 ? INT64_MAX : INT64_MIN;
  return out;
}

int64_t ValueOf(const Term& term, const model::Item& item) {
  switch (term.value) {
    case TermValue::kOne:
      return 1;
    case TermValue::kCapacity:
      return item.capacity;
    case TermValue::kFixed:
      return term.fixed;
  }
  return 0;
}

int64_t CountTerm(const Term& term, const std::vector<const model::Item*>& items,
                  std::string_view party) {
  const FirstItems* first = nullptr;
  for (const FirstItems& f : term.first) {
    if (f.party == party) first = &f;
  }
  if (first == nullptr) {
    int64_t sum = 0;
    for (const model::Item* item : items) {
      if (term.select.Matches(*item)) sum = Add(sum, ValueOf(term, *item));
    }
    return sum;
  }
  // Attribution by order: UID order makes "the first N" reproducible whatever the file order.
  std::vector<const model::Item*> selected;
  for (const model::Item* item : items) {
    if (term.select.Matches(*item)) selected.push_back(item);
  }
  std::sort(selected.begin(), selected.end(),
            [](const model::Item* a, const model::Item* b) { return a->uid < b->uid; });
  int64_t sum = 0;
  for (size_t i = 0; i < selected.size(); ++i) {
    sum = Add(sum,
              static_cast<int64_t>(i) < first->count ? first->each : ValueOf(term, *selected[i]));
  }
  return sum;
}

}  // namespace

Result<model::Posture> CountInventory(const Treaty& treaty, const model::Inventory& inventory,
                                      std::string_view party, std::string_view interpretation) {
  TALLY_RETURN_IF_ERROR(model::ValidateInventory(inventory));
  TALLY_ASSIGN_OR_RETURN(std::string interp, ResolveInterpretation(treaty, interpretation));
  std::vector<const model::Item*> items;
  for (const model::Item& item : inventory.items) {
    if (item.party == party) items.push_back(&item);
  }
  model::Posture posture;
  posture.party = std::string(party);
  posture.as_of = inventory.as_of;
  posture.source = inventory.source.empty() ? "inventory" : inventory.source;
  posture.source += " (counted";
  if (!interp.empty()) posture.source += " under " + interp;
  posture.source += ")";
  for (const Quantity& q : treaty.quantities) {
    // A quantity without terms cannot be counted from items: it stays missing, never zero.
    if (q.terms.empty()) {
      posture.counts.push_back(model::Count{q.id, std::nullopt});
      continue;
    }
    int64_t total = 0;
    for (const Term& term : q.terms) {
      if (term.AppliesUnder(interp)) total = Add(total, CountTerm(term, items, party));
    }
    posture.counts.push_back(model::Count{q.id, total});
  }
  return posture;
}

Result<std::vector<model::Posture>> CountInventoryByParty(const Treaty& treaty,
                                                          const model::Inventory& inventory,
                                                          std::string_view interpretation) {
  std::vector<model::Posture> out;
  for (const std::string& party : inventory.Parties()) {
    TALLY_ASSIGN_OR_RETURN(model::Posture p,
                           CountInventory(treaty, inventory, party, interpretation));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace tally::treaty
