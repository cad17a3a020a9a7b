// `tally treaty list|show`: the treaties tally knows (data/treaties/, plus --treaty-file), their
// dates, status, limits, counting rules, interpretations and verification regime.
#include <algorithm>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/treaty/treaty_json.h"
#include "tally/treaty/treaty_set.h"
#include "tally/treaty/treaty_status.h"

namespace tally::cli {

// The default treaties plus those loaded with --treaty-file (also used by check_command.cc).
Result<treaty::TreatySet> LoadTreatiesForCli(const std::vector<std::string>& treaty_files);

namespace {

using treaty::Treaty;

struct TreatyArgs {
  std::string id;
  std::string date;
  std::vector<std::string> treaty_files;
  bool json = false;
};

// Today in UTC, the default date of "status today".
Date TodayUtc() {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
  return Date::FromDays(days);
}

Result<Date> DateFlag(const std::string& text) {
  if (text.empty()) return TodayUtc();
  auto d = Date::ParseFlag("--date", text);
  if (!d) return d.error();
  return d;
}

std::string Or(const std::optional<Date>& d, const char* none) {
  return d ? d->ToString() : std::string(none);
}

std::string Join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

int RunList(Context& ctx, const TreatyArgs& a) {
  auto set = LoadTreatiesForCli(a.treaty_files);
  if (!set) return Fail(ctx, set.error());
  auto date = DateFlag(a.date);
  if (!date) return Fail(ctx, date.error());
  std::vector<const Treaty*> all = set->All();
  if (a.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Treaty* t : all) list.push_back(treaty::TreatySummaryToJson(*t, *date));
    *ctx.out << nlohmann::json{{"date", date->ToString()}, {"treaties", list}}.dump(2) << "\n";
    return kExitOk;
  }
  TextTable table(
      {"id", "name", "parties", "signed", "in force", "ended", "status " + date->ToString()});
  for (const Treaty* t : all) {
    treaty::TreatyStatus s = treaty::StatusAt(*t, *date);
    table.AddRow({t->id, t->name + (t->hypothetical ? " *" : ""), Join(t->parties, " "),
                  t->dates.signed_on.ToString(), Or(t->dates.entry_into_force, "never"),
                  Or(t->dates.ended, "—"), std::string(treaty::TreatyStateName(s.state))});
  }
  table.Print(*ctx.out);
  bool any_hypothetical = false;
  for (const Treaty* t : all) any_hypothetical = any_hypothetical || t->hypothetical;
  if (any_hypothetical) *ctx.out << "* hypothetical: an example, not a real treaty\n";
  return kExitOk;
}

std::string TermText(const treaty::Term& term) {
  std::vector<std::string> parts;
  std::vector<std::string> kinds, statuses;
  for (auto k : term.select.kinds) kinds.emplace_back(model::ItemKindName(k));
  for (auto s : term.select.statuses) statuses.emplace_back(model::ItemStatusName(s));
  std::string s = Join(kinds, "+");
  if (!statuses.empty()) s += " [" + Join(statuses, "|") + "]";
  if (term.select.equipment) s += " " + std::string(model::EquipmentName(*term.select.equipment));
  if (!term.select.systems.empty()) s += " systems " + Join(term.select.systems, "|");
  if (!term.select.tags_all.empty()) s += " tagged " + Join(term.select.tags_all, "+");
  if (!term.select.tags_none.empty()) s += " not tagged " + Join(term.select.tags_none, "|");
  if (term.select.range_min_km || term.select.range_max_km) {
    s += " range " + (term.select.range_min_km ? std::to_string(*term.select.range_min_km) : "") +
         "–" + (term.select.range_max_km ? std::to_string(*term.select.range_max_km) : "") + " km";
  }
  switch (term.value) {
    case treaty::TermValue::kOne:
      s += " × 1";
      break;
    case treaty::TermValue::kCapacity:
      s += " × capacity";
      break;
    case treaty::TermValue::kFixed:
      s += " × " + std::to_string(term.fixed);
      break;
  }
  for (const auto& f : term.first) {
    s += "; first " + std::to_string(f.count) + " of " + f.party + " × " + std::to_string(f.each);
  }
  if (!term.only_under.empty()) s += "  (only under " + Join(term.only_under) + ")";
  if (!term.not_under.empty()) s += "  (not under " + Join(term.not_under) + ")";
  return s;
}

// Aligned "key  value" lines without a header, for the facts at the top of `treaty show`.
class Facts {
 public:
  void AddRow(std::vector<std::string> row) { rows_.push_back({row.at(0), row.at(1)}); }
  void Print(std::ostream& out) const {
    size_t width = 0;
    for (const auto& [k, v] : rows_) width = std::max(width, k.size());
    for (const auto& [k, v] : rows_)
      out << k << std::string(width - k.size() + 2, ' ') << v << "\n";
  }

