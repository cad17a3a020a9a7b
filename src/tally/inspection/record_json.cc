#include "tally/inspection/record_json.h"

#include "tally/crypto/encoding.h"

namespace tally::inspection {

using nlohmann::ordered_json;

ordered_json RecordJson(const InspectionRecord& r) {
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
  j["stage"] = StageName(r.stage);
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

}  // namespace tally::inspection
