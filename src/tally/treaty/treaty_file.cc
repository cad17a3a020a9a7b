#include "tally/treaty/treaty_file.h"

#include <toml++/toml.h>

#include <algorithm>
#include <exception>
#include <set>

#include "tally/base/file.h"
#include "tally/model/state.h"

namespace tally::treaty {
namespace {

std::string_view TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// What a value looks like in an error: strings quoted, other scalars as written, containers by
// type.
std::string Got(const toml::node& n) {
  if (auto s = n.as_string()) return "\"" + s->get() + "\"";
  if (auto i = n.as_integer()) return std::to_string(i->get());
  if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
  if (auto d = n.as_date()) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->get().year, d->get().month, d->get().day);
    return buf;
  }
  return std::string(TypeName(n));
}

int LineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

// A strict view of one TOML table: typed getters that name file, line and key path in errors,
// and Finish(), which rejects every key no getter asked for (so that a typo is an error, not a
// silently ignored setting).
class Reader {
 public:
  Reader(const toml::table& table, std::string path, const std::string* file)
      : table_(table), path_(std::move(path)), file_(file) {}

  std::string Key(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  std::string Where(const toml::node& n) const { return *file_ + ":" + std::to_string(LineOf(n)); }
  std::string Here() const { return Where(table_); }

  Status Error(const toml::node& n, std::string_view key, std::string_view expected) const {
    return FieldError(Where(n), Key(key), expected, Got(n));
  }
  Status Missing(std::string_view key, std::string_view expected) const {
    return FieldError(Here(), Key(key), expected, "nothing (the key is required)");
  }

  const toml::node* Node(std::string_view key) {
    seen_.insert(std::string(key));
    return table_.get(key);
  }

  Result<std::optional<std::string>> OptString(std::string_view key) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<std::string>();
    if (!n->is_string()) return Error(*n, key, "a string");
    return std::optional<std::string>(n->as_string()->get());
  }
  Result<std::string> String(std::string_view key, bool required = false) {
    TALLY_ASSIGN_OR_RETURN(auto s, OptString(key));
    if (!s && required) return Missing(key, "a string");
    return s.value_or("");
  }
  Result<std::optional<int64_t>> OptInt(std::string_view key, int64_t min = 0) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<int64_t>();
    auto i = n->as_integer();
    if (!i || i->get() < min) {
      return Error(*n, key,
                   min == 0 ? "a non-negative integer" : "an integer >= " + std::to_string(min));
    }
    return std::optional<int64_t>(i->get());
  }
  Result<std::optional<bool>> OptBool(std::string_view key) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<bool>();
    if (!n->is_boolean()) return Error(*n, key, "true or false");
    return std::optional<bool>(n->as_boolean()->get());
  }
  Result<std::optional<Date>> OptDate(std::string_view key) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<Date>();
    if (auto d = n->as_date()) {
      auto r = Date::FromCivil(d->get().year, d->get().month, d->get().day);
      if (!r) return Error(*n, key, "a possible calendar date");
      return std::optional<Date>(*r);
    }
    if (auto s = n->as_string()) {
      auto r = Date::Parse(s->get());
      if (!r) return Error(*n, key, "a date YYYY-MM-DD");
      return std::optional<Date>(*r);
    }
    return Error(*n, key, "a date YYYY-MM-DD");
  }
  Result<std::vector<std::string>> Strings(std::string_view key) {
    const toml::node* n = Node(key);
    std::vector<std::string> out;
    if (!n) return out;
    auto arr = n->as_array();
    if (!arr) return Error(*n, key, "an array of strings");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& el = *arr->get(i);
      if (!el.is_string()) {
        return Error(el, std::string(key) + "[" + std::to_string(i) + "]", "a string");
      }
      out.push_back(el.as_string()->get());
    }
    return out;
  }
  // An optional sub-table.
  Result<std::optional<Reader>> OptTable(std::string_view key) {
    const toml::node* n = Node(key);
    if (!n) return std::optional<Reader>();
    if (!n->is_table()) return Error(*n, key, "a table");
    return std::optional<Reader>(Reader(*n->as_table(), Key(key), file_));
  }
  // An array of tables ([[key]]), each as a Reader.
  Result<std::vector<Reader>> Tables(std::string_view key) {
    const toml::node* n = Node(key);
    std::vector<Reader> out;
    if (!n) return out;
    auto arr = n->as_array();
    if (!arr) return Error(*n, key, "an array of tables ([[" + Key(key) + "]])");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& el = *arr->get(i);
      std::string k = std::string(key) + "[" + std::to_string(i) + "]";
      if (!el.is_table()) return Error(el, k, "a table");
      out.emplace_back(*el.as_table(), Key(k), file_);
    }
    return out;
  }

  // Every key of the table must have been asked for.
  Status Finish() const {
    for (const auto& [k, v] : table_) {
      if (seen_.count(std::string(k.str())) == 0) {
        return FieldError(*file_ + ":" + std::to_string(k.source().begin.line), Key(k.str()),
                          "a known key (see docs/formats/treaty-toml.md)", "an unknown key");
      }
    }
    return Status::Ok();
  }

  const toml::table& table() const { return table_; }

 private:
  const toml::table& table_;
  std::string path_;
  const std::string* file_;
  std::set<std::string> seen_;
};

