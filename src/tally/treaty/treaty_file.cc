#include "tally/treaty/treaty_file.h"

#include <algorithm>
#include <exception>
#include <set>

#include "tally/base/file.h"
#include "tally/data/embedded.h"
#include "tally/model/state.h"
#include "tally/treaty/regime_file.h"
#include "tally/treaty/toml_reader.h"

namespace tally::treaty {
namespace {

using toml_detail::EnumList;
using toml_detail::Id;
using toml_detail::ParseOpeningPolicy;
using toml_detail::ParseRegime;
using toml_detail::PartyCode;
using toml_detail::PartyIntegers;
using toml_detail::Reader;

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
  const ::toml::node* value = r.Node("value");
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
  TALLY_ASSIGN_OR_RETURN(auto per_party, PartyIntegers(r, "per_party", t.parties));
  for (auto& [party, max] : per_party) l.per_party.push_back(PartyLimit{party, max});
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
  TALLY_ASSIGN_OR_RETURN(auto disputed, r.OptString("disputed_items"));
  if (disputed) {
    if (!data::EmbeddedFile(*disputed)) {
      return r.Error(*r.table().get("disputed_items"), "disputed_items",
                     "the path under data/ of a record compiled into tally "
                     "(e.g. \"new_start/disputed_items.csv\")");
    }
    i.disputed_items = *disputed;
  }
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

Result<Treaty> ParseDocument(const ::toml::table& root, const std::string& name) {
  Treaty t;
  t.file = name;
  Reader r(root, "", &name, toml_detail::kTreatyFormatDoc);
  TALLY_ASSIGN_OR_RETURN(t.id, Id(r));
  TALLY_ASSIGN_OR_RETURN(t.name, r.String("name", true));
  TALLY_ASSIGN_OR_RETURN(t.full_name, r.String("full_name"));
  TALLY_ASSIGN_OR_RETURN(auto hypothetical, r.OptBool("hypothetical"));
  t.hypothetical = hypothetical.value_or(false);
  TALLY_ASSIGN_OR_RETURN(auto parties, r.Strings("parties"));
  if (parties.size() < 2) return r.Missing("parties", "an array of at least two parties");
  for (size_t i = 0; i < parties.size(); ++i) {
    const ::toml::node& n = *root.get("parties")->as_array()->get(i);
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
  TALLY_ASSIGN_OR_RETURN(::toml::table root, ::tally::toml::Parse(text, name));
  return ParseDocument(root, name);
}

Result<Treaty> LoadTreatyFile(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseTreatyToml(text, path);
}

}  // namespace tally::treaty
