#include "tally/node/node.h"

#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/dashboard/regime_data.h"
#include "tally/dashboard/routes.h"
#include "tally/node/alarms.h"
#include "tally/node/declaration_api.h"
#include "tally/node/entry_api.h"
#include "tally/node/http_signature.h"
#include "tally/node/inspection_api.h"
#include "tally/node/log_files.h"
#include "tally/node/mirror.h"
#include "tally/node/node_config.h"
#include "tally/node/openapi.h"
#include "tally/node/party_api.h"
#include "tally/node/treaty_clock.h"
#include "tally/node/trust.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/http_server.h"
#include "tally/server/problem.h"
#include "tally/tlog/key_file.h"
#include "tally/tlog/note.h"

namespace tally::node {

// Documents one party may deliver to this node: the regime's needs are a few per inspection
// (New START: 18 a year), so this is years of them, and 10 GiB at the 1 MiB body limit.
constexpr size_t kMaxInboxDocuments = 10000;

class Node::Impl {
 public:
  NodeLayout layout;
  NodeConfig config;
  NodeOverrides overrides;
  server::Logger* log = nullptr;
  std::unique_ptr<Trust> trust;
  const PartyInfo* self = nullptr;
  std::unique_ptr<tlog::Witness> witness;
  std::unique_ptr<tlog::NoteSigner> node_key;
  std::unique_ptr<LogFiles> log_files;
  std::map<std::string, std::unique_ptr<LogFiles>> mirror_files;  // party -> its verified mirror
  std::unique_ptr<AlarmBook> alarms;
  std::unique_ptr<Mirror> mirror;
  std::unique_ptr<TreatyClock> clock;
  std::unique_ptr<PartyApi> api;                 // party nodes only
  std::unique_ptr<InspectionApi> inspections;    // party nodes only
  std::unique_ptr<EntryApi> entries;             // party nodes only
  std::unique_ptr<DeclarationApi> declarations;  // party nodes only
  server::Router router;
  std::unique_ptr<server::HttpServer> http;
  std::string openapi;

  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  NonceCache nonces;
  int64_t started_at = 0;
  std::atomic<uint64_t> inbox_generation{0};  // documents stored in the inbox (inspection_api.h)
  std::mutex inbox_mu;
  std::map<std::string, size_t> inbox_counts;  // per sender, counted on first use

  Status Check();
  void BuildRoutes();
  server::HttpResponse Health();
  server::HttpResponse View();
  server::HttpResponse Inbox(const server::HttpRequest& request);
};

// POST /inbox/<from>: a document from another party's node, signed by its node key (RFC 9421).
// 401 unsigned or badly signed, replayed or stale; 403 when the signer is not <from> or is this
// node's own party. Kept as NODE/inbox/<from>/<sha256 hex> (0600, durable) before the 201.
server::HttpResponse Node::Impl::Inbox(const server::HttpRequest& request) {
  const int64_t now = static_cast<int64_t>(WallClockSeconds());
  auto signer = VerifyRequest(request, *trust, now, started_at, nonces);
  if (!signer.ok()) {
    log->Warn(
        "signed_request_refused",
        {{"remote", request.remote}, {"path", request.path}, {"reason", signer.error().message()}});
    return server::Problem(401, "unauthenticated", signer.error().message(), "header.signature");
  }
  const std::string from = request.path.substr(std::string_view("/inbox/").size());
  if (from.empty() || from.find('/') != std::string::npos || from[0] == '.') {
    return server::Problem(400, "invalid_argument", "expected /inbox/<party id>", "path");
  }
  if (from != signer->party || (self && from == self->id)) {
    return server::Problem(403, "permission_denied",
                           "signed by " + signer->party + ": it may only deliver as itself, to " +
                               "another party's node",
                           "path");
  }
  const auto digest = crypto::Sha256Of(request.body);
  const std::string hex = crypto::HexEncode(digest);
  const std::string dir = layout.dir + "/inbox/" + from;
  // A quota per sender: a party may not fill another's disk (the replays read only what the logs
  // cite, so a full inbox costs space, never a step).
  std::lock_guard<std::mutex> lock(inbox_mu);
  auto counted = inbox_counts.find(from);
  if (counted == inbox_counts.end()) {
    size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      ++n;
    }
    counted = inbox_counts.emplace(from, n).first;
  }
  const bool known = FileExists(dir + "/" + hex);
  if (!known && counted->second >= kMaxInboxDocuments) {
    return server::Problem(429, "resource_exhausted",
                           from + " has delivered " + std::to_string(counted->second) +
                               " documents, this node's quota per party",
                           "path");
  }
  if (Status s = MakeDirectories(dir); !s.ok()) return server::ProblemFor(s);
  ::chmod((layout.dir + "/inbox").c_str(), 0700);
  if (Status s = WriteFileAtomic(dir + "/" + hex, request.body, 0600); !s.ok()) {
    return server::ProblemFor(s);
  }
  if (!known) ++counted->second;
  ++inbox_generation;
  return server::HttpResponse::Json(
      201, nlohmann::json{{"from", from}, {"sha256", hex}, {"bytes", request.body.size()}}.dump());
}

