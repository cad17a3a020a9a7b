#include "tally/inspection/record_json.h"

#include <algorithm>
#include <set>

#include "tally/crypto/encoding.h"
#include "tally/inspection/ledger.h"

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
  ordered_json st = ordered_json::array();
  for (const auto& x : r.steps) {
    st.push_back({{"step", x.step}, {"log", x.log}, {"index", x.index}, {"time", x.time}});
  }
  j["steps"] = st;
  j["verdict"] = r.Verdict();
  return j;
}

std::vector<ListedInspection> ListInspections(const TreatyLookup& treaties,
                                              const ReplaySource& source, int64_t now) {
  std::vector<ListedInspection> out;
  std::set<std::string> listed;
  for (const auto& log : source.logs) {
    for (const auto& e : log.entries()) {
      if (e.entry.kind != static_cast<uint16_t>(tlog::EntryKind::kInspectionRequest)) continue;
      ListedInspection l;
      l.request = ParseRequest(e.entry.payload, e.Where());
      l.id = l.request.ok() ? l.request->inspection : "?";
      if (l.request.ok() && !listed.insert(l.id).second) continue;
      l.entry = e.Where();
      l.log = e.log;
      l.index = e.index;
      l.inspecting = e.entry.party;
      l.record = l.request.ok() ? Replay(treaties, source, l.id, now)
                                : Result<InspectionRecord>(l.request.error());
      out.push_back(std::move(l));
    }
  }
  return out;
}

std::optional<int64_t> LatestEntryTime(const Logs& logs) {
  std::optional<int64_t> latest;
  for (const auto& log : logs) {
    for (const auto& e : log.entries())
      latest = std::max(latest.value_or(e.entry.time), e.entry.time);
  }
  return latest;
}

namespace {

ordered_json QuotaRows(const std::vector<QuotaRow>& rows) {
  ordered_json list = ordered_json::array();
  for (const auto& r : rows) {
    list.push_back({{"party", r.party},
                    {"type", r.type},
                    {"treaty_year", r.year.number},
                    {"begins", r.year.begins.ToString()},
                    {"used", r.used},
                    {"quota", r.quota},
                    {"remaining", r.remaining}});
  }
  return list;
}

ordered_json Refused(const Ledger& ledger) {
  ordered_json refused = ordered_json::array();
  for (const auto& e : ledger.requests) {
    if (!e.status.ok()) refused.push_back(e.status.message());
  }
  return refused;
}

}  // namespace

Result<ordered_json> QuotaJson(const treaty::Treaty& t, const Ledger& ledger, Date day) {
  TALLY_ASSIGN_OR_RETURN(auto rows, QuotaReport(t, ledger, day));
  return ordered_json{
      {"treaty", t.id}, {"quotas", QuotaRows(rows)}, {"refused_requests", Refused(ledger)}};
}

Result<ordered_json> OverviewJson(const TreatyLookup& treaties, const ReplaySource& source,
                                  const treaty::Treaty& t, int64_t now) {
  const Ledger ledger = BuildLedger(t, source.logs);
  // Every treaty year with an admitted request, and the year of `now`: quota use over the
  // years the logs cover, not only today's.
  std::set<int64_t> years;
  for (const auto& e : ledger.requests) {
    if (e.status.ok()) years.insert(e.year.begins.days());
  }
  if (TreatyYearOf(t, DayOf(now))) years.insert(TreatyYearOf(t, DayOf(now))->begins.days());
  std::vector<QuotaRow> rows;
  for (int64_t begins : years) {
    TALLY_ASSIGN_OR_RETURN(auto year, QuotaReport(t, ledger, Date::FromDays(begins)));
    rows.insert(rows.end(), year.begin(), year.end());
  }
  ordered_json list = ordered_json::array();
  for (const ListedInspection& l : ListInspections(treaties, source, now)) {
    ordered_json j{{"inspection", l.id},
                   {"entry", l.entry},
                   {"log", l.log},
                   {"index", l.index},
                   {"inspecting", l.inspecting}};
    if (l.record.ok()) {
      j["inspected"] = l.record->request.inspected;
      j["type"] = l.record->request.type;
      j["site"] = l.record->request.site;
      j["stage"] = StageName(l.record->stage);
      j["verdict"] = l.record->Verdict();
      j["record"] = RecordJson(*l.record);
    } else {
      // Refused requests and replays missing a document: the reason instead of a record.
      j["inspected"] = l.request.ok() ? l.request->inspected : "?";
      j["type"] = l.request.ok() ? l.request->type : "?";
      j["site"] = l.request.ok() ? l.request->site : "?";
      j["error"] = l.record.error().message();
    }
    list.push_back(std::move(j));
  }
  return ordered_json{{"treaty", t.id},
                      {"at", now},
                      {"quotas", QuotaRows(rows)},
                      {"refused_requests", Refused(ledger)},
                      {"inspections", list}};
}

}  // namespace tally::inspection