 private:
  std::vector<std::pair<std::string, std::string>> rows_;
};

int RunShow(Context& ctx, const TreatyArgs& a) {
  auto set = LoadTreatiesForCli(a.treaty_files);
  if (!set) return Fail(ctx, set.error());
  auto got = set->Get(a.id);
  if (!got) {
    return Fail(ctx, Status(StatusCode::kInvalidArgument, "treaty show: " + got.error().message()));
  }
  const Treaty& t = **got;
  auto date = DateFlag(a.date);
  if (!date) return Fail(ctx, date.error());
  if (a.json) {
    nlohmann::json j = treaty::TreatyToJson(t);
    j["status"] = treaty::TreatyStatusToJson(treaty::StatusAt(t, *date));
    j["status"]["date"] = date->ToString();
    nlohmann::json per_party = nlohmann::json::object();
    for (const std::string& party : t.parties) {
      per_party[party] = treaty::TreatyStatusToJson(treaty::StatusAt(t, *date, party));
    }
    j["status"]["parties"] = per_party;
    *ctx.out << j.dump(2) << "\n";
    return kExitOk;
  }
  std::ostream& out = *ctx.out;
  const bool says_so = t.name.find("hypothetical") != std::string::npos;
  out << t.name << (t.hypothetical && !says_so ? " (HYPOTHETICAL)" : "") << "\n";
  if (!t.full_name.empty()) out << t.full_name << "\n";
  out << "\n";
  treaty::TreatyStatus s = treaty::StatusAt(t, *date);
  Facts facts;
  facts.AddRow({"id", t.id});
  facts.AddRow({"parties", Join(t.parties)});
  facts.AddRow({"signed", t.dates.signed_on.ToString()});
  facts.AddRow({"entry into force", Or(t.dates.entry_into_force, "never")});
  facts.AddRow({"limits effective", t.LimitsEffective() ? t.LimitsEffective()->ToString() : "—"});
  facts.AddRow({"ended", Or(t.dates.ended, "—") +
                             (t.dates.end_reason.empty() ? "" : " — " + t.dates.end_reason)});
  facts.AddRow({"status " + date->ToString(),
                std::string(treaty::TreatyStateName(s.state)) + ": " + s.reason});
  for (const std::string& party : t.parties) {
    treaty::TreatyStatus ps = treaty::StatusAt(t, *date, party);
    facts.AddRow(
        {"  for " + party, std::string(treaty::TreatyStateName(ps.state)) + ": " + ps.reason});
  }
  facts.AddRow({"file", t.file});
  facts.Print(out);

  if (!t.party_dates.empty()) {
    out << "\nDates per party\n";
    TextTable pd({"party", "signed", "ratified", "in force", "withdrawal notice", "withdrawn",
                  "suspended", "note"});
    for (const auto& p : t.party_dates) {
      pd.AddRow({p.party, Or(p.signed_on, "—"), Or(p.ratified, "—"), Or(p.entry_into_force, "—"),
                 Or(p.withdrawal_notice, "—"), Or(p.withdrawn, "—"), Or(p.suspended, "—"), p.note});
    }
    pd.Print(out);
  }
  if (!t.dates.events.empty()) {
    out << "\nEvents\n";
    TextTable ev({"date", "party", "what"});
    for (const auto& e : t.dates.events) ev.AddRow({e.date.ToString(), e.party, e.what});
    ev.Print(out);
  }
  out << "\nLimits\n";
  TextTable lim({"id", "quantity", "limit>", "effective", "until", "note"});
  for (const auto& l : t.limits) {
    std::string limit = l.prohibition ? "banned" : l.max ? WithThousands(*l.max) : "";
    for (const auto& p : l.per_party) {
      limit += (limit.empty() ? "" : ", ") + p.party + " " + WithThousands(p.max);
    }
    if (l.band_low && l.max) limit = WithThousands(*l.band_low) + "–" + limit;
    std::optional<Date> from = l.effective ? l.effective : t.LimitsEffective();
    lim.AddRow({l.id, l.quantity, limit, Or(from, "—"), Or(l.until, "—"),
                l.note.empty() ? l.name : l.name + " (" + l.note + ")"});
  }
  lim.Print(out);
  out << "\nCounting rules\n";
  for (const auto& q : t.quantities) {
    out << "  " << q.id << ": " << q.name;
    if (!q.aliases.empty()) out << " (also: " << Join(q.aliases) << ")";
    out << "\n";
    if (q.terms.empty()) out << "      from declared aggregates only\n";
    for (const auto& term : q.terms) out << "    + " << TermText(term) << "\n";
    if (!q.note.empty()) out << "      " << q.note << "\n";
  }
  if (!t.interpretations.empty()) {
    out << "\nInterpretations (--interpretation)\n";
    TextTable it({"id", "name", "held by", "description"});
    for (const auto& i : t.interpretations) {
      it.AddRow({i.id + (i.is_default ? " (default)" : ""), i.name, i.held_by, i.description});
    }
    it.Print(out);
    for (const auto& i : t.interpretations) {
      if (i.disputed_items.empty()) continue;
      out << "  " << i.id << ": declared aggregates re-counted with data/" << i.disputed_items
          << " (tally check --aggregates FILE --interpretation " << i.id << ")\n";
    }
  }
  out << "\nVerification regime\n";
  out << "  " << (t.regime.verification ? "" : "NO VERIFICATION PROVISIONS. ") << t.regime.summary
      << "\n";
  if (!t.regime.channel.empty()) out << "  channel: " << t.regime.channel << "\n";
  if (!t.regime.inspections.empty()) {
    TextTable in({"inspection", "name", "per year>", "designates", "from", "sites"});
    for (const auto& i : t.regime.inspections) {
      std::string quota = i.per_year ? std::to_string(i.per_year) : "—";
      for (const auto& q : i.per_party) quota += ", " + q.party + " " + std::to_string(q.per_year);
      std::string designates =
          i.items_per_inspection ? std::to_string(i.items_per_inspection) + " item(s)" : "site";
      std::string from =
          i.begins_days_after_entry_into_force
              ? "EIF + " + std::to_string(i.begins_days_after_entry_into_force) + " d"
              : "EIF";
      in.AddRow({i.id, i.name, quota, designates, from, i.sites});
    }
    in.Print(out);
  }
  if (t.regime.data_exchange) {
    const auto& d = *t.regime.data_exchange;
    out << "  data exchanges: data as of " << Join(d.as_of) << ", due within " << d.due_within_days
        << " days";
    if (d.initial_due_days_after_entry_into_force) {
      out << "; initial data due " << *d.initial_due_days_after_entry_into_force
          << " days after entry into force";
    }
    out << "\n";
  }
  for (const auto& n : t.regime.notifications) {
    out << "  notification " << n.id << ": " << n.name << ", due within " << n.due_within_days
        << " days" << (n.note.empty() ? "" : " (" + n.note + ")") << "\n";
  }
  if (t.opening) {
    out << "\nOpening policy (declarations under escrow)\n";
    if (!t.opening->summary.empty()) out << "  " << t.opening->summary << "\n";
    TextTable op({"stage", "name", "trigger", "due within (days)>", "opens"});
    for (const auto& st : t.opening->stages) {
      std::string opens(treaty::OpeningScopeName(st.scope));
      if (!st.categories.empty()) opens += ": " + Join(st.categories);
      op.AddRow({st.id, st.name, std::string(treaty::OpeningTriggerName(st.trigger)),
                 std::to_string(st.within_days), opens});
    }
    op.Print(out);
  }
  if (!t.notes.empty()) out << "\nNotes\n" << t.notes << (t.notes.back() == '\n' ? "" : "\n");
  if (!t.sources.empty()) {
    out << "\nSources\n";
    for (const auto& src : t.sources) out << "  - " << src << "\n";
  }
  return kExitOk;
}

}  // namespace