Status Node::Impl::Check() {
  // The regime must know this node's keys: a node it does not list is not a party of it.
  auto same = [](const std::string& listed, const std::string& ours) { return listed == ours; };
  const std::string wvkey = witness->signer().VerifierKey();
  const std::string nvkey = node_key->VerifierKey();
  if (!config.witness_only()) {
    self = trust->FindParty(config.party);
    if (!self) {
      return FailedPrecondition(trust->path() + ": party " + config.party +
                                " is not in the network; add the lines `tally node init` printed");
    }
    TALLY_ASSIGN_OR_RETURN(std::string log_vkey, ReadFile(layout.Log() + "/vkey"));
    while (!log_vkey.empty() && log_vkey.back() == '\n') log_vkey.pop_back();
    if (!same(self->log_key, log_vkey)) {
      return FailedPrecondition(trust->path() + ": the log_key of " + config.party +
                                " is not this node's log key (" + layout.Log() + "/vkey)");
    }
    if (!self->witness_key.empty() && !same(self->witness_key, wvkey)) {
      return FailedPrecondition(trust->path() + ": the witness_key of " + config.party +
                                " is not this node's witness key");
    }
    if (!self->node_key.empty() && !same(self->node_key, nvkey)) {
      return FailedPrecondition(trust->path() + ": the node_key of " + config.party +
                                " is not this node's node key");
    }
  } else {
    bool listed = false;
    for (const auto& w : trust->witnesses()) {
      if (w.name == config.witness_name) {
        if (!same(w.key, wvkey)) {
          return FailedPrecondition(trust->path() + ": the key of witness " + w.name +
                                    " is not this node's witness key");
        }
        listed = true;
      }
    }
    if (!listed) {
      return FailedPrecondition(trust->path() + ": witness " + config.witness_name +
                                " is not in the network; add the lines `tally node init` printed");
    }
  }
  return Status::Ok();
}

server::HttpResponse Node::Impl::Health() {
  nlohmann::json doc{{"status", "ok"}, {"network", trust->name()}};
  if (self) {
    doc["party"] = self->id;
    doc["origin"] = self->origin;
    doc["clock"] = TreatyClock::ModeName(clock->mode());
    if (auto cur = log_files->Latest(); cur.ok()) doc["size"] = cur->checkpoint.size;
  } else {
    doc["witness"] = config.witness_name;
  }
  auto list = alarms->List();
  doc["alarms"] = list.ok() ? list->size() : 0;
  if (http) {
    const auto st = http->stats();
    doc["requests"] = st.requests;
    doc["open_connections"] = st.open_connections;
  }
  return server::HttpResponse::Json(200, doc.dump());
}

server::HttpResponse Node::Impl::View() {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [origin, note] : mirror->View()) {
    list.push_back({{"origin", origin}, {"note", note}});
  }
  return server::HttpResponse::Json(200, nlohmann::json{{"checkpoints", list}}.dump());
}

