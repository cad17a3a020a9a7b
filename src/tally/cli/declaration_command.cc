// `tally declaration show|open|verify`: a declaration's public statement, staged openings from
// the party's private store (by facility, region, category, kind or item), and offline
// verification of opening bundles against the statement taken from the log.
#include "tally/cli/declaration_command.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/log_command.h"
#include "tally/cli/text_table.h"
#include "tally/escrow/bundle.h"
#include "tally/escrow/logged_statement.h"
#include "tally/escrow/opening_policy.h"
#include "tally/escrow/store.h"

namespace tally::cli {
namespace {

struct DeclArgs {
  std::string store;
  std::string statement;
  std::vector<std::string> bundles;
  std::vector<std::string> treaty_files;
  escrow::Selection sel;
  std::string out;
  bool json = false;
  // Opening policy stages (the treaty's [escrow] section).
  std::string stage;
  escrow::StageContext context;
  // The statement from the party's log: a proof bundle, checked under the network's keys for
  // its origin (or keys pinned with --vkey).
  std::string proof;
  TrustFlags trust;
};

// The stage of the treaty's opening policy named `id`.
Result<const treaty::OpeningStage*> FindStage(const treaty::Treaty& t, const std::string& id) {
  if (!t.opening) {
    return InvalidArgument("--stage: treaty " + t.id + " has no opening policy ([escrow] section)");
  }
  const treaty::OpeningStage* stage = t.opening->Find(id);
  if (!stage) {
    std::string known;
    for (const auto& st : t.opening->stages) known += (known.empty() ? "" : ", ") + st.id;
    return InvalidArgument("--stage: treaty " + t.id + " has no stage '" + id + "' (it has " +
                           known + ")");
  }
  return stage;
}

bool HasSelection(const escrow::Selection& s) {
  return s.all || s.dummies || !s.uids.empty() || !s.facility.empty() || !s.region.empty() ||
         !s.category.empty() || !s.kind.empty() || !s.hosted_on.empty();
}

// The statement to verify against: from the log (proof bundle, verified under the network's
// keys for its origin, logged by the log's owner) or a file.
Result<escrow::LoggedStatement> LoadStatement(Context& ctx, const DeclArgs& a) {
  if (a.proof.empty() == a.statement.empty()) {
    return InvalidArgument(
        "give the statement either as --statement FILE or as --proof FILE "
        "(a `tally log prove --bundle` of the declaration entry)");
  }
  if (!a.statement.empty()) {
    if (!a.trust.vkeys.empty() || !a.trust.network.empty()) {
      return InvalidArgument("--vkey and --network go with --proof, not --statement");
    }
    TALLY_ASSIGN_OR_RETURN(escrow::Statement st, escrow::ReadStatement(a.statement));
    return escrow::LoggedStatement{std::move(st), {}, 0, 0};
  }
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadInput(ctx, a.proof));
  TALLY_ASSIGN_OR_RETURN(Trust trust, Trust::Load(a.trust));
  TALLY_ASSIGN_OR_RETURN(std::string origin, escrow::ProofOrigin(text, a.proof));
  auto keys = trust.For(origin);
  if (!keys.ok()) return keys.error().WithContext(a.proof);
  // With the network the log has an owner, and only its entries count; pinned keys name none.
  const std::string owner = keys->owner ? keys->owner->id : "";
  return escrow::StatementFromProof(text, keys->Keys(), owner, a.proof);
}

int RunShow(Context& ctx, const DeclArgs& a) {
  auto st = escrow::ReadStatement(a.store);
  if (!st.ok()) return Fail(ctx, st.error());
  if (a.json) {
    *ctx.out << StatementJson(*st).dump(2) << "\n";
  } else {
    PrintStatement(*ctx.out, *st);
  }
  return kExitOk;
}

int RunOpen(Context& ctx, const DeclArgs& a) {
  auto st = escrow::ReadStatement(a.store);
  if (!st.ok()) return Fail(ctx, st.error());
  auto t = LoadTreatyForEscrow(st->treaty, a.treaty_files);
  if (!t.ok()) return Fail(ctx, t.error());
  const treaty::OpeningStage* stage = nullptr;
  if (!a.stage.empty()) {
    if (HasSelection(a.sel)) {
      return Fail(ctx, InvalidArgument("--stage opens what the stage requires; give no other "
                                       "selection (--all, --facility, ...) with it"));
    }
    auto found = FindStage(*t->treaty, a.stage);
    if (!found.ok()) return Fail(ctx, found.error());
    stage = *found;
  } else if (!a.context.site.empty() || !a.context.designated.empty()) {
    return Fail(ctx, InvalidArgument("--site and --designated go with --stage"));
  }
  auto d = escrow::OpenStore(a.store, *t->treaty);
  if (!d.ok()) return Fail(ctx, d.error());
  auto b = stage ? escrow::OpenStage(*d, *stage, a.context) : d->Open(a.sel);
  if (!b.ok()) return Fail(ctx, b.error());
  const std::string json = escrow::BundleToJson(*b);
  if (a.out.empty() || a.out == "-") {
    *ctx.out << json;
    return kExitOk;
  }
  // A bundle holds salts and full records: for the partner only, never world-readable.
  Status s = WriteFileAtomic(a.out, json, 0600);
  if (!s.ok()) return Fail(ctx, s);
  uint64_t dummies = 0;
  for (const auto& l : b->opened) dummies += l.record.dummy ? 1 : 0;
  *ctx.err << "opened " << b->opened.size() - dummies << " item(s)"
           << (dummies ? " and " + std::to_string(dummies) + " dummy leaves" : std::string())
           << " (" << b->selection << ") with " << b->path.size() << " path nodes into " << a.out
           << "\n";
  return kExitOk;
}

int RunVerify(Context& ctx, const DeclArgs& a) {
  auto logged = LoadStatement(ctx, a);
  if (!logged.ok()) return Fail(ctx, logged.error());
  const escrow::Statement* st = &logged->statement;
  // The statement names its treaty and interpretation: errors about them point at the statement.
  const std::string where = a.statement.empty() ? std::string("the statement") : a.statement;
  auto t = LoadTreatyForEscrow(st->treaty, a.treaty_files);
  if (!t.ok()) return Fail(ctx, t.error().WithContext(where + ": field 'treaty'"));
  auto counter = escrow::Counter::Make(*t->treaty, st->interpretation);
  if (!counter.ok())
    return Fail(ctx, counter.error().WithContext(where + ": field 'interpretation'"));
  const treaty::OpeningStage* stage = nullptr;
  if (!a.stage.empty()) {
    auto found = FindStage(*t->treaty, a.stage);
    if (!found.ok()) return Fail(ctx, found.error());
    stage = *found;
  } else if (!a.context.site.empty() || !a.context.designated.empty()) {
    return Fail(ctx, InvalidArgument("--site and --designated go with --stage"));
  }
  std::vector<escrow::Bundle> bundles;
  for (const std::string& path : a.bundles) {
    auto text = ReadFile(path);
    if (!text.ok()) return Fail(ctx, text.error());
    auto b = escrow::BundleFromJson(*text, path);
    if (!b.ok()) {
      const std::string m = b.error().message();
      return Fail(ctx, m.rfind(path, 0) == 0 ? b.error() : b.error().WithContext(path));
    }
    bundles.push_back(std::move(*b));
  }
  auto v = escrow::VerifyOpenings(*st, bundles, *counter);
  if (!v.ok()) {
    if (a.json) {
      *ctx.out << nlohmann::ordered_json{{"verified", false}, {"error", v.error().message()}}.dump(
                      2)
               << "\n";
    }
    return Fail(ctx, v.error());
  }
  std::optional<escrow::StageCoverage> coverage;
  if (stage) {
    auto c = escrow::CheckStage(*st, *stage, a.context, *v);
    if (!c.ok()) {
      if (a.json) {
        *ctx.out << nlohmann::ordered_json{{"verified", true},
                                           {"stage", stage->id},
                                           {"stage_satisfied", false},
                                           {"error", c.error().message()}}
                        .dump(2)
                 << "\n";
      }
      return Fail(ctx, c.error());
    }
    coverage = *c;
  }
  // Per-facility subtotals of what was opened: what an inspector compares with a site visit.
  std::map<std::string, std::vector<uint64_t>> by_facility;
  const size_t k = st->categories.size();
  for (const auto& l : v->opened) {
    const std::string f = l.record.dummy ? "(dummy)" : l.record.item.facility;
    auto& row = by_facility[f];
    row.resize(k + 1, 0);
    row[0] += 1;
    for (size_t c = 0; c < k; ++c) row[c + 1] += l.counts[c];
  }
  if (a.json) {
    nlohmann::ordered_json j;
    j["verified"] = true;
    j["root"] = merkle::HashToBase64(st->root);
    if (!a.proof.empty()) {
      j["logged"] = {{"origin", logged->checkpoint.origin},
                     {"index", logged->index},
                     {"checkpoint_size", logged->checkpoint.size}};
    }
    if (coverage) {
      j["stage"] = {{"id", coverage->stage},
                    {"satisfied", true},
                    {"complete_provably", coverage->complete_provably},
                    {"required", coverage->required},
                    {"opened", coverage->opened},
                    {"detail", coverage->detail}};
    }
    j["bundles"] = a.bundles.size();
    j["items"] = v->items;
    j["dummies"] = v->dummies;
    nlohmann::ordered_json sub;
    for (size_t c = 0; c < k; ++c) sub[st->categories[c]] = v->subtotals[c];
    j["subtotals"] = sub;
    nlohmann::ordered_json fac = nlohmann::ordered_json::array();
    for (const auto& [f, row] : by_facility) {
      nlohmann::ordered_json r;
      r["facility"] = f;
      r["leaves"] = row[0];
      for (size_t c = 0; c < k; ++c) r[st->categories[c]] = row[c + 1];
      fac.push_back(r);
    }
    j["facilities"] = fac;
    *ctx.out << j.dump(2) << "\n";
    return kExitOk;
  }
  *ctx.out << "verified: " << v->items << " item(s) and " << v->dummies << " dummy leaves from "
           << a.bundles.size() << " bundle(s) against root " << merkle::HashToBase64(st->root)
           << "\n";
  if (!a.proof.empty()) {
    *ctx.out << "statement: entry " << logged->index << " of " << logged->checkpoint.origin
             << ", included in its signed checkpoint of size " << logged->checkpoint.size << "\n";
  }
  if (coverage) {
    *ctx.out << "stage " << coverage->stage << " satisfied: " << coverage->detail << "\n";
  }
  std::vector<std::string> header = {"facility", "leaves"};
  for (const auto& c : st->categories) header.push_back(c);
  TextTable table(header);
  for (const auto& [f, row] : by_facility) {
    std::vector<std::string> cells = {f};
    for (uint64_t x : row) cells.push_back(std::to_string(x));
    table.AddRow(cells);
  }
  std::vector<std::string> total = {"opened", std::to_string(v->items + v->dummies)};
  for (uint64_t x : v->subtotals) total.push_back(std::to_string(x));
  table.AddRow(total);
  std::vector<std::string> declared = {"declared (root)", std::to_string(st->leaves)};
  for (uint64_t x : st->totals) declared.push_back(std::to_string(x));
  table.AddRow(declared);
  table.Print(*ctx.out);
  return kExitOk;
}

}  // namespace

