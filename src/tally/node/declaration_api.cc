#include "tally/node/declaration_api.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/crypto/random.h"
#include "tally/escrow/statement.h"
#include "tally/escrow/store.h"
#include "tally/node/inspection_api.h"
#include "tally/node/node_log.h"
#include "tally/node/party_api.h"
#include "tally/server/problem.h"
#include "tally/tlog/entry.h"

namespace tally::node {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kMaxInventory = 64 << 20;

std::string StoresDir(const NodeLayout& layout) { return layout.Private() + "/stores"; }

}  // namespace

std::vector<std::string> DeclarationStores(const NodeLayout& layout) {
  std::vector<std::pair<uint64_t, std::string>> numbered;
  std::error_code ec;
  for (auto it = fs::directory_iterator(StoresDir(layout), ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    numbered.emplace_back(std::stoull(name), it->path().string());
  }
  std::sort(numbered.rbegin(), numbered.rend());
  std::vector<std::string> out;
  for (auto& [n, path] : numbered) out.push_back(std::move(path));
  if (fs::is_directory(NodeStorePath(layout), ec)) out.push_back(NodeStorePath(layout));
  return out;
}

DeclarationApi::DeclarationApi(const NodeLayout& layout, const Trust& trust, const PartyInfo& self,
                               const TreatyClock& clock, const std::string& token)
    : layout_(layout), trust_(trust), self_(self), clock_(clock), token_(token) {
  if (auto t = treaty::LoadDefaultTreaties(); t.ok()) treaties_ = std::move(*t);
}

void DeclarationApi::AddRoutes(server::Router& router) {
  router.Add(
      "POST", "/api/declarations", [this](const server::HttpRequest& r) { return Declare(r); },
      {kMaxInventory, /*blocking=*/true},
      "Operator only (bearer token): commit this party's inventory (CSV) under escrow in a store "
      "of the node's and log its statement");
}

server::HttpResponse DeclarationApi::Declare(const server::HttpRequest& request) {
  if (!OperatorAuthorized(request, token_)) {
    return OperatorOnly();
  }
  const std::string& named = trust_.network().description().treaty;
  const treaty::Treaty* t = treaties_.Find(named.empty() ? "new-start" : named);
  if (!t) return server::Problem(409, "failed_precondition", "the network's treaty is unknown");
  auto now = clock_.Now();
  if (!now.ok()) return server::ProblemFor(now.error());
  std::lock_guard<std::mutex> lock(mu_);
  // The log is opened (and locked) first: a log that cannot take the statement leaves no store.
  auto writer = OpenNodeLog(layout_);
  if (!writer.ok()) return server::ProblemFor(writer.error());
  if (auto latest = (*writer)->latest_typed_time(); latest && *latest > *now) {
    return server::Problem(409, "failed_precondition",
                           "the log's latest entry is dated after the node's clock", "");
  }
  const std::string stores = StoresDir(layout_);
  if (Status s = MakeDirectories(stores); !s.ok()) return server::ProblemFor(s);
  ::chmod(layout_.Private().c_str(), 0700);
  ::chmod(stores.c_str(), 0700);
  uint64_t next = 1;
  for (const std::string& dir : DeclarationStores(layout_)) {
    const std::string name = fs::path(dir).filename().string();
    if (dir.starts_with(stores) && std::all_of(name.begin(), name.end(), ::isdigit)) {
      next = std::max<uint64_t>(next, std::stoull(name) + 1);
    }
  }
  const std::string store = stores + "/" + std::to_string(next);
  // The inventory as received, beside the store (0600) and gone once the store holds it.
  const std::string csv = stores + "/incoming-" + std::to_string(next) + ".csv";
  if (Status s = WriteFileAtomic(csv, request.body, 0600); !s.ok()) return server::ProblemFor(s);
  escrow::StoreOptions options;
  options.declare.party = self_.id;
  auto declared = escrow::CreateStore(store, *t, csv, options, crypto::SystemRandom());
  std::error_code ec;
  fs::remove(csv, ec);
  if (!declared.ok()) {
    fs::remove_all(store, ec);
    const std::string m = declared.error().message();
    return server::Problem(400, "invalid_argument", m, "body");
  }
  const escrow::Statement& st = declared->statement();
  tlog::Entry e{static_cast<uint16_t>(tlog::EntryKind::kDeclaration), self_.id, *now,
                escrow::StatementToJson(st)};
  auto index = (*writer)->AppendTyped(std::span<const tlog::Entry>(&e, 1));
  if (!index.ok()) {
    fs::remove_all(store, ec);  // a store no statement on the log names would open nothing
    return server::ProblemFor(index.error());
  }
  return server::HttpResponse::Json(201,
                                    json{{"store", std::to_string(next)},
                                         {"index", *index},
                                         {"items", declared->item_count()},
                                         {"statement", json::parse(escrow::StatementToJson(st))}}
                                        .dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace tally::node