Result<std::string> PartyCode(Reader& r, const toml::node& n, std::string_view key,
                              const std::string& name) {
  auto state = model::FindState(name);
  if (!state) return r.Error(n, key, "a state code (US RU CN FR GB IN PK IL KP) or name");
  return std::string(state->code);
}

bool ValidId(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Result<std::string> Id(Reader& r, std::string_view key = "id") {
  TALLY_ASSIGN_OR_RETURN(std::string id, r.String(key, true));
  if (!ValidId(id)) {
    return r.Error(*r.table().get(key), key, "an id of lower-case letters, digits, '-' and '_'");
  }
  return id;
}

Status ParseDates(Reader& r, Treaty& t) {
  TALLY_ASSIGN_OR_RETURN(auto signed_on, r.OptDate("signed"));
  if (!signed_on) return r.Missing("signed", "a date YYYY-MM-DD");
  t.dates.signed_on = *signed_on;
  TALLY_ASSIGN_OR_RETURN(t.dates.entry_into_force, r.OptDate("entry_into_force"));
  TALLY_ASSIGN_OR_RETURN(t.dates.limits_effective, r.OptDate("limits_effective"));
  TALLY_ASSIGN_OR_RETURN(t.dates.ended, r.OptDate("ended"));
  TALLY_ASSIGN_OR_RETURN(t.dates.end_reason, r.String("end_reason"));
  const TreatyDates& d = t.dates;
  auto order = [&](std::string_view key, Date later, Date earlier, std::string_view what) {
    return FieldError(
        r.Where(*r.table().get(key)), r.Key(key),
        std::string("a date on or after ") + std::string(what) + " (" + earlier.ToString() + ")",
        later.ToString());
  };
  if (d.entry_into_force && *d.entry_into_force < d.signed_on) {
    return order("entry_into_force", *d.entry_into_force, d.signed_on, "signature");
  }
  if (d.limits_effective) {
    if (!d.entry_into_force) {
      return r.Error(*r.table().get("limits_effective"), "limits_effective",
                     "no limits date for a treaty that never entered into force (no "
                     "entry_into_force)");
    }
    if (*d.limits_effective < *d.entry_into_force) {
      return order("limits_effective", *d.limits_effective, *d.entry_into_force,
                   "entry into force");
    }
  }
  if (d.ended) {
    Date after = d.entry_into_force ? *d.entry_into_force : d.signed_on;
    if (*d.ended <= after) {
      return FieldError(r.Where(*r.table().get("ended")), r.Key("ended"),
                        "a date after " +
                            std::string(d.entry_into_force ? "entry into force" : "signature") +
                            " (" + after.ToString() + ")",
                        d.ended->ToString());
    }
  }
  TALLY_ASSIGN_OR_RETURN(auto events, r.Tables("events"));
  for (Reader& e : events) {
    Event ev;
    TALLY_ASSIGN_OR_RETURN(auto date, e.OptDate("date"));
    if (!date) return e.Missing("date", "a date YYYY-MM-DD");
    ev.date = *date;
    TALLY_ASSIGN_OR_RETURN(ev.what, e.String("what", true));
    TALLY_ASSIGN_OR_RETURN(std::string party, e.String("party"));
    if (!party.empty()) {
      TALLY_ASSIGN_OR_RETURN(ev.party, PartyCode(e, *e.table().get("party"), "party", party));
    }
    TALLY_RETURN_IF_ERROR(e.Finish());
    t.dates.events.push_back(std::move(ev));
  }
  return r.Finish();
}

Status ParsePartyDates(Reader& r, Treaty& t) {
  PartyDates pd;
  TALLY_ASSIGN_OR_RETURN(std::string party, r.String("party", true));
  TALLY_ASSIGN_OR_RETURN(pd.party, PartyCode(r, *r.table().get("party"), "party", party));
  if (!t.HasParty(pd.party)) {
    return r.Error(*r.table().get("party"), "party", "one of the treaty's parties");
  }
  if (t.DatesFor(pd.party)) {
    return r.Error(*r.table().get("party"), "party", "a party not listed twice");
  }
  TALLY_ASSIGN_OR_RETURN(pd.signed_on, r.OptDate("signed"));
  TALLY_ASSIGN_OR_RETURN(pd.ratified, r.OptDate("ratified"));
  TALLY_ASSIGN_OR_RETURN(pd.entry_into_force, r.OptDate("entry_into_force"));
  TALLY_ASSIGN_OR_RETURN(pd.withdrawal_notice, r.OptDate("withdrawal_notice"));
  TALLY_ASSIGN_OR_RETURN(pd.withdrawn, r.OptDate("withdrawn"));
  TALLY_ASSIGN_OR_RETURN(pd.suspended, r.OptDate("suspended"));
  TALLY_ASSIGN_OR_RETURN(pd.note, r.String("note"));
  Date signed_on = pd.signed_on ? *pd.signed_on : t.dates.signed_on;
  auto before_signature = [&](std::string_view key, const std::optional<Date>& d) -> Status {
    if (d && *d < signed_on) {
      return FieldError(r.Where(*r.table().get(key)), r.Key(key),
                        "a date on or after signature (" + signed_on.ToString() + ")",
                        d->ToString());
    }
    return Status::Ok();
  };
  TALLY_RETURN_IF_ERROR(before_signature("ratified", pd.ratified));
  TALLY_RETURN_IF_ERROR(before_signature("entry_into_force", pd.entry_into_force));
  TALLY_RETURN_IF_ERROR(before_signature("withdrawal_notice", pd.withdrawal_notice));
  TALLY_RETURN_IF_ERROR(before_signature("withdrawn", pd.withdrawn));
  TALLY_RETURN_IF_ERROR(before_signature("suspended", pd.suspended));
  if (pd.withdrawal_notice && pd.withdrawn && *pd.withdrawn < *pd.withdrawal_notice) {
    return FieldError(
        r.Where(*r.table().get("withdrawn")), r.Key("withdrawn"),
        "a date on or after the withdrawal notice (" + pd.withdrawal_notice->ToString() + ")",
        pd.withdrawn->ToString());
  }
  TALLY_RETURN_IF_ERROR(r.Finish());
  t.party_dates.push_back(std::move(pd));
  return Status::Ok();
}

template <typename T, typename ParseFn>
Result<std::vector<T>> EnumList(Reader& r, std::string_view key, ParseFn parse,
                                std::string_view expected) {
  const toml::node* n = r.table().get(key);
  TALLY_ASSIGN_OR_RETURN(auto names, r.Strings(key));
  std::vector<T> out;
  for (size_t i = 0; i < names.size(); ++i) {
    auto v = parse(names[i]);
    if (!v) {
      return r.Error(*n->as_array()->get(i), std::string(key) + "[" + std::to_string(i) + "]",
                     expected);
    }
    out.push_back(*v);
  }
  return out;
}

Status ParseTerm(Reader& r, const Treaty& t, Term& term) {
  TALLY_ASSIGN_OR_RETURN(
      term.select.kinds,
      EnumList<model::ItemKind>(r, "kinds", model::ParseItemKind,
                                "an item kind (icbm slbm icbm_launcher slbm_launcher heavy_bomber "
                                "warhead glbm glcm ground_launcher)"));
  if (term.select.kinds.empty()) return r.Missing("kinds", "a non-empty array of item kinds");
  TALLY_ASSIGN_OR_RETURN(
      term.select.statuses,
      EnumList<model::ItemStatus>(r, "status", model::ParseItemStatus,
                                  "an item status (deployed non_deployed test converted "
                                  "eliminated)"));
  TALLY_ASSIGN_OR_RETURN(std::string equipment, r.String("equipment"));
  if (!equipment.empty()) {
    term.select.equipment = model::ParseEquipment(equipment);
    if (!term.select.equipment) {
      return r.Error(*r.table().get("equipment"), "equipment", "\"nuclear\" or \"conventional\"");
    }
  }
  TALLY_ASSIGN_OR_RETURN(term.select.systems, r.Strings("systems"));
  TALLY_ASSIGN_OR_RETURN(term.select.tags_all, r.Strings("tags"));
  TALLY_ASSIGN_OR_RETURN(term.select.tags_none, r.Strings("without_tags"));
  TALLY_ASSIGN_OR_RETURN(term.select.range_min_km, r.OptInt("range_min_km"));
  TALLY_ASSIGN_OR_RETURN(term.select.range_max_km, r.OptInt("range_max_km"));
  if (term.select.range_min_km && term.select.range_max_km &&
      *term.select.range_max_km < *term.select.range_min_km) {
    return r.Error(*r.table().get("range_max_km"), "range_max_km",
                   "a value >= range_min_km (" + std::to_string(*term.select.range_min_km) + ")");
  }
  const toml::node* value = r.Node("value");
  if (value) {
    if (auto i = value->as_integer(); i && i->get() >= 0) {
      term.value = TermValue::kFixed;
      term.fixed = i->get();
    } else if (value->is_string() && value->as_string()->get() == "one") {
      term.value = TermValue::kOne;
    } else if (value->is_string() && value->as_string()->get() == "capacity") {
      term.value = TermValue::kCapacity;
    } else {
      return r.Error(*value, "value", "\"one\", \"capacity\" or a non-negative integer");
    }
  }
  TALLY_ASSIGN_OR_RETURN(auto firsts, r.Tables("first"));
  for (Reader& f : firsts) {
    FirstItems fi;
    TALLY_ASSIGN_OR_RETURN(std::string party, f.String("party", true));
    TALLY_ASSIGN_OR_RETURN(fi.party, PartyCode(f, *f.table().get("party"), "party", party));
    if (!t.HasParty(fi.party)) {
      return f.Error(*f.table().get("party"), "party", "one of the treaty's parties");
    }
    TALLY_ASSIGN_OR_RETURN(auto count, f.OptInt("count"));
    TALLY_ASSIGN_OR_RETURN(auto each, f.OptInt("each"));
    if (!count) return f.Missing("count", "a non-negative integer");
    if (!each) return f.Missing("each", "a non-negative integer");
    fi.count = *count;
    fi.each = *each;
    TALLY_RETURN_IF_ERROR(f.Finish());
    term.first.push_back(std::move(fi));
  }
  TALLY_ASSIGN_OR_RETURN(term.only_under, r.Strings("only_under"));
  TALLY_ASSIGN_OR_RETURN(term.not_under, r.Strings("not_under"));
  auto check_interps = [&](std::string_view key, const std::vector<std::string>& ids) -> Status {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!t.FindInterpretation(ids[i])) {
        return r.Error(*r.table().get(key)->as_array()->get(i),
                       std::string(key) + "[" + std::to_string(i) + "]",
                       "an interpretation id defined in [[interpretations]]");
      }
    }
    return Status::Ok();
  };
  TALLY_RETURN_IF_ERROR(check_interps("only_under", term.only_under));
  TALLY_RETURN_IF_ERROR(check_interps("not_under", term.not_under));
  TALLY_ASSIGN_OR_RETURN(term.note, r.String("note"));
  return r.Finish();
}

