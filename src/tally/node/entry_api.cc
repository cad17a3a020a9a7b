#include "tally/node/entry_api.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/jsondoc/reader.h"
#include "tally/node/delivery.h"
#include "tally/node/inspection_api.h"
#include "tally/node/node_log.h"
#include "tally/node/party_api.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/problem.h"
#include "tally/tlog/entry.h"

namespace tally::node {
namespace {

using nlohmann::json;

constexpr size_t kMaxBody = 8 << 20;
constexpr size_t kMaxEntries = 4096;
constexpr size_t kMaxDeliveries = 64;
constexpr int64_t kWallSkew = 300;

Status Field(const std::string& field, const std::string& what) {
  return InvalidArgument(field + ": " + what);
}

Result<std::string> Base64Field(const json& v, const std::string& field) {
  if (!v.is_string()) return Field(field, "expected a base64 string, got " + jsondoc::KindOf(v));
  auto bytes = crypto::Base64Decode(v.get<std::string>());
  if (!bytes.ok()) return Field(field, bytes.error().message());
  return std::string(crypto::AsText(*bytes));
}

std::string FieldOf(const Status& s) {
  const std::string& m = s.message();
  return m.starts_with("body") ? m.substr(0, m.find(':')) : "";
}

}  // namespace

Result<EntryBatch> ParseEntryBatch(std::string_view body) {
  auto doc = jsondoc::ParseJson(body, "body");
  if (!doc.ok()) return doc.error();
  if (!doc->is_object()) return Field("body", "expected one JSON object");
  EntryBatch out;
  bool have_from = false;
  for (const auto& [key, v] : doc->items()) {
    const std::string field = "body." + key;
    if (key == "from") {
      if (!v.is_number_unsigned()) return Field(field, "expected the log size, a whole number");
      out.from = v.get<uint64_t>();
      have_from = true;
    } else if (key == "entries") {
      if (!v.is_array()) return Field(field, "expected an array of base64 entries");
      if (v.size() > kMaxEntries) {
        return Field(field, "more than " + std::to_string(kMaxEntries) + " entries");
      }
      for (size_t i = 0; i < v.size(); ++i) {
        TALLY_ASSIGN_OR_RETURN(std::string e,
                               Base64Field(v[i], field + "[" + std::to_string(i) + "]"));
        out.entries.push_back(std::move(e));
      }
    } else if (key == "deliver") {
      if (!v.is_array()) return Field(field, "expected an array of {\"to\", \"document\"}");
      if (v.size() > kMaxDeliveries) {
        return Field(field, "more than " + std::to_string(kMaxDeliveries) + " documents");
      }
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string where = field + "[" + std::to_string(i) + "]";
        if (!v[i].is_object() || v[i].size() != 2 || !v[i].contains("to") ||
            !v[i].contains("document")) {
          return Field(where, "expected exactly {\"to\", \"document\"}");
        }
        if (!v[i]["to"].is_string() || v[i]["to"].get<std::string>().empty()) {
          return Field(where + ".to", "expected a party id");
        }
        EntryBatch::Delivery d;
        d.to = v[i]["to"].get<std::string>();
        TALLY_ASSIGN_OR_RETURN(d.document, Base64Field(v[i]["document"], where + ".document"));
        if (d.document.empty()) return Field(where + ".document", "empty");
        out.deliver.push_back(std::move(d));
      }
    } else {
      return Field(field, "unknown key (known: from, entries, deliver)");
    }
  }
  if (!have_from) return Field("body.from", "missing");
  return out;
}

EntryApi::EntryApi(const NodeLayout& layout, const Trust& trust, const PartyInfo& self,
                   const tlog::NoteSigner& node_key, TreatyClock& clock, const std::string& token)
    : layout_(layout),
      trust_(trust),
      self_(self),
      node_key_(node_key),
      clock_(clock),
      token_(token) {}

void EntryApi::AddRoutes(server::Router& router) {
  router.Add(
      "POST", "/api/entries", [this](const server::HttpRequest& r) { return Append(r); },
      {kMaxBody, /*blocking=*/true},
      "Operator only (bearer token): append this party's entries to its own log, checked, and "
      "deliver their partner-only documents");
}

