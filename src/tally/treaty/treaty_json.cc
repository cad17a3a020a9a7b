#include "tally/treaty/treaty_json.h"

namespace tally::treaty {
namespace {

using nlohmann::json;

json OptDate(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }

template <typename T>
json OptInt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json NamesOf(const std::vector<model::ItemKind>& kinds) {
  json out = json::array();
  for (model::ItemKind k : kinds) out.push_back(std::string(model::ItemKindName(k)));
  return out;
}

json TermToJson(const Term& t) {
  json j;
  j["kinds"] = NamesOf(t.select.kinds);
  json statuses = json::array();
  for (model::ItemStatus s : t.select.statuses) {
    statuses.push_back(std::string(model::ItemStatusName(s)));
  }
  j["status"] = statuses;
  j["equipment"] = t.select.equipment ? json(std::string(model::EquipmentName(*t.select.equipment)))
                                      : json(nullptr);
  j["systems"] = t.select.systems;
  j["tags"] = t.select.tags_all;
  j["without_tags"] = t.select.tags_none;
  j["range_min_km"] = OptInt(t.select.range_min_km);
  j["range_max_km"] = OptInt(t.select.range_max_km);
  switch (t.value) {
    case TermValue::kOne:
      j["value"] = "one";
      break;
    case TermValue::kCapacity:
      j["value"] = "capacity";
      break;
    case TermValue::kFixed:
      j["value"] = t.fixed;
      break;
  }
  json first = json::array();
  for (const FirstItems& f : t.first) {
    first.push_back({{"party", f.party}, {"count", f.count}, {"each", f.each}});
  }
  j["first"] = first;
  j["only_under"] = t.only_under;
  j["not_under"] = t.not_under;
  j["note"] = t.note;
  return j;
}

}  // namespace

json TreatyStatusToJson(const TreatyStatus& status) {
  return {{"state", std::string(TreatyStateName(status.state))}, {"reason", status.reason}};
}

json TreatySummaryToJson(const Treaty& t, Date date) {
  return {{"id", t.id},
          {"name", t.name},
          {"full_name", t.full_name},
          {"hypothetical", t.hypothetical},
          {"parties", t.parties},
          {"signed", t.dates.signed_on.ToString()},
          {"entry_into_force", OptDate(t.dates.entry_into_force)},
          {"limits_effective", OptDate(t.dates.limits_effective)},
          {"ended", OptDate(t.dates.ended)},
          {"end_reason", t.dates.end_reason},
          {"date", date.ToString()},
          {"status", TreatyStatusToJson(StatusAt(t, date))}};
}

json TreatyToJson(const Treaty& t) {
  json j;
  j["id"] = t.id;
  j["name"] = t.name;
  j["full_name"] = t.full_name;
  j["hypothetical"] = t.hypothetical;
  j["parties"] = t.parties;
  j["file"] = t.file;
  json events = json::array();
  for (const Event& e : t.dates.events) {
    events.push_back({{"date", e.date.ToString()}, {"party", e.party}, {"what", e.what}});
  }
  j["dates"] = {{"signed", t.dates.signed_on.ToString()},
                {"entry_into_force", OptDate(t.dates.entry_into_force)},
                {"limits_effective", OptDate(t.dates.limits_effective)},
                {"ended", OptDate(t.dates.ended)},
                {"end_reason", t.dates.end_reason},
                {"events", events}};
  json party_dates = json::array();
  for (const PartyDates& p : t.party_dates) {
    party_dates.push_back({{"party", p.party},
                           {"signed", OptDate(p.signed_on)},
                           {"ratified", OptDate(p.ratified)},
                           {"entry_into_force", OptDate(p.entry_into_force)},
                           {"withdrawal_notice", OptDate(p.withdrawal_notice)},
                           {"withdrawn", OptDate(p.withdrawn)},
                           {"suspended", OptDate(p.suspended)},
                           {"note", p.note}});
  }
  j["party_dates"] = party_dates;
  json quantities = json::array();
  for (const Quantity& q : t.quantities) {
    json terms = json::array();
    for (const Term& term : q.terms) terms.push_back(TermToJson(term));
    quantities.push_back({{"id", q.id},
                          {"name", q.name},
                          {"aliases", q.aliases},
                          {"note", q.note},
                          {"terms", terms}});
  }
  j["quantities"] = quantities;
  json limits = json::array();
  for (const Limit& l : t.limits) {
    json per_party = json::object();
    for (const PartyLimit& p : l.per_party) per_party[p.party] = p.max;
    limits.push_back({{"id", l.id},
                      {"quantity", l.quantity},
                      {"name", l.name},
                      {"max", OptInt(l.max)},
                      {"per_party", per_party},
                      {"band_low", OptInt(l.band_low)},
                      {"prohibition", l.prohibition},
                      {"effective", OptDate(l.effective ? l.effective : t.LimitsEffective())},
                      {"until", OptDate(l.until)},
                      {"note", l.note}});
  }
  j["limits"] = limits;
  json interpretations = json::array();
  for (const Interpretation& i : t.interpretations) {
    interpretations.push_back(
        {{"id", i.id},
         {"name", i.name},
         {"held_by", i.held_by},
         {"description", i.description},
         {"default", i.is_default},
         {"disputed_items",
          i.disputed_items.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.disputed_items)}});
  }
  j["interpretations"] = interpretations;
  json regime = {{"verification", t.regime.verification},
                 {"summary", t.regime.summary},
                 {"channel", t.regime.channel}};
  json inspections = json::array();
  for (const InspectionType& it : t.regime.inspections) {
    json per_party = json::object();
    for (const InspectionQuota& q : it.per_party) per_party[q.party] = q.per_year;
    json kinds = json::array();
    for (model::ItemKind k : it.designate_kinds) kinds.push_back(model::ItemKindName(k));
    json statuses = json::array();
    for (model::ItemStatus st : it.designate_statuses) {
      statuses.push_back(model::ItemStatusName(st));
    }
    inspections.push_back(
        {{"id", it.id},
         {"name", it.name},
         {"per_year", it.per_year},
         {"per_party", per_party},
         {"sites", it.sites},
         {"purposes", it.purposes},
         {"site_rule", SiteRuleName(it.site_rule)},
         {"items_per_inspection", it.items_per_inspection},
         {"designate_kinds", kinds},
         {"designate_statuses", statuses},
         {"begins_days_after_entry_into_force", it.begins_days_after_entry_into_force},
         {"pre_inspection_restriction", it.pre_inspection_restriction},
         {"restriction_begins_hours", it.restriction_begins_hours},
         {"note", it.note}});
  }
  regime["inspections"] = inspections;
  if (t.regime.data_exchange) {
    const DataExchange& d = *t.regime.data_exchange;
    regime["data_exchange"] = {{"as_of", d.as_of},
                               {"due_within_days", d.due_within_days},
                               {"initial_due_days_after_entry_into_force",
                                OptInt(d.initial_due_days_after_entry_into_force)}};
  } else {
    regime["data_exchange"] = nullptr;
  }
  json notifications = json::array();
  for (const Notification& n : t.regime.notifications) {
    notifications.push_back(
        {{"id", n.id}, {"name", n.name}, {"due_within_days", n.due_within_days}, {"note", n.note}});
  }
  regime["notifications"] = notifications;
  j["regime"] = regime;
  if (t.opening) {
    json stages = json::array();
    for (const OpeningStage& st : t.opening->stages) {
      stages.push_back({{"id", st.id},
                        {"name", st.name},
                        {"trigger", std::string(OpeningTriggerName(st.trigger))},
                        {"within_days", st.within_days},
                        {"open", std::string(OpeningScopeName(st.scope))},
                        {"categories", st.categories},
                        {"note", st.note}});
    }
    j["escrow"] = {{"summary", t.opening->summary}, {"stages", stages}};
  } else {
    j["escrow"] = nullptr;
  }
  j["sources"] = t.sources;
  j["notes"] = t.notes;
  return j;
}

json CheckResultToJson(const CheckResult& r) {
  json limits = json::array();
  for (const LimitResult& l : r.limits) {
    limits.push_back({{"id", l.limit->id},
                      {"name", l.limit->name},
                      {"quantity", l.limit->quantity},
                      {"counted", OptInt(l.counted)},
                      {"limit", l.max},
                      {"margin", OptInt(l.margin)},
                      {"ok", l.ok ? json(*l.ok) : json(nullptr)},
                      {"effective", l.effective}});
  }
  return {{"treaty", r.treaty_id},     {"party", r.party},
          {"date", r.date.ToString()}, {"status", std::string(VerdictName(r.verdict))},
          {"reason", r.reason},        {"treaty_status", TreatyStatusToJson(r.treaty_status)},
          {"source", r.source},        {"limits", limits}};
}

}  // namespace tally::treaty