Result<treaty::TreatySet> LoadTreatiesForCli(const std::vector<std::string>& treaty_files) {
  TALLY_ASSIGN_OR_RETURN(treaty::TreatySet set, treaty::LoadDefaultTreaties());
  for (const std::string& path : treaty_files) {
    Status s = set.AddFile(path);
    // A missing file is bad input here, not an internal failure.
    if (!s.ok()) return Status(StatusCode::kInvalidArgument, s.message());
  }
  return set;
}

void AddTreatyCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("treaty", "Treaties as data: list them, show one");
  cmd->require_subcommand(1);

  auto list_args = std::make_shared<TreatyArgs>();
  auto* list = cmd->add_subcommand("list", "Every treaty: parties, dates, status at a date");
  list->add_option("--date", list_args->date, "Status at this date (YYYY-MM-DD; default today)");
  list->add_option("--treaty-file", list_args->treaty_files,
                   "Also load this treaty TOML file (repeatable)");
  list->add_flag("--json", list_args->json, "One JSON document on stdout");
  list->callback([&ctx, list_args] { RunList(ctx, *list_args); });

  auto show_args = std::make_shared<TreatyArgs>();
  auto* show = cmd->add_subcommand(
      "show", "One treaty in full: dates per party, limits, counting rules, regime");
  show->add_option("id", show_args->id, "Treaty id (see `tally treaty list`)")->required();
  show->add_option("--date", show_args->date, "Status at this date (YYYY-MM-DD; default today)");
  show->add_option("--treaty-file", show_args->treaty_files,
                   "Also load this treaty TOML file (repeatable)");
  show->add_flag("--json", show_args->json, "One JSON document on stdout");
  show->callback([&ctx, show_args] { RunShow(ctx, *show_args); });
}

}  // namespace tally::cli
