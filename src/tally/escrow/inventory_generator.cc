#include "tally/escrow/inventory_generator.h"

#include <algorithm>
#include <map>

#include "tally/base/csv.h"
#include "tally/model/state.h"

namespace tally::escrow {
namespace {

using model::Equipment;
using model::Item;
using model::ItemKind;
using model::ItemStatus;

// SplitMix64: tiny, portable and fully specified, so a seed means the same inventory everywhere.
class SplitMix {
 public:
  explicit SplitMix(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }  // bias < 2^-40 for our n

 private:
  uint64_t s_;
};

std::string Quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Pad(uint64_t n) {
  std::string s = std::to_string(n);
  return std::string(s.size() < 6 ? 6 - s.size() : 0, '0') + s;
}

}  // namespace

Result<std::vector<ForceRow>> ParseForceStructureCsv(std::string_view text,
                                                     const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(text, name));
  TALLY_RETURN_IF_ERROR(t.RequireColumns({"party", "system", "leg", "facility", "deployed",
                                          "non_deployed", "warheads", "max_warheads"}));
  TALLY_RETURN_IF_ERROR(t.RejectUnknownColumns(
      {"party", "system", "leg", "facility", "region", "deployed", "non_deployed", "converted",
       "test", "warheads", "max_warheads", "capacity", "tags", "source"}));
  std::vector<ForceRow> rows;
  int64_t total_items = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    CsvRow r = t.row(i);
    ForceRow f;
    f.where = r.Where();
    f.party = std::string(r.Get("party"));
    f.system = std::string(r.Get("system"));
    f.leg = std::string(r.Get("leg"));
    f.facility = std::string(r.Get("facility"));
    f.region = std::string(r.Get("region"));
    for (const char* col : {"system", "facility", "region", "tags"}) {
      if (r.Get(col).size() > kMaxStructureText) {
        return r.Error(col, "at most " + std::to_string(kMaxStructureText) + " bytes of text");
      }
    }
    if (f.party.empty()) return r.Error("party", "a state code");
    if (std::string e = model::StateCodeExpectation(f.party); !e.empty()) {
      return r.Error("party", e);
    }
    if (f.system.empty()) return r.Error("system", "a system name");
    if (f.facility.empty()) return r.Error("facility", "a facility name");
    if (f.leg != "icbm" && f.leg != "slbm" && f.leg != "bomber" && f.leg != "icbm_storage" &&
        f.leg != "slbm_storage") {
      return r.Error("leg", "icbm, slbm, bomber, icbm_storage or slbm_storage");
    }
    struct Num {
      const char* col;
      int64_t* out;
      int64_t fallback;
    };
    for (const Num& n : {Num{"deployed", &f.deployed, 0}, Num{"non_deployed", &f.non_deployed, 0},
                         Num{"converted", &f.converted, 0}, Num{"test", &f.test, 0},
                         Num{"warheads", &f.warheads, 0}, Num{"max_warheads", &f.max_warheads, 1},
                         Num{"capacity", &f.capacity, 0}}) {
      TALLY_ASSIGN_OR_RETURN(std::optional<int64_t> v, r.GetOptionalInt(n.col));
      *n.out = v.value_or(n.fallback);
      if (*n.out < 0 || *n.out > kMaxStructureCell) {
        return r.Error(n.col, "an integer 0.." + std::to_string(kMaxStructureCell));
      }
    }
    total_items += f.deployed + f.non_deployed + f.converted + f.test + f.warheads;
    if (total_items > kMaxStructureItems) {
      return r.Error("deployed", "a structure of at most " + std::to_string(kMaxStructureItems) +
                                     " items in all (launchers and warheads); this row reaches " +
                                     std::to_string(total_items));
    }
    if ((f.leg == "icbm" || f.leg == "slbm") && f.warheads > f.deployed * f.max_warheads) {
      return r.Error("warheads", "at most deployed x max_warheads");
    }
    std::string tags(r.Get("tags"));
    size_t pos = 0;
    while (pos < tags.size()) {
      size_t end = tags.find(' ', pos);
      if (end == std::string::npos) end = tags.size();
      if (end > pos) f.tags.push_back(tags.substr(pos, end - pos));
      pos = end + 1;
    }
    rows.push_back(std::move(f));
  }
  return rows;
}

