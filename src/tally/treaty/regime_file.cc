#include "tally/treaty/regime_file.h"

#include <string>
#include <vector>

#include "tally/model/inventory.h"
#include "tally/model/state.h"

namespace tally::treaty::toml_detail {
namespace {

// The workflow fields of one [[regime.inspections]] table (docs/formats/treaty-toml.md).
Status ParseInspectionDetails(Reader& ir, const Treaty& t, InspectionType& it) {
  TALLY_ASSIGN_OR_RETURN(it.purposes, ir.Strings("purposes"));
  for (size_t i = 0; i < it.purposes.size(); ++i) {
    if (!IsInspectionPurpose(it.purposes[i])) {
      return ir.Error(*ir.table().get("purposes")->as_array()->get(i),
                      "purposes[" + std::to_string(i) + "]",
                      "a purpose (data-confirmation reentry-vehicle non-deployed conversion "
                      "elimination close-out baseline short-notice portal-monitoring challenge)");
    }
  }
  TALLY_ASSIGN_OR_RETURN(std::string rule, ir.String("site_rule"));
  if (!rule.empty()) {
    auto parsed = ParseSiteRule(rule);
    if (!parsed) {
      return ir.Error(*ir.table().get("site_rule"), "site_rule",
                      "\"any\", \"deployed\" or \"non-deployed-only\"");
    }
    it.site_rule = *parsed;
  }
  TALLY_ASSIGN_OR_RETURN(auto items, ir.OptInt("items_per_inspection"));
  it.items_per_inspection = items.value_or(0);
  TALLY_ASSIGN_OR_RETURN(
      it.designate_kinds,
      EnumList<model::ItemKind>(ir, "designate_kinds", model::ParseItemKind,
                                "an item kind (icbm slbm icbm_launcher slbm_launcher heavy_bomber "
                                "warhead glbm glcm ground_launcher)"));
  TALLY_ASSIGN_OR_RETURN(
      it.designate_statuses,
      EnumList<model::ItemStatus>(ir, "designate_statuses", model::ParseItemStatus,
                                  "an item status (deployed non_deployed test converted "
                                  "eliminated)"));
  TALLY_ASSIGN_OR_RETURN(auto begins, ir.OptInt("begins_days_after_entry_into_force"));
  it.begins_days_after_entry_into_force = begins.value_or(0);
  TALLY_ASSIGN_OR_RETURN(it.pre_inspection_restriction, ir.String("pre_inspection_restriction"));
  TALLY_ASSIGN_OR_RETURN(auto hours, ir.OptInt("restriction_begins_hours"));
  it.restriction_begins_hours = hours.value_or(0);
  TALLY_ASSIGN_OR_RETURN(it.note, ir.String("note"));
  TALLY_ASSIGN_OR_RETURN(auto per_party, PartyIntegers(ir, "per_party", t.parties));
  for (auto& [party, quota] : per_party) it.per_party.push_back(InspectionQuota{party, quota});
  return Status::Ok();
}

}  // namespace

Status ParseRegime(Reader& r, Treaty& t) {
  Regime& g = t.regime;
  TALLY_ASSIGN_OR_RETURN(auto verification, r.OptBool("verification"));
  g.verification = verification.value_or(true);
  TALLY_ASSIGN_OR_RETURN(g.summary, r.String("summary"));
  TALLY_ASSIGN_OR_RETURN(g.channel, r.String("channel"));
  TALLY_ASSIGN_OR_RETURN(auto inspections, r.Tables("inspections"));
  for (Reader& ir : inspections) {
    InspectionType it;
    TALLY_ASSIGN_OR_RETURN(it.id, Id(ir));
    TALLY_ASSIGN_OR_RETURN(it.name, ir.String("name", true));
    TALLY_ASSIGN_OR_RETURN(auto per_year, ir.OptInt("per_year"));
    it.per_year = per_year.value_or(0);
    TALLY_ASSIGN_OR_RETURN(it.sites, ir.String("sites"));
    TALLY_RETURN_IF_ERROR(ParseInspectionDetails(ir, t, it));
    for (const InspectionType& other : g.inspections) {
      if (other.id == it.id) {
        return ir.Error(*ir.table().get("id"), "id", "an inspection id not used before");
      }
    }
    TALLY_RETURN_IF_ERROR(ir.Finish());
    g.inspections.push_back(std::move(it));
  }
  TALLY_ASSIGN_OR_RETURN(auto dx, r.OptTable("data_exchange"));
  if (dx) {
    DataExchange d;
    TALLY_ASSIGN_OR_RETURN(d.as_of, dx->Strings("as_of"));
    for (size_t i = 0; i < d.as_of.size(); ++i) {
      const std::string& md = d.as_of[i];
      bool ok = md.size() == 5 && md[2] == '-' &&
                Date::Parse("2001-" + md).has_value();  // 2001: not a leap year, no 02-29
      if (!ok) {
        return dx->Error(*dx->table().get("as_of")->as_array()->get(i),
                         "as_of[" + std::to_string(i) + "]", "a day of the year MM-DD");
      }
    }
    TALLY_ASSIGN_OR_RETURN(auto due, dx->OptInt("due_within_days"));
    if (!due) return dx->Missing("due_within_days", "a non-negative integer");
    d.due_within_days = *due;
    TALLY_ASSIGN_OR_RETURN(d.initial_due_days_after_entry_into_force,
                           dx->OptInt("initial_due_days_after_entry_into_force"));
    TALLY_RETURN_IF_ERROR(dx->Finish());
    g.data_exchange = std::move(d);
  }
  TALLY_ASSIGN_OR_RETURN(auto notifications, r.Tables("notifications"));
  for (Reader& nr : notifications) {
    Notification n;
    TALLY_ASSIGN_OR_RETURN(n.id, Id(nr));
    TALLY_ASSIGN_OR_RETURN(n.name, nr.String("name", true));
    TALLY_ASSIGN_OR_RETURN(auto due, nr.OptInt("due_within_days"));
    if (!due) return nr.Missing("due_within_days", "a non-negative integer");
    n.due_within_days = *due;
    TALLY_ASSIGN_OR_RETURN(n.note, nr.String("note"));
    TALLY_RETURN_IF_ERROR(nr.Finish());
    g.notifications.push_back(std::move(n));
  }
  return r.Finish();
}

// [escrow]: the opening policy. Runs after [regime] so that a data-exchange trigger can require
// the regime to have data exchanges, and after [[quantities]] so categories can be checked.
Status ParseOpeningPolicy(Reader& r, Treaty& t) {
  OpeningPolicy policy;
  TALLY_ASSIGN_OR_RETURN(policy.summary, r.String("summary"));
  TALLY_ASSIGN_OR_RETURN(auto stages, r.Tables("stages"));
  if (stages.empty()) return r.Missing("stages", "at least one [[escrow.stages]] table");
  for (Reader& sr : stages) {
    OpeningStage s;
    TALLY_ASSIGN_OR_RETURN(s.id, Id(sr));
    if (policy.Find(s.id)) {
      return sr.Error(*sr.table().get("id"), "id", "an id not used by another stage");
    }
    TALLY_ASSIGN_OR_RETURN(s.name, sr.String("name", true));
    TALLY_ASSIGN_OR_RETURN(std::string trigger, sr.String("trigger", true));
    const ::toml::node& trigger_node = *sr.table().get("trigger");
    if (trigger == "entry-into-force") {
      s.trigger = OpeningTrigger::kEntryIntoForce;
    } else if (trigger == "data-exchange") {
      s.trigger = OpeningTrigger::kDataExchange;
      if (!t.regime.data_exchange) {
        return sr.Error(trigger_node, "trigger",
                        "a trigger the treaty has (no [regime.data_exchange] for data-exchange)");
      }
    } else if (trigger == "inspection") {
      s.trigger = OpeningTrigger::kInspection;
    } else if (trigger == "expiry") {
      s.trigger = OpeningTrigger::kExpiry;
    } else {
      return sr.Error(trigger_node, "trigger",
                      "one of entry-into-force, data-exchange, inspection, expiry");
    }
    TALLY_ASSIGN_OR_RETURN(auto within, sr.OptInt("within_days"));
    s.within_days = within.value_or(0);
    TALLY_ASSIGN_OR_RETURN(std::string scope, sr.String("open", true));
    const ::toml::node& scope_node = *sr.table().get("open");
    TALLY_ASSIGN_OR_RETURN(s.categories, sr.Strings("categories"));
    if (scope == "categories") {
      s.scope = OpeningScope::kCategories;
      if (s.categories.empty()) {
        return sr.Missing("categories", "the quantities whose items this stage opens");
      }
    } else if (scope == "site" || scope == "designated") {
      s.scope = scope == "site" ? OpeningScope::kSite : OpeningScope::kDesignated;
      if (s.trigger != OpeningTrigger::kInspection) {
        return sr.Error(
            scope_node, "open",
            "a scope without an inspection (" + scope + " needs trigger = \"inspection\")");
      }
    } else if (scope == "all") {
      s.scope = OpeningScope::kAll;
    } else {
      return sr.Error(scope_node, "open", "one of categories, site, designated, all");
    }
    if (s.scope != OpeningScope::kCategories && !s.categories.empty()) {
      return sr.Error(*sr.table().get("categories"), "categories",
                      "no categories unless open = \"categories\"");
    }
    for (size_t i = 0; i < s.categories.size(); ++i) {
      const Quantity* q = t.FindQuantity(s.categories[i]);
      if (!q || q->terms.empty()) {
        return sr.Error(*sr.table().get("categories")->as_array()->get(i),
                        "categories[" + std::to_string(i) + "]",
                        "a quantity of this treaty with counting terms");
      }
      s.categories[i] = q->id;
    }
    TALLY_ASSIGN_OR_RETURN(s.note, sr.String("note"));
    TALLY_RETURN_IF_ERROR(sr.Finish());
    policy.stages.push_back(std::move(s));
  }
  TALLY_RETURN_IF_ERROR(r.Finish());
  t.opening = std::move(policy);
  return Status::Ok();
}

}  // namespace tally::treaty::toml_detail
