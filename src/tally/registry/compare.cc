#include "tally/registry/compare.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "tally/model/state.h"
#include "tally/registry/registry.h"

namespace tally::registry {
namespace {

using model::Category;
using model::Figure;

struct Identity {
  Category sum;
  Category a;
  Category b;
};

// sum = a + b, in the order derivations need them.
constexpr Identity kIdentities[] = {
    {Category::kDeployed, Category::kDeployedStrategic, Category::kDeployedNonstrategic},
    {Category::kMilitaryStockpile, Category::kDeployed, Category::kReserve},
    {Category::kTotalInventory, Category::kMilitaryStockpile, Category::kRetired},
};

std::string Name(Category c) { return std::string(model::CategoryName(c)); }

std::string Ref(const Figure& f) { return f.dataset + "@" + std::to_string(f.dataset_version); }

// Figures of one dataset version, one state and one date.
using GroupKey = std::tuple<std::string, int, std::string, int64_t>;

std::map<GroupKey, std::vector<const Figure*>> GroupByDate(const std::vector<Figure>& figures) {
  std::map<GroupKey, std::vector<const Figure*>> groups;
  for (const auto& f : figures) {
    groups[{f.dataset, f.dataset_version, f.state, f.as_of.days()}].push_back(&f);
  }
  return groups;
}

}  // namespace

std::vector<Figure> DeriveMissing(const std::vector<Figure>& figures) {
  std::vector<Figure> out;
  for (const auto& [key, group] : GroupByDate(figures)) {
    bool ranged = false;
    std::map<Category, int64_t> v;
    for (const Figure* f : group) {
      ranged = ranged || f->has_range();
      v[f->category] = f->value;
    }
    if (ranged) continue;
    const Figure& proto = *group.front();
    bool changed = true;
    while (changed) {
      changed = false;
      for (const auto& id : kIdentities) {
        const bool has_sum = v.count(id.sum), has_a = v.count(id.a), has_b = v.count(id.b);
        if (has_sum + has_a + has_b != 2) continue;
        Figure f = proto;
        f.line = 0;
        f.low.reset();
        f.high.reset();
        f.confidence = model::Confidence::kDerived;
        if (!has_sum) {
          f.category = id.sum;
          f.value = v[id.a] + v[id.b];
          f.notes = "derived: " + Name(id.a) + " + " + Name(id.b);
        } else {
          const Category missing = has_a ? id.b : id.a;
          const Category known = has_a ? id.a : id.b;
          const int64_t value = v[id.sum] - v[known];
          if (value < 0) continue;  // inconsistent inputs; CheckConsistency reports them
          f.category = missing;
          f.value = value;
          f.notes = "derived: " + Name(id.sum) + " - " + Name(known);
        }
        v[f.category] = f.value;
        out.push_back(std::move(f));
        changed = true;
      }
    }
  }
  return out;
}

std::vector<ConsistencyIssue> CheckConsistency(const Dataset& dataset) {
  std::vector<ConsistencyIssue> issues;
  auto groups = GroupByDate(dataset.figures);
  for (const auto& [key, group] : groups) {
    std::map<Category, const Figure*> by;
    bool ranged = false;
    for (const Figure* f : group) {
      by[f->category] = f;
      ranged = ranged || f->has_range();
    }
    if (ranged) continue;
    auto get = [&](Category c) -> std::optional<int64_t> {
      auto it = by.find(c);
      if (it == by.end()) return std::nullopt;
      return it->second->value;
    };
    auto add = [&](Category lhs, std::string rule, int64_t computed) {
      const Figure* f = by[lhs];
      if (f->value == computed) return;
      issues.push_back(
          {dataset.Ref(), f->state, f->as_of_text, std::move(rule), f->value, computed, f->line});
    };
    auto ds = get(Category::kDeployedStrategic), dn = get(Category::kDeployedNonstrategic),
         dep = get(Category::kDeployed), res = get(Category::kReserve),
         stock = get(Category::kMilitaryStockpile), ret = get(Category::kRetired),
         total = get(Category::kTotalInventory);
    if (dep && ds && dn) {
      add(Category::kDeployed, "deployed = deployed_strategic + deployed_nonstrategic", *ds + *dn);
    }
    if (stock && res && dep) {
      add(Category::kMilitaryStockpile, "military_stockpile = deployed + reserve", *dep + *res);
    } else if (stock && res && ds && dn) {
      add(Category::kMilitaryStockpile,
          "military_stockpile = deployed_strategic + deployed_nonstrategic + reserve",
          *ds + *dn + *res);
    }
    if (total && stock && ret) {
      add(Category::kTotalInventory, "total_inventory = military_stockpile + retired",
          *stock + *ret);
    }
  }
  // World rows against the sum of the nine states, per category and date.
  std::map<std::pair<Category, int64_t>, std::vector<const Figure*>> by_cat_date;
  for (const auto& f : dataset.figures) by_cat_date[{f.category, f.as_of.days()}].push_back(&f);
  for (const auto& [key, list] : by_cat_date) {
    const Figure* world = nullptr;
    int64_t sum = 0;
    int states = 0;
    bool ranged = false;
    for (const Figure* f : list) {
      ranged = ranged || f->has_range();
      if (f->state == model::kWorld) {
        world = f;
        continue;
      }
      auto s = model::FindState(f->state);
      if (s && s->nuclear_armed_today) {
        sum += f->value;
        ++states;
      }
    }
    if (!world || states < 9 || ranged || world->value == sum) continue;
    issues.push_back({dataset.Ref(), world->state, world->as_of_text,
                      "World " + Name(key.first) + " = sum of the nine states", world->value, sum,
                      world->line});
  }
  std::sort(issues.begin(), issues.end(), [](const ConsistencyIssue& a, const ConsistencyIssue& b) {
    return std::make_tuple(StateOrder(a.state), a.as_of, a.line) <
           std::make_tuple(StateOrder(b.state), b.as_of, b.line);
  });
  return issues;
}

std::vector<Disagreement> FindDisagreements(const std::vector<Figure>& figures,
                                            const std::vector<std::string>& secondary) {
  // (state, category, year) -> dataset ref -> the dataset's latest figure of that year.
  using Key = std::tuple<int, Category, int>;
  std::map<Key, std::map<std::string, const Figure*>> groups;
  // (state, year, dataset ref) -> every figure, for the category matches of ranged figures.
  std::map<std::tuple<std::string, int, std::string>, std::vector<const Figure*>> by_state_year;
  for (const auto& f : figures) {
    auto& slot = groups[{StateOrder(f.state), f.category, f.year()}][Ref(f)];
    if (!slot || slot->as_of < f.as_of) slot = &f;
    by_state_year[{f.state, f.year(), Ref(f)}].push_back(&f);
  }
  std::vector<Disagreement> out;
  for (const auto& [key, members] : groups) {
    const auto& [order, category, year] = key;
    std::vector<const Figure*> compared;
    int compared_year = year;
    if (members.size() >= 2) {
      for (const auto& [ref, f] : members) compared.push_back(f);
    } else {
      // A lone figure of a secondary source meets the latest estimates before it: the year
      // before's.
      const Figure* alone = members.begin()->second;
      if (std::find(secondary.begin(), secondary.end(), alone->dataset) == secondary.end()) {
        continue;
      }
      auto prev = groups.find({order, category, year - 1});
      if (prev == groups.end()) continue;
      const Figure* lone = members.begin()->second;
      compared.push_back(lone);
      for (const auto& [ref, f] : prev->second) {
        if (ref != members.begin()->first) compared.push_back(f);
      }
      if (compared.size() < 2) continue;
      // Only when the lone dataset has nothing in the year before: otherwise it is a series
      // continuing, not a second opinion.
      if (prev->second.count(members.begin()->first)) continue;
      compared_year = year - 1;
    }
    int64_t lo = compared.front()->value, hi = lo;
    for (const Figure* f : compared) {
      lo = std::min(lo, f->value);
      hi = std::max(hi, f->value);
    }
    bool any_outside = lo != hi;
    Disagreement d;
    d.state = compared.front()->state;
    d.category = category;
    d.year = year;
    d.compared_year = compared_year;
    d.spread = hi - lo;
    bool has_range = false;
    bool all_inside = true;
    for (const Figure* f : compared) {
      if (!f->has_range()) continue;
      has_range = true;
      Disagreement::RangeCheck check;
      check.figure = *f;
      for (const Figure* g : compared) {
        if (g != f && !f->RangeContains(g->value)) check.outside.push_back(*g);
      }
      if (check.outside.empty()) continue;
      all_inside = false;
      // Which other categories of the same state, from the datasets it disagrees with, fit?
      for (const Figure& g_ref : check.outside) {
        const Figure* g = &g_ref;
        const int y = g->year();
        auto it = by_state_year.find({g->state, y, Ref(*g)});
        if (it == by_state_year.end()) continue;
        for (const Figure* h : it->second) {
          if (h->category == category || !f->RangeContains(h->value)) continue;
          bool dup = false;
          for (const auto& m : check.matches) {
            dup = dup || (m.category == h->category && m.dataset == Ref(*h));
          }
          if (!dup) check.matches.push_back({h->category, Ref(*h), h->value});
        }
      }
      d.range_checks.push_back(std::move(check));
    }
    // Point figures that differ from each other disagree whatever the ranges say.
    std::optional<int64_t> point;
    bool points_equal = true;
    for (const Figure* f : compared) {
      if (f->has_range()) continue;
      if (point && *point != f->value) points_equal = false;
      point = f->value;
    }
    d.within_ranges = has_range && all_inside && points_equal;
    if (!any_outside) continue;
    for (const Figure* f : compared) d.figures.push_back(*f);
    std::stable_sort(d.figures.begin(), d.figures.end(),
                     [](const Figure& a, const Figure& b) { return a.value < b.value; });
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace tally::registry
