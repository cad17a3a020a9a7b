#include "tally/cli/inspection_view.h"

#include "tally/crypto/encoding.h"

namespace tally::cli {

using nlohmann::ordered_json;

ordered_json RecordJson(const inspection::InspectionRecord& r) {
  ordered_json j;
  j["inspection"] = r.request.inspection;
  j["treaty"] = r.request.treaty;
  j["type"] = r.request.type;
  j["inspecting"] = r.inspecting;
  j["inspected"] = r.request.inspected;
  j["site"] = r.request.site;
  j["requested_at"] = r.requested_at;
  j["treaty_year"] = {{"number", r.year.number},
                      {"begins", r.year.begins.ToString()},
                      {"ends", r.year.ends.ToString()}};
  j["stage"] = inspection::StageName(r.stage);
  j["awaiting"] = r.awaiting;
  j["site_items"] = r.site_items.size();
  j["population"] = r.population.size();
  j["committed"] = r.committed;
  j["revealed"] = r.revealed;
  j["fallback"] = r.fallback;
  j["refused"] = r.refused;
  j["seed"] = r.seed ? ordered_json(crypto::HexEncode(*r.seed)) : ordered_json(nullptr);
  j["designated"] = r.designated;
  j["whole_site"] = r.whole_site;
  j["restriction"] = {
      {"begins", r.restriction_begins},
      {"ends", r.restriction_ends ? ordered_json(r.restriction_ends) : ordered_json(nullptr)}};
  ordered_json v = ordered_json::array();
  for (const auto& x : r.violations)
    v.push_back({{"entry", x.where}, {"uid", x.uid}, {"what", x.what}});
  j["restriction_violations"] = v;
  ordered_json pv = ordered_json::array();
  for (const auto& x : r.procedural) {
    pv.push_back({{"party", x.party}, {"kind", x.kind}, {"what", x.what}});
  }
  j["procedural_violations"] = pv;
  ordered_json d = ordered_json::array();
  for (const auto& x : r.declared) {
    d.push_back({{"uid", x.uid},
                 {"kind", x.kind},
                 {"system", x.system},
                 {"status", x.status},
                 {"warheads", x.warheads}});
  }
  j["declared"] = d;
  ordered_json o = ordered_json::array();
  for (const auto& x : r.observed) {
    o.push_back({{"uid", x.uid}, {"status", x.status}, {"warheads", x.warheads}});
  }
  j["observed"] = o;
  ordered_json ds = ordered_json::array();
  for (const auto& x : r.discrepancies)
    ds.push_back({{"uid", x.uid}, {"kind", x.kind}, {"what", x.what}});
  j["discrepancies"] = ds;
  ordered_json rj = ordered_json::array();
  for (const auto& x : r.rejected) {
    rj.push_back({{"party", x.party}, {"log", x.log}, {"index", x.index}, {"reason", x.reason}});
  }
  j["rejected_entries"] = rj;
  j["verdict"] = r.Verdict();
  return j;
}

void PrintRecord(std::ostream& out, const inspection::InspectionRecord& r) {
  out << "inspection " << r.request.inspection << ": " << r.inspecting << " inspects "
      << r.request.inspected << " at " << r.request.site << " (" << r.request.type << ", "
      << r.request.treaty << " treaty year " << r.year.number << ")\n";
  out << "stage:      " << inspection::StageName(r.stage)
      << (r.awaiting.empty() ? "" : " (awaiting " + r.awaiting + ")") << "\n";
  if (!r.site_items.empty()) {
    out << "site:       " << r.site_items.size() << " items opened, " << r.population.size()
        << " eligible for designation\n";
  }
  if (r.whole_site) {
    out << "mandate:    the whole site (" << r.designated.size() << " items), no seed drawn\n";
  }
  if (r.seed) {
    out << "seed:       " << crypto::HexEncode(*r.seed) << (r.fallback ? " (fallback)" : "")
        << "\n";
    std::string list;
    for (const auto& u : r.designated) list += (list.empty() ? "" : ", ") + u;
    out << "designated: " << (list.empty() ? "(none)" : list) << "\n";
  }
  for (const auto& x : r.rejected) out << "rejected entry: " << x.reason << "\n";
  for (const auto& x : r.violations) out << "restriction violated: " << x.what << "\n";
  for (const auto& x : r.procedural) out << "procedure (" << x.kind << "): " << x.what << "\n";
  for (const auto& x : r.discrepancies) out << "discrepancy (" << x.kind << "): " << x.what << "\n";
  out << "verdict:    " << r.Verdict() << "\n";
}

}  // namespace tally::cli
