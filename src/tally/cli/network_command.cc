// `tally network init|add|show`: the network file that pins the parties of a regime and the keys
// that speak for them (docs/formats/network.md). Every write is checked as a whole network
// before the file is replaced atomically: a file tally wrote always loads.
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/log_command.h"
#include "tally/cli/text_table.h"
#include "tally/network/network.h"
#include "tally/tlog/log_writer.h"

namespace tally::cli {
namespace {

struct NetworkArgs {
  std::string file;
  std::string name, treaty;
  int cosignatures = -1;
  // add
  std::string party, origin, log, log_key, witness_key, node_key, url;
  std::string witness, key;
  bool json = false;
};

// A key flag's value: key text, or @file holding it (a vkey file, one line).
Result<std::string> KeyText(const std::string& value, std::string_view flag) {
  if (value.empty() || value[0] != '@') return value;
  auto text = ReadFile(value.substr(1));
  if (!text.ok()) return text.error().WithContext(flag);
  std::string key = *text;
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  if (key.find('\n') != std::string::npos) {
    return FieldError(value.substr(1), std::string(flag).substr(2), "one key on one line",
                      "several lines");
  }
  return key;
}

Status Save(const std::string& path, network::Description d) {
  TALLY_ASSIGN_OR_RETURN(network::Network n, network::Network::Make(std::move(d), path));
  return WriteFileAtomic(path, n.ToToml());
}

void PrintNetwork(std::ostream& out, const network::Network& n, const std::string& path) {
  const auto& d = n.description();
  out << "network " << d.name << (d.treaty.empty() ? "" : " (" + d.treaty + ")") << ": " << path
      << "\n";
  out << "cosignatures required: " << d.cosignatures << " of each log's witnesses\n";
  TextTable parties({"party", "origin", "log key", "witness key", "node key", "url"});
  // "name+keyid" of a vkey "name+keyid+base64" (base64 may hold '+' too).
  const auto id_of = [](const std::string& vkey) {
    if (vkey.empty()) return std::string("-");
    const size_t first = vkey.find('+');
    return vkey.substr(0, first == std::string::npos ? first : vkey.find('+', first + 1));
  };
  for (const auto& p : d.parties) {
    parties.AddRow({p.id, p.origin, id_of(p.log_key), id_of(p.witness_key), id_of(p.node_key),
                    p.url.empty() ? "-" : p.url});
  }
  parties.Print(out);
  if (!d.witnesses.empty()) {
    TextTable w({"third-party witness", "key", "url"});
    for (const auto& x : d.witnesses) w.AddRow({x.name, id_of(x.key), x.url.empty() ? "-" : x.url});
    w.Print(out);
  }
}

nlohmann::ordered_json NetworkJson(const network::Network& n) {
  const auto& d = n.description();
  nlohmann::ordered_json parties = nlohmann::ordered_json::array();
  for (const auto& p : d.parties) {
    parties.push_back({{"id", p.id},
                       {"origin", p.origin},
                       {"log_key", p.log_key},
                       {"witness_key", p.witness_key},
                       {"node_key", p.node_key},
                       {"url", p.url},
                       {"witnesses", [&] {
                          nlohmann::ordered_json w = nlohmann::ordered_json::array();
                          for (const auto* k : n.WitnessesOf(p.origin)) w.push_back(k->name());
                          return w;
                        }()}});
  }
  nlohmann::ordered_json witnesses = nlohmann::ordered_json::array();
  for (const auto& w : d.witnesses) {
    witnesses.push_back({{"name", w.name}, {"key", w.key}, {"url", w.url}});
  }
  return {{"format", network::kNetworkFormat}, {"name", d.name},     {"treaty", d.treaty},
          {"cosignatures", d.cosignatures},    {"parties", parties}, {"witnesses", witnesses}};
}

int RunInit(Context& ctx, const NetworkArgs& a) {
  if (FileExists(a.file)) {
    return Fail(ctx, AlreadyExists(a.file + ": exists; tally network add changes it"));
  }
  network::Description d;
  d.name = a.name;
  d.treaty = a.treaty;
  if (a.cosignatures > 0) d.cosignatures = static_cast<uint64_t>(a.cosignatures);
  if (Status s = Save(a.file, d); !s.ok()) return Fail(ctx, s);
  *ctx.out << "wrote " << a.file << " (network " << a.name << "; add parties with tally network "
           << "add " << a.file << " --party ID --log DIR)\n";
  return kExitOk;
}

int RunAdd(Context& ctx, const NetworkArgs& a) {
  auto current = network::Network::Load(a.file);
  if (!current.ok()) return Fail(ctx, current.error());
  network::Description d = current->description();
  if (a.party.empty() == a.witness.empty()) {
    return Fail(ctx, InvalidArgument("network add: give --party (a treaty party) or --witness "
                                     "(a third-party witness)"));
  }
  if (!a.witness.empty()) {
    auto key = KeyText(a.key, "--key");
    if (!key.ok()) return Fail(ctx, key.error());
    if (key->empty()) return Fail(ctx, InvalidArgument("--key: the witness's verifier key"));
    d.witnesses.push_back({a.witness, *key, a.url});
  } else {
    network::Party p{a.party, a.origin, "", "", "", a.url};
    std::string log_key = a.log_key;
    if (!a.log.empty()) {
      // The key the party's own log was made with; pinned now, trusted only from the file later.
      auto v = ReadFile(tlog::LogPaths::VerifierKey(a.log));
      if (!v.ok()) return Fail(ctx, v.error().WithContext("--log"));
      log_key = *v;
      while (!log_key.empty() && log_key.back() == '\n') log_key.pop_back();
    }
    auto lk = KeyText(log_key, "--log-key");
    auto wk = KeyText(a.witness_key, "--witness-key");
    auto nk = KeyText(a.node_key, "--node-key");
    for (auto* r : {&lk, &wk, &nk}) {
      if (!r->ok()) return Fail(ctx, r->error());
    }
    p.log_key = *lk;
    p.witness_key = *wk;
    p.node_key = *nk;
    if (p.log_key.empty()) {
      return Fail(ctx, InvalidArgument("network add: give the party's log (--log DIR) or its "
                                       "log key (--log-key VKEY)"));
    }
    if (p.origin.empty()) p.origin = p.log_key.substr(0, p.log_key.find('+'));
    d.parties.push_back(std::move(p));
  }
  if (a.cosignatures >= 0) d.cosignatures = static_cast<uint64_t>(a.cosignatures);
  if (Status s = Save(a.file, d); !s.ok()) return Fail(ctx, s);
  *ctx.out << "added " << (a.party.empty() ? "witness " + a.witness : "party " + a.party) << " to "
           << a.file << "\n";
  return kExitOk;
}

int RunShow(Context& ctx, const NetworkArgs& a) {
  auto path = network::ResolveNetworkPath(a.file);
  if (!path.ok()) return Fail(ctx, path.error());
  auto n = network::Network::Load(*path);
  if (!n.ok()) return Fail(ctx, n.error());
  if (a.json) {
    *ctx.out << NetworkJson(*n).dump(2) << "\n";
  } else {
    PrintNetwork(*ctx.out, *n, *path);
  }
  return kExitOk;
}

}  // namespace

void AddNetworkCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "network", "The network file: the regime's parties and the keys that speak for them");
  cmd->require_subcommand(1);

  auto ia = std::make_shared<NetworkArgs>();
  auto* init = cmd->add_subcommand("init", "Write a new network file with no parties yet");
  init->add_option("file", ia->file, "The network file to create")->required();
  init->add_option("--name", ia->name, "The regime's name")->required();
  init->add_option("--treaty", ia->treaty, "The treaty it runs (an id)");
  init->add_option("--cosignatures", ia->cosignatures,
                   "Witness cosignatures a checkpoint needs (k of n; default 0)");
  init->callback([&ctx, ia] { RunInit(ctx, *ia); });

  auto aa = std::make_shared<NetworkArgs>();
  auto* add =
      cmd->add_subcommand("add", "Pin a party (its log, witness and node keys) or a witness");
  add->add_option("file", aa->file, "The network file")->required();
  add->add_option("--party", aa->party, "A party's code (e.g. US)");
  add->add_option("--log", aa->log, "The party's log directory: pins the key it was made with");
  add->add_option("--log-key", aa->log_key, "The party's log key (vkey text or @file)");
  add->add_option("--origin", aa->origin, "The log's origin (default: the log key's name)");
  add->add_option("--witness-key", aa->witness_key,
                  "The party's cosigning key for the others' logs (vkey or @file)");
  add->add_option("--node-key", aa->node_key, "The key its node signs requests with");
  add->add_option("--witness", aa->witness, "A third-party witness's key name");
  add->add_option("--key", aa->key, "The third-party witness's key (vkey or @file)");
  add->add_option("--url", aa->url, "The node's or witness's base URL");
  add->add_option("--cosignatures", aa->cosignatures, "Set the k of the k-of-n witness policy");
  add->callback([&ctx, aa] { RunAdd(ctx, *aa); });

  auto sa = std::make_shared<NetworkArgs>();
  auto* show = cmd->add_subcommand("show", "Check a network file and print who is pinned");
  show->add_option("file", sa->file, "The network file (default: $TALLY_NETWORK, ./network.toml)");
  show->add_flag("--json", sa->json, "Print one JSON document");
  show->callback([&ctx, sa] { RunShow(ctx, *sa); });
}

}  // namespace tally::cli
