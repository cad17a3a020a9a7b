#include "tally/exercise/cheat_choice.h"

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

namespace tally::exercise {

int64_t CheatAmount(const std::vector<Cheat>& cheats, const std::string& party, CheatKind kind) {
  int64_t n = 0;
  for (const Cheat& c : cheats) {
    if (c.party == party && c.kind == kind) n += c.amount;
  }
  return n;
}

bool HasCheat(const std::vector<Cheat>& cheats, const std::string& party, CheatKind kind) {
  return std::any_of(cheats.begin(), cheats.end(),
                     [&](const Cheat& c) { return c.party == party && c.kind == kind; });
}

void ChooseCheats(const std::vector<Cheat>& cheats, uint64_t seed, const model::Inventory& inv,
                  Side& side) {
  side.chose_cheats = true;
  std::mt19937_64 pick(seed * 1000003u + std::hash<std::string>{}(side.id));
  std::map<std::string, int64_t> load;
  std::set<std::string> hosts;
  for (const model::Item& it : inv.items) {
    if (!it.host.empty()) hosts.insert(it.host);
    if (it.kind == model::ItemKind::kWarhead) ++load[it.host];
  }
  if (const int64_t n = CheatAmount(cheats, side.id, CheatKind::kOverloadedMissile); n > 0) {
    std::vector<std::string> room;  // deployed missiles with a free place for one more RV
    for (const model::Item& it : inv.items) {
      if (IsMissile(it) && it.status == model::ItemStatus::kDeployed && load[it.uid] > 0 &&
          (it.capacity == 0 || load[it.uid] < it.capacity)) {
        room.push_back(it.uid);
      }
    }
    std::shuffle(room.begin(), room.end(), pick);
    room.resize(std::min<size_t>(room.size(), static_cast<size_t>(n)));
    side.overloaded.insert(room.begin(), room.end());
  }
  if (const int64_t n = CheatAmount(cheats, side.id, CheatKind::kHiddenReserve); n > 0) {
    // A storage site: items there, none deployed. One declared item stays, so the site stays on
    // the list inspectors choose from.
    std::map<std::string, std::vector<std::string>> candidates;
    std::set<std::string> deployed_sites;
    for (const model::Item& it : inv.items) {
      if (it.status == model::ItemStatus::kDeployed) deployed_sites.insert(it.facility);
    }
    for (const model::Item& it : inv.items) {
      if (deployed_sites.count(it.facility) || it.kind == model::ItemKind::kWarhead ||
          hosts.count(it.uid)) {
        continue;
      }
      candidates[it.facility].push_back(it.uid);
    }
    std::vector<std::string> sites;
    for (const auto& [site, uids] : candidates) {
      if (uids.size() >= 2) sites.push_back(site);
    }
    if (!sites.empty()) {
      side.hidden_site = sites[pick() % sites.size()];
      std::vector<std::string> uids = candidates[side.hidden_site];
      std::sort(uids.begin(), uids.end());
      uids.resize(std::min<size_t>(uids.size() - 1, static_cast<size_t>(n)));
      side.hidden.insert(uids.begin(), uids.end());
    }
  }
}

}  // namespace tally::exercise
