#include "tally/inspection/findings_check.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include "tally/model/item.h"

namespace tally::inspection {

Result<std::vector<DeclaredItem>> DeclaredItems(const std::vector<escrow::OpenedLeaf>& opened,
                                                const std::vector<std::string>& designated) {
  // Each opened item by uid (the last leaf of a uid, if a bundle repeats one) and the warheads
  // on each host in opening order: one pass, where a lookup per designated item made a whole
  // site of a few hundred items cost a few hundred thousand string compares.
  std::unordered_map<std::string_view, const escrow::OpenedLeaf*> by_uid;
  std::unordered_map<std::string_view, std::vector<const escrow::OpenedLeaf*>> warheads_on;
  by_uid.reserve(opened.size());
  for (const auto& l : opened) {
    if (l.record.dummy) continue;
    by_uid[l.record.item.uid] = &l;
    if (l.record.item.kind == model::ItemKind::kWarhead) {
      warheads_on[l.record.item.host].push_back(&l);
    }
  }
  std::vector<DeclaredItem> out;
  out.reserve(designated.size());
  for (const std::string& uid : designated) {
    auto found = by_uid.find(uid);
    if (found == by_uid.end()) {
      return VerificationFailed("designated item " + uid + " is not in the designated opening");
    }
    const escrow::OpenedLeaf* leaf = found->second;
    const model::Item& item = leaf->record.item;
    DeclaredItem d{uid,         std::string(model::ItemKindName(item.kind)),
                   item.system, std::string(model::ItemStatusName(item.status)),
                   0,           leaf->index};
    // The load that counts: on a deployed missile only deployed warheads count (and a
    // non-deployed one there is itself a finding); a stored missile's load is all it hosts.
    const bool deployed = item.status == model::ItemStatus::kDeployed;
    if (auto hosted = warheads_on.find(uid); hosted != warheads_on.end()) {
      for (const escrow::OpenedLeaf* l : hosted->second) {
        if (!deployed || l->record.item.status == model::ItemStatus::kDeployed) {
          ++d.warheads;
        } else {
          d.uncounted.push_back(l->record.item.uid);
        }
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
