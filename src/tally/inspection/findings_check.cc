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
    for (const auto& l : opened) {
      if (!l.record.dummy && l.record.item.kind == model::ItemKind::kWarhead &&
          l.record.item.host == uid) {
        ++d.warheads;
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
    if (o.warheads != d.warheads) {
      out.push_back({o.uid, "warheads",
                     o.uid + ": " + std::to_string(o.warheads) +
                         " reentry vehicles observed, declared warhead load " +
                         std::to_string(d.warheads)});
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
