// `tally node init|status`: create a node directory for tallyd, and report on one.
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/crypto/encoding.h"
#include "tally/jsondoc/reader.h"
#include "tally/node/alarms.h"
#include "tally/node/http_signature.h"
#include "tally/node/node_config.h"
#include "tally/node/node_init.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/http_client.h"
#include "tally/tlog/key_file.h"

namespace tally::cli {
namespace {

struct NodeArgs {
  node::InitOptions init;
  std::string dir;
  std::string to;
  std::string file;
  bool json = false;
};

int RunNodeInit(Context& ctx, const NodeArgs& a) {
  auto r = node::InitNode(a.init);
  if (!r.ok()) return Fail(ctx, r.error());
  if (a.json) {
    nlohmann::json doc{{"dir", a.init.dir},
                       {"witness_key", r->witness_key},
                       {"node_key", r->node_key},
                       {"network_entry", r->network_entry}};
    if (!r->log_key.empty()) {
      doc["origin"] = r->origin;
      doc["log_key"] = r->log_key;
    }
    *ctx.out << doc.dump(2) << "\n";
    return kExitOk;
  }
  *ctx.err << "tally: node " << a.init.dir << " created; its keys stay in " << a.init.dir
           << "/private (0600).\n"
           << "tally: add these lines to the network file (" << a.init.network
           << ") on every node of the regime, then run: tallyd " << a.init.dir << "\n";
  *ctx.out << r->network_entry;
  return kExitOk;
}

// Reads the alarms (from the directory: they are there whether the node runs or not) and, when
// the node is running, its /healthz. Exit 1 when the node holds an alarm.
int RunNodeStatus(Context& ctx, const NodeArgs& a) {
  const node::NodeLayout layout{a.dir};
  auto config = node::LoadNodeConfig(layout);
  if (!config.ok()) return Fail(ctx, config.error());
  node::AlarmBook book(layout.Alarms());
  auto alarms = book.List();
  if (!alarms.ok()) return Fail(ctx, alarms.error());
  nlohmann::json health;
  bool running = false;
  if (auto ready = ReadFile(layout.Ready()); ready.ok()) {
    std::string addr = *ready;
    while (!addr.empty() && (addr.back() == '\n' || addr.back() == '\r')) addr.pop_back();
    server::HttpClient client(std::chrono::seconds(2));
    if (auto r = client.Get("http://" + addr + "/healthz"); r.ok() && r->status == 200) {
      // The node's own answer, bounded like every JSON document (a hostile listener on the
      // node's port must not crash the status command).
      if (auto parsed = jsondoc::ParseJson(r->body, "healthz"); parsed.ok()) {
        health = std::move(*parsed);
        running = true;
      }
    }
  }
  if (a.json) {
    nlohmann::json doc{
        {"dir", a.dir},
        {"party", config->party},
        {"witness", config->witness_name},
        {"running", running},
        {"alarms", nlohmann::json::parse(node::AlarmBook::ToJson(*alarms))["alarms"]}};
    if (running) doc["health"] = health;
    *ctx.out << doc.dump(2) << "\n";
  } else {
    *ctx.out << (config->witness_only() ? "witness " + config->witness_name
                                        : "party " + config->party)
             << ": " << (running ? "running" : "not running") << ", " << alarms->size()
             << " alarm(s)\n";
    for (const auto& al : *alarms) {
      *ctx.out << "ALARM " << al.kind << " " << al.origin << " (seen by " << al.seen_by
               << "): " << al.detail << "\n";
    }
  }
  if (!alarms->empty()) ctx.exit_code = kExitFinding;
  return ctx.exit_code;
}

// Delivers a document to another party's node, signed with this node's key (RFC 9421).
int RunNodeSend(Context& ctx, const NodeArgs& a) {
  const node::NodeLayout layout{a.dir};
  auto config = node::LoadNodeConfig(layout);
  if (!config.ok()) return Fail(ctx, config.error());
  if (config->witness_only()) {
    return Fail(ctx, InvalidArgument(a.dir + ": a witness-only node speaks for no party"));
  }
  auto body = ReadFile(a.file);
  if (!body.ok()) return Fail(ctx, body.error());
  auto skey = tlog::ReadSecretKeyFile(layout.NodeKey());
  if (!skey.ok()) return Fail(ctx, skey.error());
  auto signer = tlog::Ed25519NoteSigner::FromSignerKey(crypto::AsText(skey->bytes()));
  if (!signer.ok()) return Fail(ctx, signer.error().WithContext(layout.NodeKey()));
  const std::string url = server::JoinUrl(a.to, "inbox/" + config->party);
  auto parsed = server::ParseUrl(url);
  if (!parsed.ok()) return Fail(ctx, parsed.error());
  std::vector<server::HttpHeader> headers = {{"content-type", "application/octet-stream"}};
  node::SignRequest(**signer, config->party, static_cast<int64_t>(node::WallClockSeconds()), "POST",
                    parsed->path, *body, headers);
  server::HttpClient client;
  auto r = client.Send("POST", url, headers, *body);
  if (!r.ok()) return Fail(ctx, r.error());
  *ctx.out << r->body << "\n";
  if (r->status != 201) {
    return Fail(ctx, PermissionDenied(url + ": HTTP " + std::to_string(r->status)));
  }
  return kExitOk;
}

}  // namespace

void AddNodeCommand(CLI::App& app, Context& ctx) {
  auto* node = app.add_subcommand("node", "A party's node (tallyd): create and inspect");
  node->require_subcommand(1);

  auto init_args = std::make_shared<NodeArgs>();
  auto* init = node->add_subcommand("init", "Create a node directory with fresh keys");
  init->add_option("dir", init_args->init.dir, "The node directory")->required();
  init->add_option("--network", init_args->init.network, "The network file")->required();
  init->add_option("--party", init_args->init.party, "The party this node speaks for");
  init->add_option("--origin", init_args->init.origin,
                   "The log's origin (when the network does not list the party yet)");
  init->add_option("--witness", init_args->init.witness_name,
                   "A witness-only node for a third party, with this key name");
  init->add_option("--listen", init_args->init.listen, "HOST:PORT (default 127.0.0.1:8401)");
  init->add_flag("--json", init_args->json, "Print JSON");
  init->callback([&ctx, init_args] { RunNodeInit(ctx, *init_args); });

  auto status_args = std::make_shared<NodeArgs>();
  auto* status = node->add_subcommand("status", "Alarms and health of a node; exit 1 on alarm");
  status->add_option("dir", status_args->dir, "The node directory")->required();
  status->add_flag("--json", status_args->json, "Print JSON");
  status->callback([&ctx, status_args] { RunNodeStatus(ctx, *status_args); });

  auto send_args = std::make_shared<NodeArgs>();
  auto* send = node->add_subcommand(
      "send", "Deliver a document to another party's node, signed with this node's key");
  send->add_option("dir", send_args->dir, "This party's node directory")->required();
  send->add_option("--to", send_args->to, "The other node's URL (http://...)")->required();
  send->add_option("--file", send_args->file, "The document")->required();
  send->callback([&ctx, send_args] { RunNodeSend(ctx, *send_args); });
}

}  // namespace tally::cli