Status ParseQuantity(Reader& r, Treaty& t) {
  Quantity q;
  TALLY_ASSIGN_OR_RETURN(q.id, Id(r));
  if (t.FindQuantity(q.id))
    return r.Error(*r.table().get("id"), "id", "a quantity id not used before");
  TALLY_ASSIGN_OR_RETURN(q.name, r.String("name", true));
  TALLY_ASSIGN_OR_RETURN(q.aliases, r.Strings("aliases"));
  TALLY_ASSIGN_OR_RETURN(q.note, r.String("note"));
  TALLY_ASSIGN_OR_RETURN(auto terms, r.Tables("terms"));
  for (Reader& tr : terms) {
    Term term;
    TALLY_RETURN_IF_ERROR(ParseTerm(tr, t, term));
    q.terms.push_back(std::move(term));
  }
  TALLY_RETURN_IF_ERROR(r.Finish());
  t.quantities.push_back(std::move(q));
  return Status::Ok();
}

Status ParseLimit(Reader& r, Treaty& t) {
  Limit l;
  TALLY_ASSIGN_OR_RETURN(l.id, Id(r));
  for (const Limit& other : t.limits) {
    if (other.id == l.id) return r.Error(*r.table().get("id"), "id", "a limit id not used before");
  }
  TALLY_ASSIGN_OR_RETURN(l.quantity, r.String("quantity", true));
  if (!t.FindQuantity(l.quantity)) {
    return r.Error(*r.table().get("quantity"), "quantity",
                   "the id of a quantity defined in [[quantities]] above");
  }
  TALLY_ASSIGN_OR_RETURN(l.name, r.String("name", true));
  TALLY_ASSIGN_OR_RETURN(auto prohibition, r.OptBool("prohibition"));
  l.prohibition = prohibition.value_or(false);
  TALLY_ASSIGN_OR_RETURN(l.max, r.OptInt("max"));
  TALLY_ASSIGN_OR_RETURN(l.band_low, r.OptInt("band_low"));
  TALLY_ASSIGN_OR_RETURN(l.effective, r.OptDate("effective"));
  TALLY_ASSIGN_OR_RETURN(l.until, r.OptDate("until"));
  TALLY_ASSIGN_OR_RETURN(l.note, r.String("note"));
  TALLY_ASSIGN_OR_RETURN(auto per_party, r.OptTable("per_party"));
  if (per_party) {
    for (const auto& [k, v] : per_party->table()) {
      std::string key(k.str());
      per_party->Node(key);
      auto state = model::FindState(key);
      if (!state || !t.HasParty(state->code)) {
        return FieldError(per_party->Where(v), per_party->Key(key), "one of the treaty's parties",
                          "\"" + key + "\"");
      }
      auto i = v.as_integer();
      if (!i || i->get() < 0) return per_party->Error(v, key, "a non-negative integer");
      l.per_party.push_back(PartyLimit{std::string(state->code), i->get()});
    }
  }
  if (l.prohibition) {
    if (l.max && *l.max != 0) {
      return r.Error(*r.table().get("max"), "max", "0 (or no max) for a prohibition");
    }
    l.max = 0;
  }
  if (!l.max && l.per_party.empty()) return r.Missing("max", "a non-negative integer");
  if (l.band_low && l.max && *l.band_low > *l.max) {
    return r.Error(*r.table().get("band_low"), "band_low",
                   "a value <= max (" + std::to_string(*l.max) + ")");
  }
  if (l.effective && l.until && *l.until <= *l.effective) {
    return r.Error(*r.table().get("until"), "until",
                   "a date after effective (" + l.effective->ToString() + ")");
  }
  TALLY_RETURN_IF_ERROR(r.Finish());
  t.limits.push_back(std::move(l));
  return Status::Ok();
}

