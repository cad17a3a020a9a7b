// `tally inventory generate`: a seeded, reproducible item-level inventory from a force structure
// (default: the embedded data/inventories/structure-2020-09-01.csv, US and Russia as of
// 1 September 2020), counted under a treaty so the user sees that it meets the public aggregates.
#include <memory>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/cli/command.h"
#include "tally/cli/declaration_command.h"
#include "tally/cli/text_table.h"
#include "tally/data/embedded.h"
#include "tally/escrow/inventory_generator.h"
#include "tally/model/state.h"
#include "tally/treaty/counting.h"

namespace tally::cli {
namespace {

constexpr std::string_view kDefaultStructure = "inventories/structure-2020-09-01.csv";

struct GenArgs {
  std::string structure;
  std::string party;
  std::string date = "2020-09-01";
  uint64_t seed = 1;
  uint64_t copies = 1;
  std::string out;
  std::string treaty = "new-start";
  std::vector<std::string> treaty_files;
  bool json = false;
};

int RunGenerate(Context& ctx, const GenArgs& a) {
  std::string text, name;
  if (a.structure.empty()) {
    auto f = data::EmbeddedFile(kDefaultStructure);
    if (!f) return Fail(ctx, Internal("embedded structure file missing"));
    text = std::string(*f);
    name = std::string(kDefaultStructure);
  } else {
    auto f = ReadFile(a.structure);
    if (!f.ok()) return Fail(ctx, f.error());
    text = std::move(*f);
    name = a.structure;
  }
  auto rows = escrow::ParseForceStructureCsv(text, name);
  if (!rows.ok()) return Fail(ctx, rows.error());
  auto date = Date::ParseFlag("--date", a.date);
  if (!date) return Fail(ctx, date.error());
  if (a.copies == 0 || a.copies > 100000) {
    return Fail(ctx, FieldError("--copies", "copies", "1..100000", std::to_string(a.copies)));
  }
  if (!a.party.empty()) {
    if (std::string e = model::StateCodeExpectation(a.party); !e.empty()) {
      return Fail(ctx, FieldError("--party", "party", e, QuoteText(a.party)));
    }
  }
  if (a.structure.empty() && date->ToString() != "2020-09-01") {
    // The embedded structure is the one of the 2020-09-01 exchange; --date only labels it.
    *ctx.err << "tally: note: the inventory is the 2020-09-01 force structure dated "
             << date->ToString() << "; give --structure FILE for the forces of another date\n";
  }
  escrow::GenerateOptions opt{a.party, *date, a.seed, a.copies};
  auto inv = escrow::GenerateInventory(*rows, opt);
  if (!inv.ok()) return Fail(ctx, inv.error());
  const std::string csv = escrow::InventoryToCsv(*inv);
  if (a.out.empty() || a.out == "-") {
    *ctx.out << csv;
    return kExitOk;
  }
  auto t = LoadTreatyForEscrow(a.treaty, a.treaty_files);
  if (!t.ok()) return Fail(ctx, t.error());
  auto postures = treaty::CountInventoryByParty(*t->treaty, *inv);
  if (!postures.ok()) return Fail(ctx, postures.error());
  Status s = WriteFileAtomic(a.out, csv);
  if (!s.ok()) return Fail(ctx, s);
  if (a.json) {
    nlohmann::ordered_json j;
    j["out"] = a.out;
    j["items"] = inv->items.size();
    j["seed"] = a.seed;
    nlohmann::ordered_json parties = nlohmann::ordered_json::array();
    for (const auto& p : *postures) {
      nlohmann::ordered_json c;
      for (const auto& count : p.counts) {
        c[count.quantity] = count.value ? nlohmann::ordered_json(*count.value) : nullptr;
      }
      parties.push_back({{"party", p.party}, {"counts", c}});
    }
    j["counted"] = parties;
    *ctx.out << j.dump(2) << "\n";
    return kExitOk;
  }
  *ctx.out << inv->items.size() << " items written to " << a.out << " (seed " << a.seed
           << "), counted under " << t->treaty->id << ":\n";
  std::vector<std::string> header = {"party"};
  for (const auto& c : postures->front().counts) header.push_back(c.quantity);
  TextTable table(header);
  for (const auto& p : *postures) {
    std::vector<std::string> row = {p.party};
    for (const auto& c : p.counts) row.push_back(c.value ? std::to_string(*c.value) : "—");
    table.AddRow(row);
  }
  table.Print(*ctx.out);
  return kExitOk;
}

}  // namespace

void AddInventoryCommand(CLI::App& app, Context& ctx) {
  auto* inv = app.add_subcommand("inventory", "Item-level inventories");
  inv->require_subcommand(1);
  auto a = std::make_shared<GenArgs>();
  auto* gen = inv->add_subcommand(
      "generate", "Generate a seeded, reproducible inventory from a force structure");
  gen->add_option("--structure", a->structure,
                  "Force structure CSV (default: embedded structure-2020-09-01.csv)");
  gen->add_option("--party", a->party, "Only this party (default: every party of the file)");
  gen->add_option("--date", a->date,
                  "As-of date written into the inventory (the structure file decides the forces)")
      ->capture_default_str();
  gen->add_option("--seed", a->seed, "Seed")->capture_default_str();
  gen->add_option("--copies", a->copies, "Repeat the structure (synthetic, for benchmarks)");
  gen->add_option("--out", a->out, "CSV file to write (default stdout, no summary)");
  gen->add_option("--treaty", a->treaty, "Treaty to count under")->capture_default_str();
  gen->add_option("--treaty-file", a->treaty_files, "Additional treaty TOML file(s)");
  gen->add_flag("--json", a->json, "Print the summary as JSON");
  gen->callback([&ctx, a] { RunGenerate(ctx, *a); });
}

}  // namespace tally::cli