void Node::Impl::BuildRoutes() {
  router.Add(
      "GET", "/healthz", [this](const server::HttpRequest&) { return Health(); }, {},
      "Liveness, and which party or witness this node is");
  if (self) {
    router.Add(
        "GET", "/checkpoint",
        [this](const server::HttpRequest&) { return log_files->Checkpoint(); }, {},
        "The log's latest signed checkpoint (c2sp.org/tlog-checkpoint)");
    router.AddPrefix(
        "GET", "/tile/", [this](const server::HttpRequest& r) { return log_files->Tile(r.path); },
        {}, "Hash tiles and entry bundles (c2sp.org/tlog-tiles)");
  }
  router.Add(
      "POST", "/add-checkpoint",
      [this](const server::HttpRequest& r) {
        return HandleAddCheckpoint(
            *witness, *trust, r, WallClockSeconds, *log,
            [this](const std::string& origin, const std::string& held, const std::string& got,
                   const std::string& why) {
              Alarm a{"fork", origin, why, "witness", {held, got}, WallClockSeconds()};
              (void)alarms->Raise(a);
              log->Error("alarm", {{"kind", "fork"}, {"origin", origin}, {"seen_by", "witness"}});
            });
      },
      {kMaxAddCheckpointBody, /*blocking=*/true},
      "Cosign a checkpoint if consistent (c2sp.org/tlog-witness)");
  router.AddPrefix(
      "POST", "/inbox/", [this](const server::HttpRequest& r) { return Inbox(r); },
      {1 << 20, /*blocking=*/true},
      "Deliver a document from another party (RFC 9421 signed by its node key)");
  router.Add(
      "GET", "/view", [this](const server::HttpRequest&) { return View(); }, {},
      "The latest verified checkpoint of every log this node follows (gossip)");
  router.Add(
      "GET", "/alarms",
      [this](const server::HttpRequest&) {
        auto list = alarms->List();
        if (!list.ok()) return server::ProblemFor(list.error());
        return server::HttpResponse::Json(200, AlarmBook::ToJson(*list));
      },
      {}, "Forks this node holds proof of, each with both signed checkpoints");
  if (api) {
    api->AddRoutes(router);
    clock->AddRoutes(router, api->token());
  }
  if (inspections) inspections->AddRoutes(router);
  if (entries) entries->AddRoutes(router);
  if (declarations) declarations->AddRoutes(router);
  // The dashboard at / over the embedded data (dashboard/routes.h), as `tally dashboard` serves it.
  const Date today = Date::FromDays(static_cast<int64_t>(WallClockSeconds() / 86400));
  if (auto site = dashboard::BuildDefaultSiteData(today); site.ok()) {
    auto docs = dashboard::BuildDashboardDocuments(*site);
    // The Log page over this node's logs: its own at / (the tlog-tiles routes above), each log it
    // follows under /logs/<party>/ as its mirror verified it (never a tile the mirror has not).
    std::map<std::string, std::string> bases;
    if (self) bases[self->id] = "";
    for (const PartyInfo& p : trust->network().description().parties) {
      if ((self && p.id == self->id) || p.url.empty()) continue;
      bases[p.id] = "logs/" + p.id + "/";
      mirror_files[p.id] = std::make_unique<LogFiles>(mirror->MirrorDir(p.origin));
    }
    docs->by_path["/api/regime.json"] = {
        std::make_shared<const std::string>(dashboard::RegimeJson(trust->network(), bases, {})),
        "application/json"};
    // A party node replays the inspections on the logs it holds (PartyApi, GET
    // /api/inspections.json); a witness-only node holds none and keeps the empty document.
    if (api) docs->by_path.erase("/api/inspections.json");
    dashboard::AddDashboardRoutes(router, std::move(docs));
    if (!mirror_files.empty()) {
      router.AddPrefix(
          "GET", "/logs/",
          [this](const server::HttpRequest& r) {
            const std::string_view rest = std::string_view(r.path).substr(6);
            const size_t slash = rest.find('/');
            auto it = mirror_files.find(std::string(rest.substr(0, slash)));
            if (slash == std::string_view::npos || it == mirror_files.end()) {
              return server::ProblemFor(NotFound("no followed log at " + r.path));
            }
            const std::string_view path = rest.substr(slash);
            if (path == "/checkpoint") return it->second->Checkpoint();
            return it->second->Tile(path);
          },
          {}, "The logs this node follows, as its mirrors verified them (c2sp.org/tlog-tiles)");
    }
  } else {
    log->Warn("dashboard_unavailable", {{"error", site.error().message()}});
  }
  openapi = BuildOpenApi(router, self ? self->id : config.witness_name);
  router.Add(
      "GET", "/openapi.json",
      [this](const server::HttpRequest&) { return server::HttpResponse::Json(200, openapi); }, {},
      "This document");
}