void AddDeclarationCommand(CLI::App& app, Context& ctx) {
  auto* decl = app.add_subcommand(
      "declaration", "Declarations under escrow: show the statement, open in stages, verify");
  decl->require_subcommand(1);

  auto sa = std::make_shared<DeclArgs>();
  auto* show = decl->add_subcommand("show", "Print a declaration's public statement");
  show->add_option("store", sa->store, "Store directory or declaration.json")->required();
  show->add_flag("--json", sa->json, "Print JSON");
  show->callback([&ctx, sa] { RunShow(ctx, *sa); });

  auto oa = std::make_shared<DeclArgs>();
  auto* open = decl->add_subcommand(
      "open", "Open part of a declaration from the private store as a bundle (JSON)");
  open->add_option("store", oa->store, "Store directory made by `tally declare`")->required();
  open->add_flag("--all", oa->sel.all, "Open every leaf, dummies included");
  open->add_option("--uid", oa->sel.uids, "Open these items");
  open->add_option("--facility", oa->sel.facility, "Open the items at this facility");
  open->add_option("--region", oa->sel.region, "Open the items tagged region:<name>");
  open->add_option("--category", oa->sel.category, "Open the items counted in this category");
  open->add_option("--kind", oa->sel.kind, "Open the items of this kind");
  open->add_option("--hosted-on", oa->sel.hosted_on,
                   "Open the items these items carry (warheads on a missile)");
  open->add_flag("--dummies", oa->sel.dummies, "Also open the padding leaves");
  open->add_option("--stage", oa->stage,
                   "Open what this stage of the treaty's opening policy requires");
  open->add_option("--site", oa->context.site, "With --stage: the inspected site");
  open->add_option("--designated", oa->context.designated, "With --stage: the designated uids");
  open->add_option("--out", oa->out, "Bundle file to write, mode 0600 (default stdout)");
  open->add_option("--treaty-file", oa->treaty_files, "Additional treaty TOML file(s)");
  open->callback([&ctx, oa] { RunOpen(ctx, *oa); });

  auto va = std::make_shared<DeclArgs>();
  auto* verify = decl->add_subcommand(
      "verify", "Verify opening bundles offline against a declaration's statement");
  verify->add_option("--statement", va->statement, "declaration.json (as published)");
  verify->add_option(
      "--proof", va->proof,
      "The declaration entry from the party's log: `tally log prove --bundle` output");
  AddTrustFlags(verify, va->trust);
  // One value per flag, so that the bundle paths after it stay positional.
  verify->get_option("--vkey")->allow_extra_args(false);
  verify->add_option("--stage", va->stage,
                     "Also check that the bundles satisfy this opening stage");
  verify->add_option("--site", va->context.site, "With --stage: the inspected site");
  verify
      ->add_option("--designated", va->context.designated,
                   "With --stage: a designated uid (repeat the flag for each)")
      ->allow_extra_args(false);
  verify->add_option("bundles", va->bundles, "Opening bundle file(s)")->required();
  verify->add_option("--treaty-file", va->treaty_files, "Additional treaty TOML file(s)");
  verify->add_flag("--json", va->json, "Print JSON");
  verify->callback([&ctx, va] { RunVerify(ctx, *va); });
}

}  // namespace tally::cli
