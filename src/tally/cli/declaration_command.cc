// `tally declaration show|open|verify`: a declaration's public statement, staged openings from
// the party's private store (by facility, region, category, kind or item), and offline
// verification of opening bundles against the statement taken from the log.
#include "tally/cli/declaration_command.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/escrow/bundle.h"
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
};

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
  auto d = escrow::OpenStore(a.store, *t->treaty);
  if (!d.ok()) return Fail(ctx, d.error());
  auto b = d->Open(a.sel);
  if (!b.ok()) return Fail(ctx, b.error());
  const std::string json = escrow::BundleToJson(*b);
  if (a.out.empty() || a.out == "-") {
    *ctx.out << json;
    return kExitOk;
  }
  Status s = WriteFileAtomic(a.out, json);
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
  auto st = escrow::ReadStatement(a.statement);
  if (!st.ok()) return Fail(ctx, st.error());
  auto t = LoadTreatyForEscrow(st->treaty, a.treaty_files);
  if (!t.ok()) return Fail(ctx, t.error());
  auto counter = escrow::Counter::Make(*t->treaty, st->interpretation);
  if (!counter.ok()) return Fail(ctx, counter.error());
  std::vector<escrow::Bundle> bundles;
  for (const std::string& path : a.bundles) {
    auto text = ReadFile(path);
    if (!text.ok()) return Fail(ctx, text.error());
    auto b = escrow::BundleFromJson(*text, path);
    if (!b.ok()) return Fail(ctx, b.error());
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
  open->add_flag("--dummies", oa->sel.dummies, "Also open the padding leaves");
  open->add_option("--out", oa->out, "Bundle file to write (default stdout)");
  open->add_option("--treaty-file", oa->treaty_files, "Additional treaty TOML file(s)");
  open->callback([&ctx, oa] { RunOpen(ctx, *oa); });

  auto va = std::make_shared<DeclArgs>();
  auto* verify = decl->add_subcommand(
      "verify", "Verify opening bundles offline against a declaration's statement");
  verify->add_option("--statement", va->statement, "declaration.json (as logged)")->required();
  verify->add_option("bundles", va->bundles, "Opening bundle file(s)")->required();
  verify->add_option("--treaty-file", va->treaty_files, "Additional treaty TOML file(s)");
  verify->add_flag("--json", va->json, "Print JSON");
  verify->callback([&ctx, va] { RunVerify(ctx, *va); });
}

}  // namespace tally::cli
