// `tally exchange check|round`: continuity between two data exchanges of one party (every old
// item present or accounted for by a notification, every new item notified, notifications on
// time), and the declared totals of every treaty party for one data date ("not provided" for a
// party without a statement).
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/declaration_command.h"
#include "tally/cli/text_table.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/continuity.h"
#include "tally/escrow/store.h"

namespace tally::cli {
namespace {

namespace fs = std::filesystem;

struct ExchangeArgs {
  std::string old_decl, new_decl;
  std::vector<std::string> old_bundles, new_bundles;
  std::string notifications;
  std::vector<std::string> treaty_files;
  std::string treaty = "new-start";
  std::string date;
  std::vector<std::string> statements;
  bool json = false;
};

// A round from a store (opened completely by its owner) or from a statement and bundles.
Result<escrow::Round> LoadRound(const std::string& decl, const std::vector<std::string>& bundles,
                                const std::vector<std::string>& treaty_files,
                                escrow::Statement* statement, LoadedTreaty* treaty) {
  TALLY_ASSIGN_OR_RETURN(*statement, escrow::ReadStatement(decl));
  TALLY_ASSIGN_OR_RETURN(*treaty, LoadTreatyForEscrow(statement->treaty, treaty_files));
  std::vector<escrow::Bundle> list;
  std::error_code ec;
  if (fs::exists(fs::path(decl) / "secret.key", ec)) {
    if (!bundles.empty()) {
      return InvalidArgument(decl + ": give a store or a statement with bundles, not both");
    }
    TALLY_ASSIGN_OR_RETURN(escrow::Declaration d, escrow::OpenStore(decl, *treaty->treaty));
    escrow::Selection all;
    all.all = true;
    TALLY_ASSIGN_OR_RETURN(escrow::Bundle b, d.Open(all));
    list.push_back(std::move(b));
  } else {
    for (const std::string& path : bundles) {
      TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
      TALLY_ASSIGN_OR_RETURN(escrow::Bundle b, escrow::BundleFromJson(text, path));
      list.push_back(std::move(b));
    }
  }
  escrow::Round round;
  round.as_of = statement->as_of;
  if (list.empty()) return round;  // nothing opened yet: everything is unverified
  TALLY_ASSIGN_OR_RETURN(escrow::Counter counter,
                         escrow::Counter::Make(*treaty->treaty, statement->interpretation));
  TALLY_ASSIGN_OR_RETURN(escrow::VerifiedOpening v,
                         escrow::VerifyOpenings(*statement, list, counter));
  round.complete = v.items + v.dummies == statement->leaves;
  for (const escrow::OpenedLeaf& l : v.opened) {
    if (!l.record.dummy) round.items.push_back(l.record.item);
  }
  return round;
}

int RunCheck(Context& ctx, const ExchangeArgs& a) {
  escrow::Statement old_st, new_st;
  LoadedTreaty old_t, new_t;
  auto old_round = LoadRound(a.old_decl, a.old_bundles, a.treaty_files, &old_st, &old_t);
  if (!old_round.ok()) return Fail(ctx, old_round.error().WithContext("--old"));
  auto new_round = LoadRound(a.new_decl, a.new_bundles, a.treaty_files, &new_st, &new_t);
  if (!new_round.ok()) return Fail(ctx, new_round.error().WithContext("--new"));
  if (old_st.party != new_st.party || old_st.treaty != new_st.treaty) {
    return Fail(ctx, InvalidArgument("--old and --new are declarations of different parties or "
                                     "treaties"));
  }
  if (!(old_st.as_of < new_st.as_of)) {
    return Fail(ctx,
                InvalidArgument("--old (" + old_st.as_of.ToString() +
                                ") must be dated before --new (" + new_st.as_of.ToString() + ")"));
  }
  std::vector<escrow::Notification> notes;
  if (!a.notifications.empty()) {
    auto text = ReadFile(a.notifications);
    if (!text.ok()) return Fail(ctx, text.error());
    auto parsed = escrow::ParseNotificationsCsv(*text, a.notifications);
    if (!parsed.ok()) return Fail(ctx, parsed.error());
    notes = std::move(*parsed);
  }
  auto report = escrow::CheckContinuity(*new_t.treaty, *old_round, *new_round, notes);
  if (!report.ok()) return Fail(ctx, report.error());
  const escrow::ContinuityReport& r = *report;
  if (a.json) {
    nlohmann::ordered_json j;
    j["party"] = new_st.party;
    j["old"] = {{"as_of", old_st.as_of.ToString()},
                {"opened_items", old_round->items.size()},
                {"complete", old_round->complete}};
    j["new"] = {{"as_of", new_st.as_of.ToString()},
                {"opened_items", new_round->items.size()},
                {"complete", new_round->complete}};
    j["unchanged"] = r.unchanged;
    j["changed"] = r.changed;
    j["removed"] = r.removed;
    j["added"] = r.added;
    j["ok"] = r.ok();
    nlohmann::ordered_json f = nlohmann::ordered_json::array();
    for (const auto& x : r.findings) {
      f.push_back(
          {{"kind", escrow::FindingKindName(x.kind)}, {"uid", x.uid}, {"message", x.message}});
    }
    j["findings"] = f;
    *ctx.out << j.dump(2) << "\n";
  } else {
    *ctx.out << new_st.party << " " << old_st.as_of.ToString() << " -> " << new_st.as_of.ToString()
             << ": " << r.unchanged << " unchanged, " << r.changed << " changed, " << r.removed
             << " removed, " << r.added << " added"
             << (r.findings.empty() ? " (all notified)"
                                    : "; " + std::to_string(r.findings.size()) + " finding(s):")
             << (old_round->complete && new_round->complete ? ""
                                                            : "; partial openings: continuity "
                                                              "proven for opened items only")
             << "\n";
    if (!r.findings.empty()) {
      TextTable t({"finding", "uid", "detail"});
      for (const auto& x : r.findings) {
        t.AddRow({std::string(escrow::FindingKindName(x.kind)), x.uid, x.message});
      }
      t.Print(*ctx.out);
    }
  }
  if (!r.ok()) ctx.exit_code = kExitFinding;
  return ctx.exit_code;
}

int RunRound(Context& ctx, const ExchangeArgs& a) {
  auto t = LoadTreatyForEscrow(a.treaty, a.treaty_files);
  if (!t.ok()) return Fail(ctx, t.error());
  auto date = Date::ParseFlag("--date", a.date);
  if (!date) return Fail(ctx, date.error());
  std::vector<escrow::Statement> sts;
  for (const std::string& p : a.statements) {
    auto st = escrow::ReadStatement(p);
    if (!st.ok()) return Fail(ctx, st.error());
    if (st->treaty != t->treaty->id || st->as_of != *date) {
      return Fail(ctx, InvalidArgument(p + ": a " + st->treaty + " declaration as of " +
                                       st->as_of.ToString() + ", not " + t->treaty->id + " as of " +
                                       date->ToString()));
    }
    if (!t->treaty->HasParty(st->party)) {
      return Fail(ctx,
                  InvalidArgument(p + ": " + st->party + " is not a party of " + t->treaty->id));
    }
    sts.push_back(std::move(*st));
  }
  std::vector<std::string> cats;
  for (const auto& st : sts) {
    for (const auto& c : st.categories) {
      if (std::find(cats.begin(), cats.end(), c) == cats.end()) cats.push_back(c);
    }
  }
  nlohmann::ordered_json parties = nlohmann::ordered_json::array();
  std::vector<std::string> header = {"party"};
  header.insert(header.end(), cats.begin(), cats.end());
  header.push_back("root");
  TextTable table(header);
  for (const std::string& party : t->treaty->parties) {
    const escrow::Statement* st = nullptr;
    for (const auto& s : sts) {
      if (s.party == party) st = &s;
    }
    nlohmann::ordered_json p;
    p["party"] = party;
    std::vector<std::string> row = {party};
    if (st == nullptr) {
      p["provided"] = false;
      for (size_t i = 0; i < cats.size(); ++i) row.push_back("not provided");
      row.push_back("—");
    } else {
      p["provided"] = true;
      nlohmann::ordered_json totals;
      for (const auto& c : cats) {
        auto v = st->Total(c);
        row.push_back(v ? std::to_string(*v) : "not provided");
        totals[c] = v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
      }
      p["totals"] = totals;
      p["root"] = merkle::HashToBase64(st->root);
      row.push_back(merkle::HashToBase64(st->root).substr(0, 12) + "…");
    }
    parties.push_back(p);
    table.AddRow(row);
  }
  if (a.json) {
    *ctx.out << nlohmann::ordered_json{{"treaty", t->treaty->id},
                                       {"as_of", date->ToString()},
                                       {"parties", parties}}
                    .dump(2)
             << "\n";
  } else {
    *ctx.out << t->treaty->name << ", data as of " << date->ToString() << "\n";
    table.Print(*ctx.out);
  }
  return kExitOk;
}

}  // namespace

void AddExchangeCommand(CLI::App& app, Context& ctx) {
  auto* ex = app.add_subcommand(
      "exchange", "Data exchanges: continuity between rounds, totals of every party per round");
  ex->require_subcommand(1);

  auto ca = std::make_shared<ExchangeArgs>();
  auto* check = ex->add_subcommand(
      "check", "Check continuity between two declarations of one party, with notifications");
  check->add_option("--old", ca->old_decl, "Older round: a store or a declaration.json")
      ->required();
  check->add_option("--old-bundle", ca->old_bundles, "Opening bundles of the older round");
  check->add_option("--new", ca->new_decl, "Newer round: a store or a declaration.json")
      ->required();
  check->add_option("--new-bundle", ca->new_bundles, "Opening bundles of the newer round");
  check->add_option("--notifications", ca->notifications, "Notifications CSV");
  check->add_option("--treaty-file", ca->treaty_files, "Additional treaty TOML file(s)");
  check->add_flag("--json", ca->json, "Print JSON");
  check->callback([&ctx, ca] { RunCheck(ctx, *ca); });

  auto ra = std::make_shared<ExchangeArgs>();
  auto* round = ex->add_subcommand(
      "round", "Every treaty party's declared totals for one data date (or 'not provided')");
  round->add_option("statements", ra->statements, "declaration.json files of this round");
  round->add_option("--treaty", ra->treaty, "Treaty")->capture_default_str();
  round->add_option("--date", ra->date, "Data date YYYY-MM-DD")->required();
  round->add_option("--treaty-file", ra->treaty_files, "Additional treaty TOML file(s)");
  round->add_flag("--json", ra->json, "Print JSON");
  round->callback([&ctx, ra] { RunRound(ctx, *ra); });
}

}  // namespace tally::cli