Status ParseInterpretation(Reader& r, Treaty& t) {
  Interpretation i;
  TALLY_ASSIGN_OR_RETURN(i.id, Id(r));
  if (t.FindInterpretation(i.id)) {
    return r.Error(*r.table().get("id"), "id", "an interpretation id not used before");
  }
  TALLY_ASSIGN_OR_RETURN(i.name, r.String("name", true));
  TALLY_ASSIGN_OR_RETURN(i.held_by, r.String("held_by"));
  TALLY_ASSIGN_OR_RETURN(i.description, r.String("description"));
  TALLY_ASSIGN_OR_RETURN(auto is_default, r.OptBool("default"));
  i.is_default = is_default.value_or(false);
  if (i.is_default) {
    for (const Interpretation& other : t.interpretations) {
      if (other.is_default) {
        return r.Error(*r.table().get("default"), "default",
                       "one default interpretation (already: " + other.id + ")");
      }
    }
  }
  TALLY_RETURN_IF_ERROR(r.Finish());
  t.interpretations.push_back(std::move(i));
  return Status::Ok();
}

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
  TALLY_ASSIGN_OR_RETURN(auto per_party, ir.OptTable("per_party"));
  if (per_party) {
    for (const auto& [k, v] : per_party->table()) {
      std::string key(k.str());
      per_party->Node(key);
      auto state = model::FindState(key);
      if (!state || !t.HasParty(state->code)) {
        return FieldError(per_party->Where(v), per_party->Key(key), "one of the treaty's parties",
                          "\"" + key + "\"");
      }
      auto i = v.as_integer();
      if (!i || i->get() < 0) return per_party->Error(v, key, "a non-negative integer");
      it.per_party.push_back(InspectionQuota{std::string(state->code), i->get()});
    }
  }
  return Status::Ok();
}

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
    const toml::node& trigger_node = *sr.table().get("trigger");
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
    const toml::node& scope_node = *sr.table().get("open");
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