Result<std::unique_ptr<Node>> Node::Open(const std::string& dir, const NodeOverrides& o,
                                         server::Logger& logger) {
  auto impl = std::make_unique<Impl>();
  impl->layout = NodeLayout{dir};
  impl->overrides = o;
  impl->log = &logger;
  TALLY_ASSIGN_OR_RETURN(impl->config, LoadNodeConfig(impl->layout));
  NodeConfig& c = impl->config;
  if (!o.listen.empty()) c.listen = o.listen;
  if (!o.network.empty()) c.network = o.network;
  if (o.network_threads > 0) c.network_threads = o.network_threads;
  if (o.worker_threads > 0) c.worker_threads = o.worker_threads;
  if (o.poll_interval_ms > 0) c.poll_interval_ms = o.poll_interval_ms;
  if (o.mirror) c.mirror = *o.mirror;
  if (!o.clock.empty()) c.clock = o.clock;
  TALLY_ASSIGN_OR_RETURN(const TreatyClock::Mode clock_mode,
                         TreatyClock::ParseMode(c.clock, "clock"));
  impl->clock = std::make_unique<TreatyClock>(clock_mode);
  TALLY_ASSIGN_OR_RETURN(impl->trust, Trust::Load(NetworkPath(impl->layout, c)));
  TALLY_ASSIGN_OR_RETURN(impl->witness, tlog::Witness::Open(impl->layout.Witness()));
  TALLY_ASSIGN_OR_RETURN(auto nkey, tlog::ReadSecretKeyFile(impl->layout.NodeKey()));
  auto signer = tlog::Ed25519NoteSigner::FromSignerKey(crypto::AsText(nkey.bytes()));
  if (!signer.ok()) return signer.error().WithContext(impl->layout.NodeKey());
  impl->node_key = std::move(*signer);
  impl->log_files = std::make_unique<LogFiles>(impl->layout.Log());
  impl->alarms = std::make_unique<AlarmBook>(impl->layout.Alarms());
  TALLY_RETURN_IF_ERROR(impl->Check());
  impl->mirror =
      std::make_unique<Mirror>(impl->layout, *impl->trust, impl->self, impl->witness.get(),
                               *impl->alarms, logger, WallClockSeconds);
  if (impl->self) {
    TALLY_ASSIGN_OR_RETURN(impl->api, PartyApi::Open(impl->layout, *impl->trust, *impl->self,
                                                     *impl->mirror, *impl->clock));
    impl->inspections = std::make_unique<InspectionApi>(
        impl->layout, *impl->trust, *impl->self, *impl->mirror, *impl->node_key, *impl->clock,
        impl->api->token(), impl->inbox_generation);
    impl->declarations = std::make_unique<DeclarationApi>(impl->layout, *impl->trust, *impl->self,
                                                          *impl->clock, impl->api->token());
    impl->entries = std::make_unique<EntryApi>(impl->layout, *impl->trust, *impl->self,
                                               *impl->node_key, *impl->clock, impl->api->token());
  }
  impl->started_at = static_cast<int64_t>(WallClockSeconds());
  impl->BuildRoutes();
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Node::~Node() = default;

Status Node::Run() {
  Impl& s = *impl_;
  TALLY_ASSIGN_OR_RETURN(auto address, server::ParseListenAddress(s.config.listen));
  server::ServerOptions options;
  options.network_threads = s.config.network_threads;
  options.worker_threads = s.config.worker_threads;
  options.log_requests = s.overrides.log_requests;
  if (s.overrides.header_timeout_ms > 0) {
    options.header_timeout = std::chrono::milliseconds(s.overrides.header_timeout_ms);
    options.body_timeout = options.header_timeout;
  }
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.http = std::make_unique<server::HttpServer>(s.router, options, *s.log);
    if (s.stopping) s.http->Stop();  // a signal came before the server existed
  }
  TALLY_RETURN_IF_ERROR(s.http->Listen(address));
  const std::string bound = s.http->BoundAddress().ToString();
  const std::string ready =
      s.overrides.ready_file.empty() ? s.layout.Ready() : s.overrides.ready_file;
  TALLY_RETURN_IF_ERROR(MakeDirectories(std::filesystem::path(ready).parent_path().string()));
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(ready, bound + "\n"));
  s.log->Info("listening", {{"addr", bound},
                            {"party", s.self ? s.self->id : ""},
                            {"witness", s.witness->signer().name()},
                            {"ready_file", ready}});
  std::thread mirror_thread;
  if (s.config.mirror) {
    mirror_thread = std::thread([&s] {
      std::unique_lock<std::mutex> lock(s.mu);
      while (!s.stopping) {
        lock.unlock();
        s.mirror->PollOnce();
        lock.lock();
        s.cv.wait_for(lock, std::chrono::milliseconds(s.config.poll_interval_ms),
                      [&s] { return s.stopping; });
      }
    });
  }
  s.http->Run();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.stopping = true;
    s.cv.notify_all();
  }
  if (mirror_thread.joinable()) mirror_thread.join();
  s.log->Info("stopped", {{"requests", s.http->stats().requests}});
  return Status::Ok();
}

void Node::Stop() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->stopping = true;
  impl_->cv.notify_all();
  if (impl_->http) impl_->http->Stop();
}

}  // namespace tally::node
