#include "tally/inspection/findings_check.h"

#include <algorithm>
#include <map>

#include "tally/model/item.h"

namespace tally::inspection {

Result<std::vector<DeclaredItem>> DeclaredItems(const std::vector<escrow::OpenedLeaf>& opened,
                                                const std::vector<std::string>& designated) {
  std::vector<DeclaredItem> out;
  for (const std::string& uid : designated) {
    const escrow::OpenedLeaf* leaf = nullptr;
    for (const auto& l : opened) {
      if (!l.record.dummy && l.record.item.uid == uid) leaf = &l;
    }
    if (!leaf) {
      return VerificationFailed("designated item " + uid + " is not in the designated opening");
    }
    const model::Item& item = leaf->record.item;
    DeclaredItem d{uid,         std::string(model::ItemKindName(item.kind)),
                   item.system, std::string(model::ItemStatusName(item.status)),
                   0,           leaf->index};
    // The load that counts: on a deployed missile only deployed warheads count (and a
    // non-deployed one there is itself a finding); a stored missile's load is all it hosts.
    const bool deployed = item.status == model::ItemStatus::kDeployed;
    for (const auto& l : opened) {
      if (l.record.dummy || l.record.item.kind != model::ItemKind::kWarhead ||
          l.record.item.host != uid) {
        continue;
      }
      if (!deployed || l.record.item.status == model::ItemStatus::kDeployed) {
        ++d.warheads;
      } else {
        d.uncounted.push_back(l.record.item.uid);
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<Discrepancy> CheckFindings(const std::vector<DeclaredItem>& declared,
                                       const std::vector<std::string>& site_items,
                                       const std::vector<Observation>& observed) {
  std::vector<Discrepancy> out;
  std::map<std::string, const DeclaredItem*> by_uid;
  for (const DeclaredItem& d : declared) by_uid[d.uid] = &d;
  std::map<std::string, const Observation*> seen;
  for (const Observation& o : observed) {
    seen[o.uid] = &o;
    auto it = by_uid.find(o.uid);
    if (it == by_uid.end()) {
      if (!std::binary_search(site_items.begin(), site_items.end(), o.uid)) {
        out.push_back({o.uid, "unknown",
                       "observed item " + o.uid +
                           " is not in the site opening (undeclared or "
                           "not opened)"});
      } else {
        out.push_back({o.uid, "not-designated",
                       "observed item " + o.uid + " was opened at the site but not designated"});
      }
      continue;
    }
    const DeclaredItem& d = *it->second;
    if (o.status != d.status) {
      out.push_back(
          {o.uid, "status", o.uid + ": observed status " + o.status + ", declared " + d.status});
    }
    if (!d.uncounted.empty()) {
      std::string list;
      for (const std::string& w : d.uncounted) list += (list.empty() ? "" : ", ") + w;
      out.push_back({o.uid, "counting",
                     o.uid + ": deployed missile hosts " + std::to_string(d.uncounted.size()) +
                         " warhead(s) declared not deployed (" + list +
                         "); a warhead on a deployed missile counts as deployed"});
    }
    if (o.warheads != d.warheads) {
      out.push_back({o.uid, "warheads",
                     o.uid + ": " + std::to_string(o.warheads) + " reentry vehicles observed, " +
                         std::to_string(d.warheads) + " warhead(s) counted on it"});
    }
  }
  for (const DeclaredItem& d : declared) {
    if (!seen.count(d.uid)) {
      out.push_back({d.uid, "not-observed", "designated item " + d.uid + " was not observed"});
    }
  }
  return out;
}

}  // namespace tally::inspection