server::HttpResponse EntryApi::Append(const server::HttpRequest& request) {
  if (!OperatorAuthorized(request, token_)) {
    return OperatorOnly();
  }
  auto batch = ParseEntryBatch(request.body);
  if (!batch.ok()) return server::ProblemFor(batch.error(), FieldOf(batch.error()));
  for (size_t i = 0; i < batch->deliver.size(); ++i) {
    const std::string& to = batch->deliver[i].to;
    if (to == self_.id || !trust_.FindParty(to)) {
      return server::Problem(400, "invalid_argument",
                             "\"" + to.substr(0, 40) + "\" is not another party of the network",
                             "body.deliver[" + std::to_string(i) + "].to");
    }
  }
  std::unique_lock<std::mutex> lock(mu_);
  auto writer = OpenNodeLog(layout_);
  if (!writer.ok()) return server::ProblemFor(writer.error());
  if ((*writer)->size() != batch->from) {
    server::HttpResponse conflict =
        server::Problem(409, "failed_precondition",
                        "the log holds " + std::to_string((*writer)->size()) + " entries, not " +
                            std::to_string(batch->from),
                        "body.from");
    json problem = json::parse(conflict.body);
    problem["size"] = (*writer)->size();  // where the caller resumes
    conflict.body = problem.dump();
    return conflict;
  }
  if (!own_ || own_->size() != (*writer)->size()) {
    // Read without a cosignature quorum: the node's own newest checkpoint is cosigned after it
    // is written, and what is checked here is the log's content.
    auto own = inspection::ReadPartyLog(layout_.Log(), trust_.network(), 0);
    if (!own.ok()) {
      own_.reset();
      return server::Problem(503, "unavailable",
                             "this node's own log does not verify: " + own.error().message(), "");
    }
    own_ = std::move(*own);
  }
  // Dates: after the log's latest and each other's, and by the node's clock.
  const bool treaty_time = clock_.mode() == TreatyClock::Mode::kOperator;
  auto now = clock_.Now();
  int64_t latest = (*writer)->latest_typed_time().value_or(INT64_MIN);
  if (treaty_time && now.ok()) latest = std::max(latest, *now);
  const size_t refused_before = own_->refused().size();
  for (size_t i = 0; i < batch->entries.size(); ++i) {
    const std::string field = "body.entries[" + std::to_string(i) + "]";
    auto e = tlog::DecodeEntry(batch->entries[i]);
    if (!e.ok()) {
      own_.reset();
      return server::Problem(400, "invalid_argument", "not a typed entry: " + e.error().message(),
                             field);
    }
    std::string why;
    if (e->party != self_.id) {
      why = "an entry of " + e->party.substr(0, 40) + ": a node logs its own party's entries only";
    } else if (e->time < latest) {
      why = "dated " + std::to_string(e->time) + ", before " + std::to_string(latest) +
            (treaty_time ? " (the log's latest entry or the node's treaty clock)"
                         : " (the log's latest entry)");
    } else if (!treaty_time && now.ok() &&
               (e->time > *now + kWallSkew || e->time < *now - kWallSkew)) {
      why = "dated " + std::to_string(e->time) + ", more than " + std::to_string(kWallSkew) +
            " s from the node's clock " + std::to_string(*now);
    }
    if (why.empty()) {
      own_->Append(batch->entries[i]);
      if (own_->refused().size() != refused_before) why = own_->refused().back().reason;
    }
    if (!why.empty()) {
      own_.reset();  // it holds the batch's first entries: read the log again next time
      return server::Problem(400, "invalid_argument", why, field);
    }
    latest = e->time;
  }
  uint64_t size = (*writer)->size();
  if (!batch->entries.empty()) {
    auto appended = (*writer)->Append(batch->entries);
    if (!appended.ok()) {
      own_.reset();
      return server::ProblemFor(appended.error());
    }
    size = (*writer)->size();
    if (treaty_time) (void)clock_.Set(latest);
  }
  // The log's lock and the appends' lock are released before other nodes are called: a slow
  // partner must not hold up this node's appends.
  writer->reset();
  lock.unlock();
  json delivered = json::array();
  for (const EntryBatch::Delivery& d : batch->deliver) {
    const std::string sha = crypto::HexEncode(crypto::Sha256Of(d.document));
    const std::string dir = NodeDocumentsPath(layout_) + "/entries";
    std::string failed;
    if (Status s = MakeDirectories(dir); !s.ok()) {
      failed = s.message();
    } else {
      ::chmod(NodeDocumentsPath(layout_).c_str(), 0700);
      ::chmod(dir.c_str(), 0700);
      if (Status w = WriteFileAtomic(dir + "/" + sha, d.document, 0600); !w.ok()) {
        failed = w.message();
      } else {
        failed = DeliverDocument(trust_, self_, node_key_, d.to, d.document);
      }
    }
    delivered.push_back(
        {{"to", d.to}, {"sha256", sha}, {"delivered", failed.empty()}, {"error", failed}});
  }
  return server::HttpResponse::Json(
      201, json{{"size", size}, {"appended", batch->entries.size()}, {"delivered", delivered}}.dump(
               -1, ' ', false, json::error_handler_t::replace));
}

}  // namespace tally::node