Result<model::Inventory> GenerateInventory(const std::vector<ForceRow>& rows,
                                           const GenerateOptions& opt) {
  int64_t items = 0;
  for (const ForceRow& f : rows) {
    if (opt.party.empty() || f.party == opt.party) {
      items += f.deployed + f.non_deployed + f.converted + f.test + f.warheads;
    }
  }
  const uint64_t copies = std::max<uint64_t>(opt.copies, 1);
  if (items > 0 && copies > kMaxGeneratedItems / static_cast<uint64_t>(items)) {
    return InvalidArgument("--copies: " + std::to_string(copies) + " copies of " +
                           std::to_string(items) + " items exceed the limit of " +
                           std::to_string(kMaxGeneratedItems) + " generated items");
  }
  SplitMix rng(opt.seed);
  model::Inventory inv;
  inv.as_of = opt.as_of;
  inv.source = "tally inventory generate (seed " + std::to_string(opt.seed) + ")";
  // Items are built with placeholder UIDs "<kind>#<n>" and renamed after shuffling serials.
  std::map<std::string, uint64_t> per_prefix;
  std::vector<std::pair<std::string, size_t>> named;  // prefix, item index
  auto add = [&](Item it, const std::string& prefix) -> size_t {
    inv.items.push_back(std::move(it));
    named.emplace_back(prefix, inv.items.size() - 1);
    ++per_prefix[prefix];
    return inv.items.size() - 1;
  };
  for (uint64_t copy = 1; copy <= std::max<uint64_t>(opt.copies, 1); ++copy) {
    for (const ForceRow& f : rows) {
      if (!opt.party.empty() && f.party != opt.party) continue;
      Item base;
      base.party = f.party;
      base.facility = f.facility;
      base.tags = f.tags;
      if (!f.region.empty()) base.tags.push_back("region:" + f.region);
      const bool icbm = f.leg == "icbm" || f.leg == "icbm_storage";
      if (f.leg == "bomber") {
        auto bomber = [&](ItemStatus s, int64_t n, Equipment e) {
          for (int64_t i = 0; i < n; ++i) {
            Item b = base;
            b.kind = ItemKind::kHeavyBomber;
            b.system = f.system;
            b.status = s;
            b.equipment = e;
            b.capacity = e == Equipment::kNuclear ? f.capacity : 0;
            add(std::move(b), "HB");
          }
        };
        bomber(ItemStatus::kDeployed, f.deployed, Equipment::kNuclear);
        bomber(ItemStatus::kNonDeployed, f.non_deployed, Equipment::kNuclear);
        bomber(ItemStatus::kTest, f.test, Equipment::kNuclear);
        bomber(ItemStatus::kConverted, f.converted, Equipment::kConventional);
        continue;
      }
      const std::string mp = icbm ? "ICBM" : "SLBM";
      const ItemKind missile_kind = icbm ? ItemKind::kIcbm : ItemKind::kSlbm;
      if (f.leg == "icbm_storage" || f.leg == "slbm_storage") {
        for (int64_t i = 0; i < f.non_deployed; ++i) {
          Item m = base;
          m.kind = missile_kind;
          m.system = f.system;
          m.status = ItemStatus::kNonDeployed;
          m.capacity = f.max_warheads;
          add(std::move(m), mp);
        }
        continue;
      }
      // Warheads per deployed missile: one each, the rest spread at random up to the maximum.
      std::vector<int64_t> load(f.deployed, 0);
      int64_t left = f.warheads;
      for (int64_t i = 0; i < f.deployed && left > 0; ++i, --left) load[i] = 1;
      while (left > 0) {
        const size_t m = rng.Below(load.size());
        if (load[m] < f.max_warheads) {
          ++load[m];
          --left;
        }
      }
      const ItemKind launcher_kind = icbm ? ItemKind::kIcbmLauncher : ItemKind::kSlbmLauncher;
      auto launcher = [&](ItemStatus s) {
        Item l = base;
        l.kind = launcher_kind;
        l.system = f.system + " launcher";
        l.status = s;
        return add(std::move(l), mp + "L");
      };
      for (int64_t i = 0; i < f.deployed; ++i) {
        const size_t li = launcher(ItemStatus::kDeployed);
        Item m = base;
        m.kind = missile_kind;
        m.system = f.system;
        m.status = ItemStatus::kDeployed;
        m.capacity = f.max_warheads;
        m.host = "#" + std::to_string(li);  // resolved to the launcher's UID below
        const size_t mi = add(std::move(m), mp);
        for (int64_t w = 0; w < load[i]; ++w) {
          Item rv = base;
          rv.kind = ItemKind::kWarhead;
          rv.system = "RV (" + f.system + ")";
          rv.status = ItemStatus::kDeployed;
          rv.host = "#" + std::to_string(mi);
          add(std::move(rv), "RV");
        }
      }
      for (int64_t i = 0; i < f.non_deployed; ++i) launcher(ItemStatus::kNonDeployed);
      for (int64_t i = 0; i < f.test; ++i) launcher(ItemStatus::kTest);
      for (int64_t i = 0; i < f.converted; ++i) launcher(ItemStatus::kConverted);
    }
  }
  // Serials: a seeded permutation per prefix, so a UID does not give away the facility.
  std::map<std::string, std::vector<uint64_t>> serials;
  for (auto& [prefix, n] : per_prefix) {
    std::vector<uint64_t>& s = serials[prefix];
    s.resize(n);
    for (uint64_t i = 0; i < n; ++i) s[i] = i + 1;
    for (uint64_t i = n; i > 1; --i) std::swap(s[i - 1], s[rng.Below(i)]);
  }
  std::map<std::string, uint64_t> next;
  for (const auto& [prefix, idx] : named) {
    Item& it = inv.items[idx];
    it.uid = it.party + "-" + prefix + "-" + Pad(serials[prefix][next[prefix]++]);
  }
  for (Item& it : inv.items) {
    if (!it.host.empty() && it.host[0] == '#') {
      it.host = inv.items[std::stoull(it.host.substr(1))].uid;
    }
  }
  std::sort(inv.items.begin(), inv.items.end(),
            [](const Item& a, const Item& b) { return a.uid < b.uid; });
  if (inv.items.empty()) return InvalidArgument("the force structure has no row for " + opt.party);
  return inv;
}

std::string InventoryToCsv(const model::Inventory& inv) {
  std::string out =
      "uid,party,kind,system,status,facility,equipment,host,capacity,range_km,tags,as_of\n";
  bool first = true;
  for (const Item& it : inv.items) {
    std::string tags;
    for (const std::string& t : it.tags) tags += (tags.empty() ? "" : " ") + t;
    out += Quote(it.uid) + "," + Quote(it.party) + "," + std::string(model::ItemKindName(it.kind)) +
           "," + Quote(it.system) + "," + std::string(model::ItemStatusName(it.status)) + "," +
           Quote(it.facility) + "," + std::string(model::EquipmentName(it.equipment)) + "," +
           Quote(it.host) + "," + (it.capacity ? std::to_string(it.capacity) : "") + "," +
           (it.range_km ? std::to_string(it.range_km) : "") + "," + Quote(tags) + "," +
           (first ? inv.as_of.ToString() : "") + "\n";
    first = false;
  }
  return out;
}

}  // namespace tally::escrow
