#include "tally/treaty/disputed_items.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "tally/base/csv.h"
#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/data/embedded.h"
#include "tally/model/inventory.h"
#include "tally/model/state.h"
#include "tally/treaty/counting.h"

namespace tally::treaty {
namespace {

constexpr std::string_view kKindsExpected =
    "an item kind other than warhead (icbm slbm icbm_launcher slbm_launcher heavy_bomber glbm "
    "glcm ground_launcher)";

std::vector<std::string> SplitTags(std::string_view s) {
  std::vector<std::string> tags;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == ';' || c == '\t') {
      if (!cur.empty()) tags.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tags.push_back(std::move(cur));
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

// The fields that make two records the same group of items.
using GroupKey = std::tuple<std::string, model::ItemKind, std::string, model::ItemStatus,
                            model::Equipment, std::vector<std::string>>;

GroupKey KeyOf(const DisputedRecord& r) {
  return {r.party, r.kind, r.system, r.status, r.equipment, r.tags};
}

// Saturating: a record file is input, and its counts are bounded, but sums stay safe regardless.
int64_t Sub(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return b > 0 ? INT64_MIN : INT64_MAX;
  return out;
}

// `per_group[i]` items of group `groups[i]`, for `party`, as one inventory.
model::Inventory SyntheticInventory(const std::vector<const DisputedRecord*>& groups,
                                    const std::vector<int64_t>& per_group, std::string_view party,
                                    Date as_of) {
  model::Inventory inv;
  inv.as_of = as_of;
  inv.source = "disputed items";
  for (size_t g = 0; g < groups.size(); ++g) {
    for (int64_t n = 0; n < per_group[g]; ++n) {
      model::Item item;
      item.uid = "disputed-" + std::to_string(g) + "-" + std::to_string(n);
      item.party = std::string(party);
      item.kind = groups[g]->kind;
      item.system = groups[g]->system;
      item.status = groups[g]->status;
      item.equipment = groups[g]->equipment;
      item.tags = groups[g]->tags;
      inv.items.push_back(std::move(item));
    }
  }
  return inv;
}

// Per quantity id: count under `interpretation` minus count under `declared_under`.
Result<std::map<std::string, int64_t>> Difference(const Treaty& treaty, const model::Inventory& inv,
                                                  std::string_view party,
                                                  std::string_view interpretation,
                                                  std::string_view declared_under) {
  TALLY_ASSIGN_OR_RETURN(model::Posture under, CountInventory(treaty, inv, party, interpretation));
  TALLY_ASSIGN_OR_RETURN(model::Posture as_declared,
                         CountInventory(treaty, inv, party, declared_under));
  std::map<std::string, int64_t> out;
  for (const model::Count& c : under.counts) {
    const model::Count* d = as_declared.Find(c.quantity);
    if (!c.value || d == nullptr || !d->value) continue;
    out[c.quantity] = Sub(*c.value, *d->value);
  }
  return out;
}

}  // namespace

std::string DisputedRecord::Group() const {
  std::string s = std::string(model::ItemKindName(kind));
  if (!system.empty()) s += " " + system;
  s += " (" + std::string(model::ItemStatusName(status)) + ", " +
       std::string(model::EquipmentName(equipment));
  if (!tags.empty()) {
    s += ", tagged";
    for (const std::string& t : tags) s += " " + t;
  }
  return s + ")";
}

Result<DisputedItems> ParseDisputedItems(std::string_view text, const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(text, name));
  TALLY_RETURN_IF_ERROR(
      table.RequireColumns({"as_of_date", "party", "kind", "status", "count", "source"}));
  TALLY_RETURN_IF_ERROR(
      table.RejectUnknownColumns({"as_of_date", "party", "kind", "system", "status", "equipment",
                                  "tags", "count", "confidence", "notes", "source"}));
  DisputedItems out;
  out.name = name;
  std::map<std::pair<GroupKey, Date>, std::string> seen;
  int64_t total = 0;
  for (size_t i = 0; i < table.size(); ++i) {
    CsvRow row = table.row(i);
    if (i == kMaxDisputedRecords) return row.Error("as_of_date", "at most 10,000 records a file");
    DisputedRecord r;
    r.where = row.Where();
    auto date = Date::Parse(row.Get("as_of_date"));
    if (!date) return row.Error("as_of_date", "a date YYYY-MM-DD that exists");
    r.as_of = *date;
    auto state = model::FindState(row.Get("party"));
    if (!state) return row.Error("party", "a state code (US RU CN FR GB IN PK IL KP) or name");
    r.party = std::string(state->code);
    auto kind = model::ParseItemKind(row.Get("kind"));
    if (!kind || *kind == model::ItemKind::kWarhead) return row.Error("kind", kKindsExpected);
    r.kind = *kind;
    auto status = model::ParseItemStatus(row.Get("status"));
    if (!status) {
      return row.Error("status",
                       "an item status (deployed non_deployed test converted eliminated)");
    }
    r.status = *status;
    if (!row.Get("equipment").empty()) {
      auto eq = model::ParseEquipment(row.Get("equipment"));
      if (!eq) return row.Error("equipment", "\"nuclear\" or \"conventional\"");
      r.equipment = *eq;
    }
    r.system = std::string(row.Get("system"));
    r.tags = SplitTags(row.Get("tags"));
    auto count = ParseInt64(row.Get("count"));
    if (!count || *count < 0 || *count > kMaxDisputedPerRecord) {
      return row.Error("count", "a whole number of items from 0 to 50,000");
    }
    r.count = *count;
    total += r.count;
    if (total > kMaxDisputedPerFile) {
      return row.Error("count", "counts that sum to at most 500,000 items over the file");
    }
    r.confidence = std::string(row.Get("confidence"));
    r.notes = std::string(row.Get("notes"));
    r.source = std::string(row.Get("source"));
    if (r.source.empty()) return row.Error("source", "the publication the count is from");
    auto [it, inserted] = seen.emplace(std::make_pair(KeyOf(r), r.as_of), r.where);
    if (!inserted) {
      return row.Error("as_of_date",
                       "one record of " + r.Group() + " per date (also at " + it->second + ")");
    }
    out.records.push_back(std::move(r));
  }
  return out;
}

Result<DisputedItems> LoadDisputedItems(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseDisputedItems(text, path);
}

Result<DisputedItems> EmbeddedDisputedItems(std::string_view data_path) {
  auto text = data::EmbeddedFile(data_path);
  if (!text) {
    return NotFound("no disputed-items record " + QuoteText(data_path) + " is compiled into tally");
  }
  return ParseDisputedItems(*text, "data/" + std::string(data_path));
}

Result<std::vector<RecountedPosture>> Recount(const Treaty& treaty,
                                              std::span<const model::Posture> declared,
                                              const DisputedItems& disputed,
                                              std::string_view interpretation) {
  TALLY_ASSIGN_OR_RETURN(std::string under, ResolveInterpretation(treaty, interpretation));
  TALLY_ASSIGN_OR_RETURN(std::string declared_under, ResolveInterpretation(treaty, ""));

  // Per party, its groups in first-appearance order, each with its records by date.
  std::map<std::string, std::vector<GroupKey>> groups_of;
  std::map<GroupKey, std::vector<const DisputedRecord*>> records_of;
  for (const DisputedRecord& r : disputed.records) {
    GroupKey key = KeyOf(r);
    auto& list = records_of[key];
    if (list.empty()) groups_of[r.party].push_back(key);
    list.push_back(&r);
  }
  for (auto& [key, list] : records_of) {
    std::sort(list.begin(), list.end(),
              [](const DisputedRecord* a, const DisputedRecord* b) { return a->as_of < b->as_of; });
  }

  // The same records in effect give the same differences: adjacent exchanges share them.
  std::map<std::vector<const DisputedRecord*>, std::map<std::string, int64_t>> memo;
  std::map<GroupKey, std::set<std::string>> probed;  // what one item of a group changes
  std::vector<RecountedPosture> out;
  out.reserve(declared.size());
  for (const model::Posture& p : declared) {
    RecountedPosture r;
    r.posture = p;
    r.posture.source = p.source + " (re-counted under " + under + " with " + disputed.name + ")";
    auto party_groups = groups_of.find(p.party);
    if (party_groups == groups_of.end() || under == declared_under) {
      out.push_back(std::move(r));
      continue;
    }
    std::vector<const DisputedRecord*> known;
    std::vector<const DisputedRecord*> unknown;  // the group's first record stands for it
    for (const GroupKey& key : party_groups->second) {
      const auto& list = records_of[key];
      const DisputedRecord* current = nullptr;
      for (const DisputedRecord* rec : list) {
        if (rec->as_of <= p.as_of) current = rec;
      }
      if (current) {
        known.push_back(current);
      } else {
        unknown.push_back(list.front());
      }
    }
    auto m = memo.find(known);
    if (m == memo.end()) {
      std::vector<int64_t> counts;
      for (const DisputedRecord* rec : known) counts.push_back(rec->count);
      model::Inventory inv = SyntheticInventory(known, counts, p.party, p.as_of);
      TALLY_ASSIGN_OR_RETURN(auto diff, Difference(treaty, inv, p.party, under, declared_under));
      m = memo.emplace(known, std::move(diff)).first;
    }
    // What an unknown group could change: one probe item of it.
    std::set<std::string> unknown_quantities;
    for (const DisputedRecord* rec : unknown) {
      r.unknown_groups.push_back(rec->Group() + ": first record " + rec->as_of.ToString());
      auto it = probed.find(KeyOf(*rec));
      if (it == probed.end()) {
        model::Inventory probe = SyntheticInventory({rec}, {1}, p.party, p.as_of);
        TALLY_ASSIGN_OR_RETURN(auto diff,
                               Difference(treaty, probe, p.party, under, declared_under));
        std::set<std::string> changed;
        for (const auto& [q, d] : diff) {
          if (d != 0) changed.insert(q);
        }
        it = probed.emplace(KeyOf(*rec), std::move(changed)).first;
      }
      unknown_quantities.insert(it->second.begin(), it->second.end());
    }
    r.in_effect = known;
    for (model::Count& c : r.posture.counts) {
      const Quantity* q = treaty.FindQuantity(c.quantity);
      if (q == nullptr) continue;
      auto d = m->second.find(q->id);
      const int64_t added = d == m->second.end() ? 0 : d->second;
      const bool unknown_here = unknown_quantities.count(q->id) > 0;
      if (added == 0 && !unknown_here) continue;
      QuantityChange change{q->id, c.value, std::nullopt, std::nullopt};
      if (!unknown_here) change.added = added;
      if (c.value && change.added) {
        int64_t v = 0;
        if (__builtin_add_overflow(*c.value, *change.added, &v) || v < 0) {
          return InvalidArgument(p.source + ": " + q->id + " " + std::to_string(*c.value) +
                                 " re-counted under " + under + " with " + disputed.name +
                                 " would be " + (v < 0 ? "below zero" : "out of range") +
                                 ": the record claims more items than were declared");
        }
        change.recounted = v;
      }
      c.value = change.recounted;
      r.changes.push_back(std::move(change));
    }
    out.push_back(std::move(r));
  }
  return out;
}

nlohmann::json RecountedPostureToJson(const RecountedPosture& r) {
  using nlohmann::json;
  auto opt = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); };
  json changes = json::array();
  for (const QuantityChange& c : r.changes) {
    changes.push_back({{"quantity", c.quantity},
                       {"declared", opt(c.declared)},
                       {"added", opt(c.added)},
                       {"recounted", opt(c.recounted)}});
  }
  json in_effect = json::array();
  for (const DisputedRecord* rec : r.in_effect) {
    in_effect.push_back({{"as_of", rec->as_of.ToString()},
                         {"group", rec->Group()},
                         {"count", rec->count},
                         {"confidence", rec->confidence},
                         {"source", rec->source},
                         {"where", rec->where}});
  }
  return {{"changes", changes}, {"in_effect", in_effect}, {"unknown_groups", r.unknown_groups}};
}

}  // namespace tally::treaty
