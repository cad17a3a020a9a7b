// `tally check`: a posture, an item-level inventory or the New START aggregate table against a
// treaty, at each row's own date or at --date. Exit 0 when nothing is violated (compliant, not in
// force, limits not yet effective, no data), 1 on a violation, 2 on bad input.
#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/model/state.h"
#include "tally/treaty/by_type_file.h"
#include "tally/treaty/check.h"
#include "tally/treaty/counting.h"
#include "tally/treaty/disputed_items.h"
#include "tally/treaty/inventory_file.h"
#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_json.h"
#include "tally/treaty/treaty_set.h"

namespace tally::cli {

// Defined in treaty_command.cc: the default treaties plus --treaty-file ones.
Result<treaty::TreatySet> LoadTreatiesForCli(const std::vector<std::string>& treaty_files);

namespace {

struct CheckArgs {
  std::string treaty;
  std::string posture, inventory, aggregates, by_type;
  std::string date, party, interpretation, disputed;
  std::vector<std::string> treaty_files;
  bool json = false;
};

Status Bad(std::string message) { return InvalidArgument(std::move(message)); }

// A file's text, or stdin for "-". A file that cannot be read is bad input (exit 2).
Result<std::string> ReadInput(Context& ctx, const std::string& path) {
  if (path == "-") {
    std::string text((std::istreambuf_iterator<char>(*ctx.in)), std::istreambuf_iterator<char>());
    return text;
  }
  auto text = ReadFile(path);
  if (!text) return Bad(text.error().message());
  return text;
}

std::string Signed(int64_t v) { return (v > 0 ? "+" : "") + WithThousands(v); }

std::string Opt(const std::optional<int64_t>& v) {
  return v ? WithThousands(*v) : std::string("not provided");
}

// What a re-count changed, one line per quantity, then the records and the groups without one.
void PrintRecount(std::ostream& out, const treaty::RecountedPosture& r) {
  if (r.changes.empty() && r.unknown_groups.empty()) {
    out << "re-count: nothing on record changes these counts\n";
    return;
  }
  for (const auto& c : r.changes) {
    out << "re-count: " << c.quantity << " " << Opt(c.declared) << " declared, "
        << (c.added ? Signed(*c.added) : std::string("unknown")) << " disputed, "
        << Opt(c.recounted) << " re-counted\n";
  }
  for (const auto* rec : r.in_effect) {
    out << "  " << WithThousands(rec->count) << " " << rec->Group() << ", record of "
        << rec->as_of.ToString() << " (" << rec->where << ", " << rec->confidence << ")\n";
  }
  for (const auto& g : r.unknown_groups) out << "  no record yet: " << g << "\n";
}

// The re-count cell of a batch row: "launchers +101 (3 groups, records to 2018-09-01)".
std::string RecountCell(const treaty::RecountedPosture& r) {
  if (r.changes.empty()) return "—";
  std::string cell;
  for (const auto& c : r.changes) {
    if (!cell.empty()) cell += "; ";
    cell += c.quantity + " " + (c.added ? Signed(*c.added) : std::string("unknown"));
  }
  const size_t groups = r.in_effect.size() + r.unknown_groups.size();
  if (!r.unknown_groups.empty()) {
    return cell + " (" + std::to_string(r.unknown_groups.size()) + " of " + std::to_string(groups) +
           " groups not yet on record)";
  }
  Date latest = r.in_effect.empty() ? r.posture.as_of : r.in_effect.front()->as_of;
  for (const auto* rec : r.in_effect) latest = std::max(latest, rec->as_of);
  return cell + " (" + std::to_string(groups) + " groups, records to " + latest.ToString() + ")";
}

// "deployed_delivery_vehicles 675 = 675; launchers 800 = 800", "launchers 812 ≠ 800 (+12)".
std::string ComparisonCell(const std::vector<treaty::AggregateComparison>& cmp) {
  if (cmp.empty()) return "—";
  std::string cell;
  for (const auto& c : cmp) {
    if (!cell.empty()) cell += "; ";
    cell += c.quantity + " " + WithThousands(c.by_type);
    if (!c.declared) {
      cell += " (no aggregate)";
    } else if (c.agrees()) {
      cell += " = " + WithThousands(*c.declared);
    } else {
      cell += " ≠ " + WithThousands(*c.declared) + " (" + Signed(c.by_type - *c.declared) + ")";
    }
  }
  return cell;
}

void PrintOne(std::ostream& out, const treaty::CheckResult& r,
              const treaty::RecountedPosture* recount) {
  out << r.party << " at " << r.date.ToString() << " under " << r.treaty_id << ": "
      << treaty::VerdictName(r.verdict) << " — " << r.reason << "\n";
  if (!r.source.empty()) out << "source: " << r.source << "\n";
  if (recount) PrintRecount(out, *recount);
  if (r.limits.empty()) return;
  TextTable t({"limit", "counted>", "limit>", "margin>", "ok", "in effect"});
  for (const auto& l : r.limits) {
    t.AddRow({l.limit->name, l.counted ? WithThousands(*l.counted) : "not provided",
              WithThousands(l.max), l.margin ? Signed(*l.margin) : "—",
              l.ok ? (*l.ok ? "yes" : "NO") : "—", l.effective ? "yes" : "no"});
  }
  t.Print(out);
}

// Extra columns after the status: a header and one cell per result.
using Column = std::pair<std::string, std::vector<std::string>>;

void PrintMany(std::ostream& out, const treaty::Treaty& t,
               const std::vector<treaty::CheckResult>& rs, const std::vector<Column>& extra) {
  std::vector<std::string> header = {"as of", "party"};
  for (const auto& l : t.limits) header.push_back(l.id + ">");
  header.push_back("status");
  for (const auto& column : extra) header.push_back(column.first);
  TextTable table(header);
  for (size_t i = 0; i < rs.size(); ++i) {
    const auto& r = rs[i];
    std::vector<std::string> row = {r.date.ToString(), r.party};
    for (const auto& l : t.limits) {
      std::string cell = "—";
      for (const auto& lr : r.limits) {
        if (lr.limit != &l) continue;
        cell = lr.counted ? WithThousands(*lr.counted) + " (" + Signed(*lr.margin) + ")"
                          : std::string("not provided");
      }
      row.push_back(cell);
    }
    row.push_back(std::string(treaty::VerdictName(r.verdict)));
    for (const auto& column : extra) row.push_back(column.second[i]);
    table.AddRow(row);
  }
  table.Print(out);
  out << "cells: counted (margin to the limit:";
  for (const auto& l : t.limits) {
    out << " " << l.id << " " << (l.max ? WithThousands(*l.max) : std::string("per party"));
  }
  out << ")\n";
}

int Run(Context& ctx, const CheckArgs& a) {
  int inputs =
      !a.posture.empty() + !a.inventory.empty() + !a.aggregates.empty() + !a.by_type.empty();
  if (inputs != 1) {
    return Fail(ctx,
                Bad("check: give exactly one of --posture, --inventory, --aggregates, --by-type"));
  }
  auto set = LoadTreatiesForCli(a.treaty_files);
  if (!set) return Fail(ctx, set.error());
  auto found = set->Get(a.treaty);
  if (!found) return Fail(ctx, Bad(found.error().message()));
  const treaty::Treaty& t = **found;

  std::optional<Date> date;
  if (!a.date.empty()) {
    auto d = Date::ParseFlag("--date", a.date);
    if (!d) return Fail(ctx, d.error());
    date = *d;
  }
  std::string party;
  if (!a.party.empty()) {
    auto state = model::FindState(a.party);
    if (!state) {
      return Fail(ctx, FieldError("--party", "party", model::StateCodeExpectation(a.party),
                                  QuoteText(a.party)));
    }
    party = std::string(state->code);
  }
  auto interpretation = treaty::ResolveInterpretation(t, a.interpretation);
  if (!interpretation) return Fail(ctx, Bad(interpretation.error().message()));

  std::vector<model::Posture> postures;
  std::optional<treaty::ByTypeTable> by_type_table;  // owns the rows `by_type` points into
  std::vector<treaty::ByTypeSums> by_type;
  if (!a.inventory.empty()) {
    auto text = ReadInput(ctx, a.inventory);
    if (!text) return Fail(ctx, text.error());
    auto inv = treaty::ParseInventory(*text, a.inventory == "-" ? "<stdin>" : a.inventory, date);
    if (!inv) return Fail(ctx, inv.error());
    if (!party.empty()) {
      auto p = treaty::CountInventory(t, *inv, party, *interpretation);
      if (!p) return Fail(ctx, Bad(p.error().message()));
      postures.push_back(std::move(*p));
    } else {
      auto ps = treaty::CountInventoryByParty(t, *inv, *interpretation);
      if (!ps) return Fail(ctx, Bad(ps.error().message()));
      postures = std::move(*ps);
    }
  } else if (!a.by_type.empty()) {
    auto text = ReadInput(ctx, a.by_type);
    if (!text) return Fail(ctx, text.error());
    auto table = treaty::ParseByTypeCsv(*text, a.by_type == "-" ? "<stdin>" : a.by_type);
    if (!table) return Fail(ctx, table.error());
    by_type_table = std::move(*table);
    for (auto& sums : treaty::SumByType(*by_type_table)) {
      if (party.empty() || sums.posture.party == party) by_type.push_back(std::move(sums));
    }
    for (const auto& sums : by_type) postures.push_back(sums.posture);
    Status known = treaty::RequireKnownQuantities(t, postures);
    if (!known.ok()) {
      return Fail(ctx, Bad(known.message() + " (per-type tables are New START's: --treaty "
                                             "new-start)"));
    }
  } else {
    const std::string& path = a.posture.empty() ? a.aggregates : a.posture;
    auto text = ReadInput(ctx, path);
    if (!text) return Fail(ctx, text.error());
    auto ps = treaty::ParsePostures(*text, path == "-" ? "<stdin>" : path);
    if (!ps) return Fail(ctx, ps.error());
    Status known = treaty::RequireKnownQuantities(t, *ps);
    if (!known.ok()) return Fail(ctx, known);
    for (auto& p : *ps) {
      if (party.empty() || p.party == party) postures.push_back(std::move(p));
    }
  }
  if (!a.disputed.empty() && (a.interpretation.empty() || !a.inventory.empty())) {
    return Fail(ctx, Bad("check: --disputed re-counts declared aggregates (--posture or "
                         "--aggregates) under an --interpretation; give both"));
  }
  // Declared aggregates are counted under the treaty's default reading; another reading
  // re-counts them with its record of disputed items, when there is one.
  std::optional<treaty::DisputedItems> disputed;
  std::vector<treaty::RecountedPosture> recounts;
  const treaty::Interpretation* chosen = t.FindInterpretation(*interpretation);
  const treaty::Interpretation* by_default = t.DefaultInterpretation();
  if (a.inventory.empty() && !a.interpretation.empty()) {
    if (chosen == by_default) {
      *ctx.err << "tally: note: declared aggregates are counted under the default "
                  "interpretation ("
               << *interpretation << "); nothing to re-count\n";
    } else if (!a.disputed.empty()) {
      auto d = treaty::LoadDisputedItems(a.disputed);
      if (!d) return Fail(ctx, Bad(d.error().message()));
      disputed = std::move(*d);
    } else if (chosen != nullptr && !chosen->disputed_items.empty()) {
      auto d = treaty::EmbeddedDisputedItems(chosen->disputed_items);
      if (!d) return Fail(ctx, d.error());
      disputed = std::move(*d);
    } else {
      *ctx.err << "tally: note: interpretation " << *interpretation
               << " has no record of disputed items (--disputed FILE); declared aggregates are "
                  "checked as given\n";
    }
  }
  if (disputed) {
    auto r = treaty::Recount(t, postures, *disputed, *interpretation);
    if (!r) return Fail(ctx, r.error());
    recounts = std::move(*r);
    for (size_t i = 0; i < postures.size(); ++i) postures[i] = recounts[i].posture;
  }
  if (postures.empty()) {
    const std::string& path = !a.inventory.empty() ? a.inventory
                              : !a.by_type.empty() ? a.by_type
                              : a.posture.empty()  ? a.aggregates
                                                   : a.posture;
    return Fail(ctx, FieldError(path == "-" ? "<stdin>" : path, "party",
                                party.empty() ? "at least one posture"
                                              : "a posture of party " + party + " (--party)",
                                "none"));
  }

  treaty::CheckOptions options;
  options.date = date;
  std::vector<treaty::CheckResult> results = treaty::CheckAll(t, postures, options);
  treaty::Verdict worst = treaty::WorstVerdict(results);

  // Per-type sums beside the aggregates the same party declared for the same date.
  std::vector<std::vector<treaty::AggregateComparison>> comparisons;
  int disagreements = 0;
  if (!by_type.empty()) {
    auto aggregates = treaty::NewStartAggregates();
    if (!aggregates) return Fail(ctx, aggregates.error());
    for (const auto& sums : by_type) {
      comparisons.push_back(treaty::CompareWithAggregates(t, sums, *aggregates));
      for (const auto& c : comparisons.back()) disagreements += c.declared && !c.agrees();
    }
  }
  if (a.json) {
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < results.size(); ++i) {
      nlohmann::json one = treaty::CheckResultToJson(results[i]);
      if (disputed) one["recount"] = treaty::RecountedPostureToJson(recounts[i]);
      if (!by_type.empty()) {
        nlohmann::json cmp = nlohmann::json::array();
        for (const auto& c : comparisons[i]) {
          cmp.push_back({{"quantity", c.quantity},
                         {"by_type", c.by_type},
                         {"declared", c.declared ? nlohmann::json(*c.declared) : nullptr},
                         {"agrees", c.agrees()}});
        }
        nlohmann::json rows = nlohmann::json::array();
        for (const auto* row : by_type[i].rows) rows.push_back(row->where);
        one["by_type"] = {{"rows", rows}, {"not_provided", by_type[i].gaps}, {"aggregates", cmp}};
      }
      list.push_back(std::move(one));
    }
    nlohmann::json doc = {{"treaty", t.id},
                          {"interpretation", *interpretation},
                          {"status", std::string(treaty::VerdictName(worst))},
                          {"results", list}};
    if (disputed) doc["disputed_items"] = disputed->name;
    if (!by_type.empty()) doc["by_type_disagreements"] = disagreements;
    *ctx.out << doc.dump(2) << "\n";
  } else if (results.size() == 1) {
    PrintOne(*ctx.out, results[0], disputed ? &recounts[0] : nullptr);
    if (!by_type.empty()) {
      *ctx.out << "beside the aggregates: " << ComparisonCell(comparisons[0]) << "\n";
      for (const auto& g : by_type[0].gaps) *ctx.out << "not provided: " << g << "\n";
    }
  } else {
    std::vector<Column> extra;
    if (disputed) {
      Column c{"re-counted", {}};
      for (const auto& r : recounts) c.second.push_back(RecountCell(r));
      extra.push_back(std::move(c));
    }
    if (!by_type.empty()) {
      Column c{"beside the aggregates", {}};
      for (const auto& cmp : comparisons) c.second.push_back(ComparisonCell(cmp));
      extra.push_back(std::move(c));
    }
    PrintMany(*ctx.out, t, results, extra);
    for (const auto& sums : by_type) {
      for (const auto& g : sums.gaps) {
        if (g.rfind("deployed_warheads:", 0) == 0) continue;  // said once below
        *ctx.out << sums.posture.as_of.ToString() << " " << sums.posture.party
                 << " not provided: " << g << "\n";
      }
    }
    if (!by_type.empty()) {
      *ctx.out << "per-type tables give no warheads: deployed-warheads is not provided\n";
    }
    if (disputed) {
      *ctx.out << "re-counted under " << *interpretation << " with " << disputed->name
               << ": declared counts plus the disputed items on record at each date (a record "
                  "holds until the next of its group)\n";
    }
    std::map<std::string_view, int> tally;
    for (const auto& r : results) ++tally[treaty::VerdictName(r.verdict)];
    // A table where some rows lack data is not "no_data" overall: say what the rows found.
    const bool mixed = tally.size() > 1 && worst != treaty::Verdict::kViolation &&
                       tally.count(treaty::VerdictName(treaty::Verdict::kCompliant)) > 0;
    *ctx.out << "overall: " << (mixed ? "no violation" : treaty::VerdictName(worst)) << " (";
    bool first = true;
    for (const auto& [name, n] : tally) {
      *ctx.out << (first ? "" : ", ") << n << " " << name;
      first = false;
    }
    *ctx.out << ")\n";
  }
  ctx.exit_code = treaty::VerdictExitCode(worst);
  if (disagreements > 0) {
    *ctx.out << "per-type sums disagree with the declared aggregates: " << disagreements
             << " count(s)\n";
    ctx.exit_code = kExitFinding;
  }
  return ctx.exit_code;
}

}  // namespace

void AddCheckCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand(
      "check", "Check a posture, inventory or aggregate table against a treaty's limits");
  cmd->add_option("--treaty", args->treaty, "Treaty id (see `tally treaty list`)")->required();
  cmd->add_option("--posture", args->posture,
                  "Posture file: aggregate counts per party and date, CSV or JSON ('-': stdin)");
  cmd->add_option("--inventory", args->inventory,
                  "Item-level inventory, CSV or JSON, counted by the treaty's rules");
  cmd->add_option("--aggregates", args->aggregates,
                  "A table of aggregates such as the published New START table; every row is "
                  "checked at its own date");
  cmd->add_option("--by-type", args->by_type,
                  "A New START per-type table (data/new_start/by_type.csv): each exchange summed "
                  "and checked, beside the aggregates declared for it");
  cmd->add_option("--date", args->date, "Check at this date instead of each row's own");
  cmd->add_option("--party", args->party, "Only this party (code or name)");
  cmd->add_option("--interpretation", args->interpretation,
                  "Counting interpretation (see `tally treaty show ID`)");
  cmd->add_option("--disputed", args->disputed,
                  "Record of disputed items (CSV) to re-count declared aggregates under "
                  "--interpretation (default: the interpretation's own record, if any)");
  cmd->add_option("--treaty-file", args->treaty_files,
                  "Also load this treaty TOML file (repeatable)");
  cmd->add_flag("--json", args->json, "One JSON document on stdout");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace tally::cli
