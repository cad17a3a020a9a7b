#include "tally/node/inspection_api.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/random.h"
#include "tally/crypto/sha256.h"
#include "tally/escrow/store.h"
#include "tally/inspection/party_log.h"
#include "tally/inspection/record_json.h"
#include "tally/inspection/round_secret.h"
#include "tally/jsondoc/reader.h"
#include "tally/node/declaration_api.h"
#include "tally/node/delivery.h"
#include "tally/node/node_log.h"
#include "tally/node/party_api.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/problem.h"
#include "tally/tlog/log_writer.h"

namespace tally::node {
namespace {

using nlohmann::json;
namespace in = inspection;
namespace fs = std::filesystem;

constexpr size_t kMaxStepBody = 256 << 10;
constexpr size_t kMaxObservations = 10000;
constexpr size_t kMaxField = 200;

Status Field(const std::string& field, const std::string& what) {
  return InvalidArgument(field + ": " + what);
}

Result<std::string> StringField(const json& value, const std::string& field) {
  if (!value.is_string()) return Field(field, "expected a string, got " + jsondoc::KindOf(value));
  std::string v = value.get<std::string>();
  if (v.empty()) return Field(field, "empty");
  if (v.size() > kMaxField) {
    return Field(field, "longer than " + std::to_string(kMaxField) + " bytes");
  }
  return v;
}

Result<in::Observation> ParseObservationValue(const json& value, const std::string& where) {
  if (!value.is_object()) return Field(where, "expected an object, got " + jsondoc::KindOf(value));
  in::Observation o;
  bool have_uid = false, have_status = false, have_warheads = false;
  for (const auto& [key, v] : value.items()) {
    const std::string field = where + "." + key;
    if (key == "uid") {
      TALLY_ASSIGN_OR_RETURN(o.uid, StringField(v, field));
      have_uid = true;
    } else if (key == "status") {
      TALLY_ASSIGN_OR_RETURN(o.status, StringField(v, field));
      have_status = true;
    } else if (key == "warheads") {
      if (!v.is_number_unsigned() || v.get<uint64_t>() > 9999) {
        return Field(field, "expected an integer 0-9999, got " + jsondoc::Describe(v));
      }
      o.warheads = static_cast<int64_t>(v.get<uint64_t>());
      have_warheads = true;
    } else {
      return Field(field, "unknown key (known: uid, status, warheads)");
    }
  }
  if (!have_uid) return Field(where + ".uid", "missing");
  if (!have_status) return Field(where + ".status", "missing");
  if (!have_warheads) return Field(where + ".warheads", "missing");
  return o;
}

// A step on an inspection this node's logs do not name: the request may be on a log its mirror
// has not caught up with, so the caller retries.
server::HttpResponse NotYetHeld(const std::string& id) {
  return server::Problem(409, "failed_precondition",
                         "no inspection \"" + id +
                             "\" on the logs this node holds (a mirror may not have caught up "
                             "yet; retry)",
                         "body.id");
}

// An inspection id that is also safe as a file name under NODE/private (documents/<id>/,
// secrets/<id>.secret): never "." or "..", whatever the replay would later say of it.
bool NodeSafeId(const std::string& id) {
  return in::ValidInspectionId(id) && id[0] != '.' && id.find("..") == std::string::npos;
}

// Text from other nodes (a delivery's refusal) may be anything: never let it fail an answer.
std::string SafeDump(const json& doc) {
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The SHA-256 (hex) of every document the entries of `logs` cite: openings cite their bundle,
// findings entries their findings document.
std::set<std::string> CitedDocuments(const in::Logs& logs) {
  std::set<std::string> out;
  for (const in::PartyLog& log : logs) {
    for (const in::LoggedEntry& e : log.entries()) {
      const std::string& b = e.bytes;
      for (size_t at = b.find("_sha256\":\""); at != std::string::npos;
           at = b.find("_sha256\":\"", at + 1)) {
        const size_t from = at + 10;
        if (from + 64 > b.size()) break;
        const std::string hex = b.substr(from, 64);
        if (std::all_of(hex.begin(), hex.end(),
                        [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
          out.insert(hex);
        }
      }
    }
  }
  return out;
}

std::string FieldOf(const Status& s) {
  const std::string& m = s.message();
  const size_t colon = m.find(':');
  return m.starts_with("body") && colon != std::string::npos ? m.substr(0, colon) : "";
}

}  // namespace

Result<InspectionStepRequest> ParseInspectionStep(std::string_view step, std::string_view body) {
  InspectionStepRequest out;
  out.step = std::string(step);
  std::vector<std::string> known = {"id"};
  if (step == "request") {
    known = {"id", "treaty", "type", "inspected", "site"};
  } else if (step == "open") {
    known = {"id", "phase"};
  } else if (step == "findings") {
    known = {"id", "observed", "unlisted"};
  } else if (step != "commit" && step != "reveal" && step != "deliver") {
    return NotFound("no inspection step \"" + std::string(step).substr(0, 40) +
                    "\" (steps: request, commit, reveal, open, findings, deliver)");
  }
  auto doc = jsondoc::ParseJson(body, "body");
  if (!doc.ok()) return doc.error();
  if (!doc->is_object()) return Field("body", "expected one JSON object");
  std::string known_list;
  for (const auto& k : known) known_list += (known_list.empty() ? "" : ", ") + k;
  bool have_observed = false;
  for (const auto& [key, value] : doc->items()) {
    const std::string field = "body." + key;
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return Field(field, "unknown key (known for " + out.step + ": " + known_list + ")");
    }
    if (key == "observed") {
      if (!value.is_array()) return Field(field, "expected an array of observations");
      if (value.size() > kMaxObservations) {
        return Field(field, "more than " + std::to_string(kMaxObservations) + " observations");
      }
      for (size_t i = 0; i < value.size(); ++i) {
        TALLY_ASSIGN_OR_RETURN(
            in::Observation o,
            ParseObservationValue(value[i], field + "[" + std::to_string(i) + "]"));
        out.observed.push_back(std::move(o));
      }
      have_observed = true;
      continue;
    }
    if (key == "unlisted") {
      if (!value.is_boolean()) return Field(field, "expected true or false");
      out.unlisted = value.get<bool>();
      continue;
    }
    TALLY_ASSIGN_OR_RETURN(std::string v, StringField(value, field));
    if (key == "id") out.id = std::move(v);
    if (key == "treaty") out.treaty = std::move(v);
    if (key == "type") out.type = std::move(v);
    if (key == "inspected") out.inspected = std::move(v);
    if (key == "site") out.site = std::move(v);
    if (key == "phase") out.phase = std::move(v);
  }
  if (out.id.empty()) return Field("body.id", "missing");
  if (!NodeSafeId(out.id)) {
    return Field("body.id", "expected 1-64 of [A-Za-z0-9._-], the inspecting party's code first");
  }
  if (step == "request") {
    if (out.type.empty()) return Field("body.type", "missing");
    if (out.inspected.empty()) return Field("body.inspected", "missing");
    if (out.site.empty()) return Field("body.site", "missing");
  }
  if (step == "open" && out.phase != "site" && out.phase != "designated") {
    return Field("body.phase", "expected \"site\" or \"designated\"");
  }
  if (step == "findings" && !have_observed) return Field("body.observed", "missing");
  return out;
}

// What a step is checked against, as this node holds it. Not movable: `lookup` and the source's
// index point into it.
struct InspectionApi::Source {
  in::ReplaySource replay;
  in::TreatyLookup lookup;
  uint64_t own_size = 0;
  std::vector<std::string> unmirrored;  // parties whose log this node holds no verified copy of
};

InspectionApi::InspectionApi(const NodeLayout& layout, const Trust& trust, const PartyInfo& self,
                             const Mirror& mirror, const tlog::NoteSigner& node_key,
                             const TreatyClock& clock, std::string token,
                             const std::atomic<uint64_t>& inbox_generation)
    : layout_(layout),
      trust_(trust),
      self_(self),
      mirror_(mirror),
      node_key_(node_key),
      clock_(clock),
      token_(std::move(token)),
      inbox_generation_(inbox_generation) {
  if (auto t = treaty::LoadDefaultTreaties(); t.ok()) treaties_ = std::move(*t);
}

bool InspectionApi::Authorized(const server::HttpRequest& request) const {
  return OperatorAuthorized(request, token_);
}

void InspectionApi::AddRoutes(server::Router& router) {
  for (const char* step : {"request", "commit", "reveal", "open", "findings", "deliver"}) {
    const std::string name = step;
    router.Add(
        "POST", "/api/inspections/" + name,
        [this, name](const server::HttpRequest& r) { return Step(name, r); },
        {kMaxStepBody, /*blocking=*/true},
        "Operator only (bearer token): the inspection step \"" + name +
            "\" of this party, checked by the replay and put on its own log");
  }
  router.AddPrefix(
      "GET", "/api/inspections/", [this](const server::HttpRequest& r) { return Show(r); },
      {0, /*blocking=*/true},
      "An inspection replayed from this node's logs and documents (path: the inspection id)");
}

Result<std::unique_ptr<InspectionApi::Source>> InspectionApi::LoadSource() const {
  auto source = std::make_unique<Source>();
  // The node's own newest checkpoint is cosigned after it is written: its content is what counts.
  auto own = in::ReadPartyLog(layout_.Log(), trust_.network(), 0);
  if (!own.ok())
    return Unavailable("this node's own log does not verify: " + own.error().message());
  source->own_size = own->size();
  source->replay.logs.push_back(std::move(*own));
  for (const auto& [origin, note] : mirror_.View()) {
    if (origin == self_.origin) continue;
    // A mirror that does not verify (yet) is left out: the steps that need it then say so.
    if (auto log = in::ReadPartyLog(mirror_.MirrorDir(origin), trust_.network()); log.ok()) {
      source->replay.logs.push_back(std::move(*log));
    }
  }
  // This party's own documents, then from the inbox only what a log this node holds cites, by
  // name: another party can fill the inbox, never what a replay reads.
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(NodeDocumentsPath(layout_), ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto bytes = ReadFile(it->path().string());
    if (bytes.ok()) source->replay.documents.Add(std::move(*bytes));
  }
  for (const std::string& hex : CitedDocuments(source->replay.logs)) {
    for (const network::Party& p : trust_.network().description().parties) {
      if (p.id == self_.id) continue;
      const std::string file = layout_.dir + "/inbox/" + p.id + "/" + hex;
      if (!FileExists(file)) continue;
      auto bytes = ReadFile(file);
      if (bytes.ok()) source->replay.documents.Add(std::move(*bytes));
    }
  }
  for (const network::Party& p : trust_.network().description().parties) {
    if (!in::FindLog(source->replay.logs, p.id)) source->unmirrored.push_back(p.id);
  }
  source->replay.Index();
  const treaty::TreatySet* treaties = &treaties_;
  source->lookup = [treaties](const std::string& id) { return treaties->Find(id); };
  return source;
}

Result<std::shared_ptr<const InspectionApi::Source>> InspectionApi::CurrentSource() const {
  // What the source is read from, named: the logs' checkpoints and the documents' file names (a
  // document's name is its SHA-256, and a file is never rewritten), so an unchanged key means an
  // unchanged source.
  std::string key = ReadFile(tlog::LogPaths::Checkpoint(layout_.Log())).value_or("?");
  for (const auto& [origin, note] : mirror_.View()) key += "\n" + origin + "\n" + note;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(NodeDocumentsPath(layout_), ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    key += "\n" + it->path().string();
  }
  // The inbox is not listed (another party fills it): the node counts what it stores there.
  key += "\ninbox " + std::to_string(inbox_generation_.load());
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (cached_ && key == cached_key_) return cached_;
  TALLY_ASSIGN_OR_RETURN(std::unique_ptr<Source> fresh, LoadSource());
  cached_ = std::shared_ptr<const Source>(std::move(fresh));
  cached_key_ = std::move(key);
  return cached_;
}

std::string InspectionApi::OtherParty(const Source& source, const std::string& id) const {
  auto record = in::Replay(source.lookup, source.replay, id, 0);
  if (!record.ok()) return "";
  return record->inspecting == self_.id ? record->request.inspected : record->inspecting;
}

server::HttpResponse InspectionApi::Step(const std::string& step,
                                         const server::HttpRequest& request) {
  if (!Authorized(request)) {
    return OperatorOnly();
  }
  auto r = ParseInspectionStep(step, request.body);
  if (!r.ok()) return server::ProblemFor(r.error(), FieldOf(r.error()));
  const std::string& network_treaty = trust_.network().description().treaty;
  if (step == "request" && !network_treaty.empty() && r->treaty != network_treaty) {
    return server::Problem(400, "invalid_argument",
                           "the network's treaty is " + network_treaty + ", not " + r->treaty,
                           "body.treaty");
  }
  std::unique_lock<std::mutex> lock(write_mu_);
  auto source = CurrentSource();
  if (!source.ok()) return server::ProblemFor(source.error());
  const Source& s = **source;
  if (step == "deliver") {
    const std::string other = OtherParty(s, r->id);
    if (other.empty()) {
      return NotYetHeld(r->id);
    }
    lock.unlock();  // a slow partner must not hold up this node's other steps
    const std::string failed = Deliver(r->id, other);
    return server::HttpResponse::Json(
        failed.empty() ? 200 : 502,
        json{{"inspection", r->id}, {"to", other}, {"delivered", failed.empty()}, {"error", failed}}
            .dump(-1, ' ', false, json::error_handler_t::replace));
  }
  auto clock_now = clock_.Now();
  if (!clock_now.ok()) return server::ProblemFor(clock_now.error());
  const int64_t now = *clock_now;
  const in::Actor actor{&s.lookup, &s.replay, self_.id};
  Result<in::Action> action = Unavailable("");
  if (step == "request") {
    action = in::RequestInspection(
        actor, now, in::Request{r->id, r->treaty, r->type, r->inspected, r->site, {}});
  } else if (step == "commit" || step == "reveal") {
    const std::string path = NodeSecretsPath(layout_) + "/" + r->id + ".secret";
    const std::string round = in::RoundId(r->id);
    if (step == "reveal") {
      auto secret = in::LoadRoundSecret(path, round);
      if (!secret.ok()) {
        return server::Problem(409, "failed_precondition",
                               "no committed secret of this node for " + r->id + " (commit first)",
                               "body.id");
      }
      action = in::RevealRandomness(actor, now, r->id, *secret);
    } else {
      if (FileExists(path)) {
        auto record = in::Replay(s.lookup, s.replay, r->id, now);
        if (!record.ok() || std::find(record->committed.begin(), record->committed.end(),
                                      self_.id) != record->committed.end()) {
          return server::Problem(409, "already_exists",
                                 "this node committed for " + r->id +
                                     " already; a fresh secret is drawn once per round",
                                 "body.id");
        }
        // Kept by an attempt whose commitment never reached the log: never public, so a fresh
        // one replaces it.
        std::error_code ignored;
        fs::remove(path, ignored);
      }
      inspect::Secret secret;
      crypto::SystemRandom().Fill(secret);
      action = in::CommitRandomness(actor, now, r->id, secret);
      // Kept before the commitment is logged: a commitment whose secret is lost could never be
      // revealed (a refusal on the record).
      if (action.ok()) {
        if (Status kept = in::SaveRoundSecret(path, round, secret); !kept.ok()) {
          return server::ProblemFor(kept);
        }
      }
    }
  } else if (step == "open") {
    const std::string other = OtherParty(s, r->id);
    if (other.empty()) {
      return NotYetHeld(r->id);
    }
    auto record = in::Replay(s.lookup, s.replay, r->id, now);
    const treaty::Treaty* t = record.ok() ? s.lookup(record->request.treaty) : nullptr;
    if (!t) return server::Problem(404, "not_found", "the inspection's treaty is unknown", "");
    // The opening is made from the store whose declaration the request pinned: each store is
    // tried, newest first, and the replay accepts only that one.
    const std::vector<std::string> stores = DeclarationStores(layout_);
    if (stores.empty()) {
      return server::Problem(409, "failed_precondition",
                             "this node holds no declaration store (POST /api/declarations, or "
                             "NODE/private/store from tally declare --out)",
                             "");
    }
    for (const std::string& dir : stores) {
      auto decl = escrow::OpenStore(dir, *t);
      if (!decl.ok()) {
        action = decl.error().WithContext(dir);
        continue;
      }
      action = r->phase == "site" ? in::OpenSite(actor, now, r->id, *decl)
                                  : in::OpenDesignated(actor, now, r->id, *decl);
      if (action.ok()) break;
    }
  } else {
    action = in::RecordFindings(actor, now, r->id, r->observed, r->unlisted);
  }
  if (!action.ok()) {
    const StatusCode c = action.error().code();
    if (c == StatusCode::kNotFound && !s.unmirrored.empty()) {
      // What is missing may be on a log this node has not verified a copy of yet: retry.
      std::string who;
      for (const std::string& p : s.unmirrored) who += (who.empty() ? "" : ", ") + p;
      return server::Problem(409, "failed_precondition",
                             action.error().message() + " (this node holds no verified copy of " +
                                 who + "'s log yet; retry)",
                             "body.id");
    }
    const int status = c == StatusCode::kNotFound ? 404 : 409;
    return server::Problem(status, status == 404 ? "not_found" : "failed_precondition",
                           action.error().message(), "body.id");
  }
  return Write(*r, s, *action, now, lock);
}

server::HttpResponse InspectionApi::Write(const InspectionStepRequest& r, const Source& source,
                                          const in::Action& action, int64_t now,
                                          std::unique_lock<std::mutex>& lock) {
  auto writer = OpenNodeLog(layout_);
  if (!writer.ok()) return server::ProblemFor(writer.error());
  if ((*writer)->size() != source.own_size) {
    return server::Problem(409, "failed_precondition",
                           "the log grew while the step was checked; send it again", "");
  }
  if (auto latest = (*writer)->latest_typed_time(); latest && *latest > now) {
    return server::Problem(409, "failed_precondition",
                           "the log's latest entry is dated after the node's clock", "");
  }
  std::string sha;
  if (!action.document.empty()) {
    // Partner-only (salts and records of opened items, or the inspectors' observations): kept
    // before the entry that cites it is logged, so the entry never points at nothing.
    const std::string dir = NodeDocumentsPath(layout_) + "/" + r.id;
    if (Status s = MakeDirectories(dir); !s.ok()) return server::ProblemFor(s);
    ::chmod(NodeDocumentsPath(layout_).c_str(), 0700);
    ::chmod(dir.c_str(), 0700);
    sha = crypto::HexEncode(crypto::Sha256Of(action.document));
    if (Status s = WriteFileAtomic(dir + "/" + sha, action.document, 0600); !s.ok()) {
      return server::ProblemFor(s);
    }
  }
  auto index = (*writer)->AppendTyped(std::span<const tlog::Entry>(&action.entry, 1));
  if (!index.ok()) return server::ProblemFor(index.error());
  // The log's lock and the steps' lock are released before the partner's node is called: a slow
  // partner must not hold up this node's other steps.
  writer->reset();
  lock.unlock();
  json out{{"inspection", r.id},
           {"step", r.step},
           {"party", self_.id},
           {"kind", std::string(tlog::KindName(action.entry.kind).value_or("?"))},
           {"index", *index}};
  if (!sha.empty()) {
    out["document"] = sha;
    const std::string other = OtherParty(source, r.id);
    const std::string failed = other.empty() ? "no other party" : Deliver(r.id, other);
    out["delivered_to"] = other;
    out["delivered"] = failed.empty();
    if (!failed.empty()) out["delivery_error"] = failed;
  }
  return server::HttpResponse::Json(201, SafeDump(out));
}

std::string InspectionApi::Deliver(const std::string& id, const std::string& to) const {
  std::error_code ec;
  std::vector<std::string> files;
  for (auto it = fs::directory_iterator(NodeDocumentsPath(layout_) + "/" + id, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    auto body = ReadFile(file);
    if (!body.ok()) return body.error().message();
    if (std::string failed = DeliverDocument(trust_, self_, node_key_, to, *body);
        !failed.empty()) {
      return failed;
    }
  }
  return "";
}

server::HttpResponse InspectionApi::Show(const server::HttpRequest& request) const {
  // The replayed record holds what the inspected party opened to its partner (the designated
  // items' declared records): partner-only, so operator-only here as well.
  if (!Authorized(request)) {
    return server::Problem(401, "unauthenticated",
                           "inspection records need Authorization: Bearer <NODE/private/"
                           "operator.token>",
                           "header.authorization");
  }
  const std::string id = request.path.substr(std::string_view("/api/inspections/").size());
  if (!NodeSafeId(id)) {
    return server::Problem(400, "invalid_argument", "expected /api/inspections/<inspection id>",
                           "path");
  }
  auto source = CurrentSource();
  if (!source.ok()) return server::ProblemFor(source.error());
  auto now = clock_.Now();
  if (!now.ok()) return server::ProblemFor(now.error());  // a replay needs its "now"
  auto record = in::Replay((*source)->lookup, (*source)->replay, id, *now);
  if (!record.ok()) return server::ProblemFor(record.error(), "path");
  return server::HttpResponse::Json(
      200, in::RecordJson(*record).dump(-1, ' ', false,
                                        nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace tally::node