Result<Treaty> ParseDocument(const toml::table& root, const std::string& name) {
  Treaty t;
  t.file = name;
  Reader r(root, "", &name);
  TALLY_ASSIGN_OR_RETURN(t.id, Id(r));
  TALLY_ASSIGN_OR_RETURN(t.name, r.String("name", true));
  TALLY_ASSIGN_OR_RETURN(t.full_name, r.String("full_name"));
  TALLY_ASSIGN_OR_RETURN(auto hypothetical, r.OptBool("hypothetical"));
  t.hypothetical = hypothetical.value_or(false);
  TALLY_ASSIGN_OR_RETURN(auto parties, r.Strings("parties"));
  if (parties.size() < 2) return r.Missing("parties", "an array of at least two parties");
  for (size_t i = 0; i < parties.size(); ++i) {
    const toml::node& n = *root.get("parties")->as_array()->get(i);
    TALLY_ASSIGN_OR_RETURN(std::string code,
                           PartyCode(r, n, "parties[" + std::to_string(i) + "]", parties[i]));
    if (t.HasParty(code)) {
      return r.Error(n, "parties[" + std::to_string(i) + "]", "a party not listed twice");
    }
    t.parties.push_back(code);
  }
  TALLY_ASSIGN_OR_RETURN(t.sources, r.Strings("sources"));
  TALLY_ASSIGN_OR_RETURN(t.notes, r.String("notes"));

  TALLY_ASSIGN_OR_RETURN(auto dates, r.OptTable("dates"));
  if (!dates) return r.Missing("dates", "a [dates] table");
  TALLY_RETURN_IF_ERROR(ParseDates(*dates, t));
  TALLY_ASSIGN_OR_RETURN(auto party_dates, r.Tables("party_dates"));
  for (Reader& pr : party_dates) TALLY_RETURN_IF_ERROR(ParsePartyDates(pr, t));
  // Interpretations before quantities: terms name them.
  TALLY_ASSIGN_OR_RETURN(auto interpretations, r.Tables("interpretations"));
  for (Reader& ir : interpretations) TALLY_RETURN_IF_ERROR(ParseInterpretation(ir, t));
  TALLY_ASSIGN_OR_RETURN(auto quantities, r.Tables("quantities"));
  for (Reader& qr : quantities) TALLY_RETURN_IF_ERROR(ParseQuantity(qr, t));
  TALLY_ASSIGN_OR_RETURN(auto limits, r.Tables("limits"));
  for (Reader& lr : limits) TALLY_RETURN_IF_ERROR(ParseLimit(lr, t));
  for (const Limit& l : t.limits) {
    if (l.effective && l.effective < t.dates.signed_on) {
      return FieldError(r.Here(), "limits." + l.id + ".effective",
                        "a date on or after signature (" + t.dates.signed_on.ToString() + ")",
                        l.effective->ToString());
    }
  }
  TALLY_ASSIGN_OR_RETURN(auto regime, r.OptTable("regime"));
  if (regime) TALLY_RETURN_IF_ERROR(ParseRegime(*regime, t));
  TALLY_ASSIGN_OR_RETURN(auto escrow, r.OptTable("escrow"));
  if (escrow) TALLY_RETURN_IF_ERROR(ParseOpeningPolicy(*escrow, t));
  TALLY_RETURN_IF_ERROR(r.Finish());
  return t;
}

}  // namespace

Result<Treaty> ParseTreatyToml(std::string_view text, const std::string& name) {
  try {
    toml::table root = toml::parse(text, name);
    return ParseDocument(root, name);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(name + ":" + std::to_string(e.source().begin.line) +
                           ": invalid TOML: " + std::string(e.description()));
  } catch (const std::exception& e) {
    return InvalidArgument(name + ": invalid treaty file: " + e.what());
  }
}

Result<Treaty> LoadTreatyFile(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseTreatyToml(text, path);
}

}  // namespace tally::treaty
