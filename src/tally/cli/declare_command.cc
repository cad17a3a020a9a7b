// `tally declare`: commit a party's item-level inventory as a declaration under escrow — salted
// leaf commitments in a Merkle-sum tree whose root carries the treaty's counted totals — into a
// private store directory, and optionally put the public statement on the party's log.
#include <memory>
#include <nlohmann/json.hpp>

#include "tally/cli/command.h"
#include "tally/cli/declaration_command.h"
#include "tally/cli/log_command.h"
#include "tally/cli/text_table.h"
#include "tally/crypto/random.h"
#include "tally/escrow/store.h"
#include "tally/tlog/entry.h"
#include "tally/tlog/log_writer.h"

namespace tally::cli {

Result<treaty::TreatySet> LoadTreatiesForCli(const std::vector<std::string>& treaty_files);

Result<LoadedTreaty> LoadTreatyForEscrow(const std::string& id,
                                         const std::vector<std::string>& treaty_files) {
  TALLY_ASSIGN_OR_RETURN(treaty::TreatySet set, LoadTreatiesForCli(treaty_files));
  LoadedTreaty out;
  out.set = std::make_shared<treaty::TreatySet>(std::move(set));
  TALLY_ASSIGN_OR_RETURN(out.treaty, out.set->Get(id));
  return out;
}

nlohmann::ordered_json StatementJson(const escrow::Statement& st) {
  return nlohmann::ordered_json::parse(escrow::StatementToJson(st));
}

void PrintStatement(std::ostream& out, const escrow::Statement& st) {
  out << "declaration of " << st.party << " under " << st.treaty
      << (st.interpretation.empty() ? "" : " (" + st.interpretation + ")") << ", as of "
      << st.as_of.ToString() << "\n";
  out << "leaves: " << st.leaves << (st.pad_to ? " (padded)" : "") << ", order: " << st.order
      << "\nroot: " << merkle::HashToBase64(st.root) << "\n";
  TextTable t({"category", "declared total"});
  for (size_t i = 0; i < st.categories.size(); ++i) {
    t.AddRow({st.categories[i], std::to_string(st.totals[i])});
  }
  t.Print(out);
}

namespace {

struct DeclareArgs {
  std::string inventory;
  std::string treaty = "new-start";
  std::vector<std::string> treaty_files;
  std::string out;
  std::string party;
  std::string interpretation;
  std::string date;
  uint64_t pad_to = 0;
  bool input_order = false;
  std::string log;
  std::string network;
  std::string time;  // of the log entry; "" = now
  bool json = false;
};

int RunDeclare(Context& ctx, const DeclareArgs& a) {
  auto t = LoadTreatyForEscrow(a.treaty, a.treaty_files);
  if (!t.ok()) return Fail(ctx, t.error());
  escrow::StoreOptions opt;
  opt.declare.party = a.party;
  opt.declare.interpretation = a.interpretation;
  if (a.pad_to > 0) opt.declare.pad_to = a.pad_to;
  opt.declare.salt_order = !a.input_order;
  if (!a.date.empty()) {
    auto d = Date::ParseFlag("--date", a.date);
    if (!d) return Fail(ctx, d.error());
    opt.as_of = *d;
  }
  if (!a.time.empty() && a.log.empty()) {
    return Fail(ctx, InvalidArgument("--time dates the log entry: give --log too"));
  }
  // Parsed before anything is written, so a bad time leaves no store behind.
  auto logged_at = ParseTimeFlag(a.time, "--time");
  if (!logged_at.ok()) return Fail(ctx, logged_at.error());
  std::unique_ptr<tlog::LogWriter> log;
  std::string owner;
  if (!a.log.empty()) {  // open the log first: a missing log must not leave a store behind
    // The statement goes on its declaring party's own log: the owner the network names.
    auto net = network::LoadNetwork(a.network);
    if (!net.ok()) return Fail(ctx, net.error().WithContext("--network"));
    auto o = OwnerOf(*net, a.log);
    if (!o.ok()) return Fail(ctx, o.error().WithContext("--log"));
    owner = *o;
    if (!a.party.empty() && a.party != owner) {
      return Fail(ctx, FailedPrecondition("--log " + a.log + " is " + owner + "'s log; " + a.party +
                                          "'s declaration goes on " + a.party + "'s own log"));
    }
    opt.declare.party = owner;
    auto l = tlog::LogWriter::Open(a.log);
    if (!l.ok()) return Fail(ctx, l.error().WithContext("--log"));
    log = std::move(*l);
  }
  auto d = escrow::CreateStore(a.out, *t->treaty, a.inventory, opt, crypto::SystemRandom());
  if (!d.ok()) return Fail(ctx, d.error());
  const escrow::Statement& st = d->statement();
  std::optional<uint64_t> log_index;
  if (log) {
    tlog::Entry e{static_cast<uint16_t>(tlog::EntryKind::kDeclaration), st.party, *logged_at,
                  escrow::StatementToJson(st)};
    auto idx = log->AppendTyped(std::span<const tlog::Entry>(&e, 1));
    if (!idx.ok()) return Fail(ctx, idx.error().WithContext("--log"));
    log_index = *idx;
  }
  if (a.json) {
    nlohmann::ordered_json j;
    j["store"] = a.out;
    j["items"] = d->item_count();
    j["statement"] = StatementJson(st);
    if (log_index) j["log_index"] = *log_index;
    *ctx.out << j.dump(2) << "\n";
    return kExitOk;
  }
  PrintStatement(*ctx.out, st);
  *ctx.out << "store: " << a.out << " (secret.key and the inventory stay here, mode 0600)\n"
           << "publish: " << a.out << "/declaration.json\n";
  if (log_index) *ctx.out << "logged as entry " << *log_index << " of " << a.log << "\n";
  return kExitOk;
}

}  // namespace

void AddDeclareCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<DeclareArgs>();
  auto* cmd = app.add_subcommand(
      "declare",
      "Commit an item-level inventory as a declaration under escrow (salted Merkle-sum tree)");
  cmd->add_option("inventory", a->inventory, "Inventory file (CSV or JSON, item schema)")
      ->required();
  cmd->add_option("--out", a->out, "Private store directory to create")->required();
  cmd->add_option("--treaty", a->treaty, "Treaty whose counted quantities the tree carries")
      ->capture_default_str();
  cmd->add_option("--treaty-file", a->treaty_files, "Additional treaty TOML file(s)");
  cmd->add_option("--party", a->party, "Declaring party (default: the inventory's only party)");
  cmd->add_option("--interpretation", a->interpretation, "Counting interpretation");
  cmd->add_option("--date", a->date, "As-of date (overrides the inventory's)");
  cmd->add_option("--pad-to", a->pad_to, "Pad with zero-count dummy leaves to this public bound");
  cmd->add_flag("--input-order", a->input_order,
                "Keep inventory order instead of the random (salt) order");
  cmd->add_option("--log", a->log,
                  "Append the statement to this log (the declaring party's own, per the network)");
  cmd->add_option("--network", a->network,
                  "Network file naming the log's owner (default: $TALLY_NETWORK, else "
                  "./network.toml)");
  cmd->add_option("--time", a->time,
                  "Treaty time of the log entry (YYYY-MM-DD[THH:MM:SSZ] or seconds; default now)");
  cmd->add_flag("--json", a->json, "Print JSON");
  cmd->callback([&ctx, a] { RunDeclare(ctx, *a); });
}

}  // namespace tally::cli
