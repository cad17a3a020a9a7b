#include "tally/node/party_api.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "tally/base/date.h"
#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/random.h"
#include "tally/escrow/notification.h"
#include "tally/inspection/ledger.h"
#include "tally/inspection/party_log.h"
#include "tally/inspection/record_json.h"
#include "tally/jsondoc/reader.h"
#include "tally/node/node_log.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/problem.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/log_writer.h"
#include "tally/tlog/note.h"

namespace tally::node {
namespace {

using nlohmann::json;

// The value of `key` in a query string "a=1&b=2" (no percent-decoding: ids and dates need none).
std::string QueryValue(const std::string& query, std::string_view key) {
  size_t pos = 0;
  while (pos <= query.size()) {
    const size_t end = std::min(query.find('&', pos), query.size());
    const std::string_view part(query.data() + pos, end - pos);
    if (part.size() > key.size() && part.substr(0, key.size()) == key && part[key.size()] == '=') {
      return std::string(part.substr(key.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

// The tree size a signed checkpoint note states (unverified: the mirror verified it).
std::optional<uint64_t> SizeOf(std::string_view note) {
  auto parsed = tlog::ParseNote(note);
  if (!parsed.ok()) return std::nullopt;
  auto cp = tlog::ParseCheckpoint(parsed->text);
  if (!cp.ok()) return std::nullopt;
  return cp->size;
}

bool SameBytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Result<std::string> ReadOrMakeToken(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return IoError(path + ": " + std::strerror(errno));
    std::array<uint8_t, 32> bytes{};
    crypto::SystemRandom().Fill(bytes);
    const std::string token = crypto::HexEncode(bytes) + "\n";
    // O_EXCL: two first starts never end with a token one of them does not know.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      const bool ok =
          ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size()) &&
          ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) return IoError(path + ": cannot write the operator token");
    } else if (errno != EEXIST) {
      return IoError(path + ": " + std::strerror(errno));
    }
    if (::stat(path.c_str(), &st) != 0) return IoError(path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    return PermissionDenied(path + ": the operator token is readable by others (chmod 600)");
  }
  TALLY_ASSIGN_OR_RETURN(std::string token, ReadFile(path));
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.size() < 64) {
    return InvalidArgument(path + ": the operator token must be at least 64 characters");
  }
  return token;
}

}  // namespace

Result<NotificationRequest> ParseNotificationRequest(std::string_view text,
                                                     const std::string& party, int64_t now) {
  auto parsed = jsondoc::ParseJson(text, "body");
  if (!parsed.ok()) return parsed.status();
  json doc = std::move(*parsed);
  if (!doc.is_object()) return InvalidArgument("body: expected one JSON object");
  NotificationRequest out;
  out.n.party = party;
  bool have_type = false, have_uid = false, have_event = false;
  for (const auto& [key, value] : doc.items()) {
    const std::string field = "body." + key;
    if (key != "treaty" && key != "type" && key != "uid" && key != "event" && key != "notified" &&
        key != "detail") {
      return InvalidArgument(field +
                             ": unknown key (known: treaty, type, uid, event, notified, "
                             "detail)");
    }
    if (!value.is_string()) return InvalidArgument(field + ": expected a string");
    const std::string v = value.get<std::string>();
    if (v.size() > 1000) return InvalidArgument(field + ": longer than 1000 bytes");
    if (key == "treaty") {
      out.treaty = v;
    } else if (key == "type") {
      auto type = escrow::ParseNotificationType(v);
      if (!type) return InvalidArgument(field + ": unknown notification type \"" + v + "\"");
      out.n.type = *type;
      have_type = true;
    } else if (key == "uid") {
      if (v.empty()) return InvalidArgument(field + ": empty");
      out.n.uid = v;
      have_uid = true;
    } else if (key == "event" || key == "notified") {
      auto d = Date::Parse(v);
      if (!d.ok()) return InvalidArgument(field + ": " + d.error().message());
      (key == "event" ? out.n.event : out.n.notified.emplace()) = *d;
      have_event = have_event || key == "event";
    } else {
      out.n.detail = v;
    }
  }
  if (!have_type) return InvalidArgument("body.type: missing");
  if (!have_uid) return InvalidArgument("body.uid: missing");
  if (!have_event) return InvalidArgument("body.event: missing");
  // The node's clock dates the notification: a client-chosen date could backdate a late one (the
  // replay trusts the log's time) or future-date the log shut (time never goes back in a log).
  const Date today = Date::FromDays(now / 86400);
  if (out.n.notified && *out.n.notified != today) {
    return InvalidArgument("body.notified: must be the node's day " + today.ToString() +
                           " when given (got " + out.n.notified->ToString() + ")");
  }
  out.n.notified = today;
  if (out.n.event > today) {
    return InvalidArgument("body.event: in the future (the node's day is " + today.ToString() +
                           ")");
  }
  return out;
}

Result<std::unique_ptr<PartyApi>> PartyApi::Open(const NodeLayout& layout, const Trust& trust,
                                                 const PartyInfo& self, const Mirror& mirror,
                                                 const TreatyClock& clock) {
  TALLY_ASSIGN_OR_RETURN(std::string token, ReadOrMakeToken(OperatorTokenPath(layout)));
  TALLY_ASSIGN_OR_RETURN(treaty::TreatySet treaties, treaty::LoadDefaultTreaties());
  return std::unique_ptr<PartyApi>(
      new PartyApi(layout, trust, self, mirror, clock, std::move(token), std::move(treaties)));
}

PartyApi::PartyApi(const NodeLayout& layout, const Trust& trust, const PartyInfo& self,
                   const Mirror& mirror, const TreatyClock& clock, std::string token,
                   treaty::TreatySet treaties)
    : layout_(layout),
      trust_(trust),
      self_(self),
      mirror_(mirror),
      clock_(clock),
      token_(std::move(token)),
      treaties_(std::move(treaties)) {}

bool OperatorAuthorized(const server::HttpRequest& request, const std::string& token) {
  const std::string* auth = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (token.empty() || !auth || auth->size() <= kBearer.size() ||
      auth->compare(0, kBearer.size(), kBearer) != 0) {
    return false;
  }
  return SameBytes(std::string_view(*auth).substr(kBearer.size()), token);
}

server::HttpResponse OperatorOnly() {
  return server::Problem(401, "unauthenticated",
                         "operator writes need Authorization: Bearer <NODE/private/"
                         "operator.token>",
                         "header.authorization");
}

bool PartyApi::Authorized(const server::HttpRequest& request) const {
  return OperatorAuthorized(request, token_);
}

void PartyApi::AddRoutes(server::Router& router) {
  router.Add(
      "GET", "/api/status", [this](const server::HttpRequest&) { return Status(); }, {},
      "This party's log and the verified size of every log it follows");
  router.Add(
      "GET", "/api/quotas", [this](const server::HttpRequest& r) { return Quotas(r); },
      {0, /*blocking=*/true},
      "Inspections used and left per inspecting party and type (query: treaty, date)");
  router.Add(
      "GET", "/api/inspections.json", [this](const server::HttpRequest&) { return Inspections(); },
      {0, /*blocking=*/true},
      "Every inspection on the logs this node holds, replayed from the logs alone (dashboard)");
  router.Add(
      "POST", "/api/notifications",
      [this](const server::HttpRequest& r) { return AddNotification(r); },
      {16 << 10, /*blocking=*/true},
      "Operator only (bearer token): put a notification of this party on its own log");
}

server::HttpResponse PartyApi::Status() const {
  json doc{{"party", self_.id}, {"origin", self_.origin}};
  auto own = ReadFile(tlog::LogPaths::Checkpoint(layout_.Log()));
  if (own.ok()) {
    if (auto size = SizeOf(*own)) doc["size"] = *size;
  }
  json followed = json::array();
  for (const auto& [origin, note] : mirror_.View()) {
    const PartyInfo* p = trust_.FindByOrigin(origin);
    json f{{"origin", origin}, {"party", p ? p->id : ""}};
    if (auto size = SizeOf(note)) f["size"] = *size;
    followed.push_back(std::move(f));
  }
  doc["followed"] = std::move(followed);
  return server::HttpResponse::Json(200, doc.dump());
}

std::string PartyApi::HeldKey() const {
  auto own = ReadFile(tlog::LogPaths::Checkpoint(layout_.Log()));
  std::string key = std::to_string(own.ok() ? SizeOf(*own).value_or(0) : 0);
  for (const auto& [origin, note] : mirror_.View()) {
    if (origin == self_.origin) continue;
    key += " " + origin + "=" + std::to_string(SizeOf(note).value_or(0));
  }
  return key;
}

std::optional<server::HttpResponse> PartyApi::ReadHeld(inspection::Logs& logs, json& unread) const {
  std::vector<std::string> dirs = {layout_.Log()};
  std::vector<std::string> origins = {self_.origin};
  for (const auto& [origin, note] : mirror_.View()) {
    if (origin == self_.origin) continue;
    dirs.push_back(mirror_.MirrorDir(origin));
    origins.push_back(origin);
  }
  // Every log this node holds, each verified under the network as a replay reads it.
  for (size_t k = 0; k < dirs.size(); ++k) {
    auto log = inspection::ReadPartyLog(dirs[k], trust_.network());
    if (!log.ok()) {
      if (k == 0) {
        return server::Problem(503, "unavailable",
                               "this node's own log does not verify under the network yet (" +
                                   std::string(StatusCodeName(log.error().code())) + ")",
                               "");
      }
      unread.push_back(
          {{"origin", origins[k]}, {"reason", std::string(StatusCodeName(log.error().code()))}});
      continue;
    }
    logs.push_back(std::move(*log));
  }
  return std::nullopt;
}

server::HttpResponse PartyApi::Inspections() const {
  const std::string id = trust_.network().description().treaty.empty()
                             ? "new-start"
                             : trust_.network().description().treaty;
  const treaty::Treaty* t = treaties_.Find(id);
  if (!t) return server::ProblemFor(NotFound("unknown treaty \"" + id + "\""));
  std::unique_lock<std::mutex> busy(inspections_mu_, std::try_to_lock);
  if (!busy.owns_lock()) {
    return server::Problem(503, "unavailable", "an inspection reading is in progress; retry", "");
  }
  const std::string key = HeldKey();
  if (key == inspections_key_) return server::HttpResponse::Json(200, inspections_body_);
  inspection::ReplaySource source;
  json unread = json::array();
  if (auto refusal = ReadHeld(source.logs, unread)) return *refusal;
  source.Index();
  const inspection::TreatyLookup lookup = [this](const std::string& x) {
    return treaties_.Find(x);
  };
  const int64_t now = inspection::LatestEntryTime(source.logs).value_or(0);
  auto doc = inspection::OverviewJson(lookup, source, *t, now);
  if (!doc.ok()) return server::ProblemFor(doc.error());
  (*doc)["unread"] = unread;
  (*doc)["note"] =
      "Replayed from the logs alone: this node serves no document the parties handed each other, "
      "so a replay stops at the first step that needs one (a bundle, the findings).";
  inspections_body_ = doc->dump(-1, ' ', false, json::error_handler_t::replace);
  inspections_key_ = key;
  return server::HttpResponse::Json(200, inspections_body_);
}

server::HttpResponse PartyApi::Quotas(const server::HttpRequest& request) const {
  std::string treaty_id = QueryValue(request.query, "treaty");
  if (treaty_id.empty()) treaty_id = "new-start";
  const treaty::Treaty* t = treaties_.Find(treaty_id);
  if (!t) {
    return server::Problem(400, "invalid_argument", "unknown treaty \"" + treaty_id + "\"",
                           "query.treaty");
  }
  const std::string date_text = QueryValue(request.query, "date");
  auto clock_now = clock_.Now();
  Date day = Date::FromDays((clock_now.ok() ? *clock_now : 0) / 86400);
  if (!date_text.empty()) {
    auto d = Date::Parse(date_text);
    if (!d.ok()) return server::Problem(400, "invalid_argument", d.error().message(), "query.date");
    day = *d;
  }
  // One reading at a time (each verifies every log it holds): a busy node says so rather than
  // queueing readers behind the witness and inbox on the shared workers.
  std::unique_lock<std::mutex> busy(quota_mu_, std::try_to_lock);
  if (!busy.owns_lock()) {
    return server::Problem(503, "unavailable", "a quota reading is in progress; retry", "");
  }
  const std::string key = t->id + " " + day.ToString() + " " + HeldKey();
  if (key == quota_key_) return server::HttpResponse::Json(200, quota_body_);
  inspection::Logs logs;
  json unread = json::array();
  if (auto refusal = ReadHeld(logs, unread)) return *refusal;
  auto rows = inspection::QuotaReport(*t, inspection::BuildLedger(*t, logs), day);
  if (!rows.ok()) return server::ProblemFor(rows.error(), "query.date");
  json list = json::array();
  for (const inspection::QuotaRow& row : *rows) {
    list.push_back({{"party", row.party},
                    {"type", row.type},
                    {"treaty_year", row.year.number},
                    {"used", row.used},
                    {"quota", row.quota},
                    {"remaining", row.remaining}});
  }
  quota_body_ =
      json{{"treaty", t->id}, {"date", day.ToString()}, {"quotas", list}, {"unread", unread}}.dump(
          -1, ' ', false, json::error_handler_t::replace);
  quota_key_ = key;
  return server::HttpResponse::Json(200, quota_body_);
}

server::HttpResponse PartyApi::AddNotification(const server::HttpRequest& request) {
  if (!Authorized(request)) {
    return OperatorOnly();
  }
  auto clock_now = clock_.Now();
  if (!clock_now.ok()) return server::ProblemFor(clock_now.error());
  const int64_t now = *clock_now;
  auto body = ParseNotificationRequest(request.body, self_.id, now);
  if (!body.ok()) {
    const std::string m = body.error().message();
    return server::Problem(400, "invalid_argument", m, m.substr(0, m.find(':')));
  }
  const treaty::Treaty* t = treaties_.Find(body->treaty);
  if (!t) {
    return server::Problem(400, "invalid_argument", "unknown treaty \"" + body->treaty + "\"",
                           "body.treaty");
  }
  const std::string& network_treaty = trust_.network().description().treaty;
  if (!network_treaty.empty() && body->treaty != network_treaty) {
    return server::Problem(400, "invalid_argument",
                           "the network's treaty is " + network_treaty + ", not " + body->treaty,
                           "body.treaty");
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  auto log = OpenNodeLog(layout_);
  if (!log.ok()) return server::ProblemFor(log.error());
  if (auto latest = (*log)->latest_typed_time(); latest && *latest > now) {
    return server::Problem(409, "failed_precondition",
                           "the log's latest entry is dated after the node's clock", "");
  }
  auto logged = escrow::AppendNotification(*t, **log, body->n, now);
  if (!logged.ok()) {
    return server::ProblemFor(
        logged.error(),
        logged.error().code() == StatusCode::kFailedPrecondition ? "body.type" : "");
  }
  return server::HttpResponse::Json(201, json{{"index", logged->index},
                                              {"due", logged->deadline.due.ToString()},
                                              {"rule", logged->deadline.rule},
                                              {"late", logged->late}}
                                             .dump());
}

}  // namespace tally::node
