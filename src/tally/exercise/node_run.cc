#include "tally/exercise/node_run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/escrow/notification.h"
#include "tally/inspection/party_log.h"
#include "tally/network/network.h"
#include "tally/node/node_init.h"
#include "tally/node/node_process.h"
#include "tally/server/http_client.h"
#include "tally/tlog/entry.h"

namespace tally::exercise {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxBatch = 512;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// One entry to publish: its party, bytes, time, and the documents it cites (with recipients).
struct Item {
  size_t party = 0;  // index into the nodes
  size_t index = 0;  // its index in that party's log
  int64_t time = 0;
  std::vector<std::pair<std::string, std::string>> deliver;  // (to, document)
};

constexpr char kWitnessName[] = "tally.example/witness";

struct Party {
  std::string id;
  bool witness_only = false;
  std::string dir;
  int port = 0;
  std::string token;
  std::unique_ptr<node::NodeProcess> process;
  const inspection::PartyLog* log = nullptr;
  uint64_t acked = 0;  // what the node's log holds, as it last said
  NodeReport report;
};

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

class Runner {
 public:
  Runner(const TreatyYearRun& run, const TreatyYearOptions& options,
         const inspection::TreatyLookup& treaties, const NodeRunOptions& o)
      : run_(run), options_(options), treaties_(treaties), o_(o) {}

  Result<NodeRunResult> Run() {
    const auto start = Clock::now();
    TALLY_RETURN_IF_ERROR(Prepare());
    TALLY_RETURN_IF_ERROR(StartAll());
    const auto published = Clock::now();
    TALLY_RETURN_IF_ERROR(Publish());
    result_.publish_seconds = Since(published);
    const auto settled = Clock::now();
    TALLY_RETURN_IF_ERROR(Settle());
    TALLY_RETURN_IF_ERROR(CheckVerdicts());
    result_.settle_seconds = Since(settled);
    CheckLogs();
    if (!o_.forked_log.empty()) TALLY_RETURN_IF_ERROR(StageFork());
    if (fork_node_) fork_node_->Stop();
    for (Party& p : parties_) {
      p.report.exit_code = p.process->Stop();
      result_.nodes.push_back(p.report);
    }
    if (witness_) {
      witness_->report.exit_code = witness_->process->Stop();
      result_.witness = witness_->report;
    }
    result_.total_seconds = Since(start);
    return result_;
  }

 private:
  Status Prepare() {
    std::error_code ec;
    if (fs::exists(o_.dir, ec) && !fs::is_empty(o_.dir, ec)) {
      return FailedPrecondition(o_.dir +
                                ": exists and is not empty (an exercise writes a fresh "
                                "folder)");
    }
    if (o_.tallyd.empty() || ::access(o_.tallyd.c_str(), X_OK) != 0) {
      return FailedPrecondition("tallyd: cannot run \"" + o_.tallyd +
                                "\" (build it, or give --tallyd PATH)");
    }
    TALLY_RETURN_IF_ERROR(MakeDirectories(o_.dir));
    ::chmod(o_.dir.c_str(), 0700);
    const std::string dir = fs::absolute(o_.dir).lexically_normal().string();
    result_.network_file = dir + "/network.toml";
    network::Description d;
    d.name = "exercise";
    d.treaty = options_.treaty;
    for (const inspection::PartyLog& log : run_.source.logs) {
      Party p;
      p.id = log.owner();
      p.log = &log;
      p.dir = dir + "/" + p.id;
      p.port = node::FreeLoopbackPort();
      if (p.port == 0) return Unavailable("no free loopback port for " + p.id + "'s node");
      node::InitOptions init;
      init.dir = p.dir;
      init.network = result_.network_file;
      init.party = p.id;
      init.origin = log.origin();
      init.listen = "127.0.0.1:" + std::to_string(p.port);
      TALLY_ASSIGN_OR_RETURN(node::InitResult made, node::InitNode(init));
      d.parties.push_back({p.id, made.origin, made.log_key, made.witness_key, made.node_key,
                           "http://" + init.listen + "/"});
      p.report.party = p.id;
      p.report.dir = p.dir;
      p.report.url = "http://" + init.listen + "/";
      parties_.push_back(std::move(p));
    }
    if (o_.witness || !o_.forked_log.empty()) {
      // A third party's witness-only node: it follows every log and cosigns what it verified.
      auto w = std::make_unique<Party>();
      w->id = "witness";
      w->witness_only = true;
      w->dir = dir + "/witness";
      w->port = node::FreeLoopbackPort();
      if (w->port == 0) return Unavailable("no free loopback port for the witness");
      node::InitOptions init;
      init.dir = w->dir;
      init.network = result_.network_file;
      init.witness_name = kWitnessName;
      init.listen = "127.0.0.1:" + std::to_string(w->port);
      TALLY_ASSIGN_OR_RETURN(node::InitResult made, node::InitNode(init));
      d.witnesses.push_back({kWitnessName, made.witness_key, "http://" + init.listen + "/"});
      w->report.party = "witness";
      w->report.dir = w->dir;
      w->report.url = "http://" + init.listen + "/";
      witness_ = std::move(w);
    }
    TALLY_ASSIGN_OR_RETURN(network::Network net, network::Network::Make(d, result_.network_file));
    network_.emplace(std::move(net));
    return WriteFileAtomic(result_.network_file, network_->ToToml());
  }

  Status Start(Party& p, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--poll-ms", std::to_string(o_.poll_ms)};
    if (!p.witness_only) args.insert(args.end(), {"--clock", "operator"});
    args.insert(args.end(), extra.begin(), extra.end());
    p.process = std::make_unique<node::NodeProcess>(o_.tallyd, p.dir, args,
                                                    "127.0.0.1:" + std::to_string(p.port));
    if (!p.process->started()) {
      return FailedPrecondition(p.id + "'s node did not start: " + p.process->error());
    }
    if (p.witness_only) return Status::Ok();
    TALLY_ASSIGN_OR_RETURN(std::string token, ReadFile(p.dir + "/private/operator.token"));
    p.token = Trimmed(std::move(token));
    return Status::Ok();
  }

  Status StartAll() {
    if (witness_) TALLY_RETURN_IF_ERROR(Start(*witness_));
    for (Party& p : parties_) TALLY_RETURN_IF_ERROR(Start(p));
    return Status::Ok();
  }

  std::vector<server::HttpHeader> Operator(const Party& p) const {
    return {{"authorization", "Bearer " + p.token}};
  }

  // The order the nodes receive the year in: every entry by treaty time (each party's own order
  // kept), consecutive entries of one party in one batch, a batch closed after an entry whose
  // document is then delivered before anything later happens.
  std::vector<Item> Schedule() const {
    // Who each document goes to: the other party of the inspection whose entry cites it.
    std::map<std::string, std::pair<std::string, std::string>>
        sides;  // id -> (inspecting, inspected)
    std::map<std::string, std::string> hex_to_document;
    for (const inspection::Hash32& hash : run_.source.documents.Hashes()) {
      if (auto bytes = run_.source.documents.Find(hash)) {
        hex_to_document[crypto::HexEncode(hash)] = *bytes;
      }
    }
    // Two passes: a request is on the inspecting party's log, its openings on the other's.
    for (const Party& p : parties_) {
      for (const inspection::LoggedEntry& logged : p.log->entries()) {
        auto e = tlog::DecodeEntry(logged.bytes);
        if (!e.ok() || e->kind != static_cast<uint16_t>(tlog::EntryKind::kInspectionRequest)) {
          continue;
        }
        const json payload = json::parse(e->payload, nullptr, false);
        if (payload.is_object() && payload.value("inspection", "") != "") {
          sides[payload.value("inspection", "")] = {e->party, payload.value("inspected", "")};
        }
      }
    }
    std::vector<Item> items;
    for (size_t k = 0; k < parties_.size(); ++k) {
      const auto& entries = parties_[k].log->entries();
      for (size_t i = 0; i < entries.size(); ++i) {
        auto e = tlog::DecodeEntry(entries[i].bytes);
        if (!e.ok()) continue;
        Item item{k, i, e->time, {}};
        if (e->payload.find("_sha256") != std::string::npos) {
          const json payload = json::parse(e->payload, nullptr, false);
          const std::string id = payload.is_object() ? payload.value("inspection", "") : "";
          auto s = sides.find(id);
          for (const auto& [hex, document] : hex_to_document) {
            if (s == sides.end() || e->payload.find(hex) == std::string::npos) continue;
            const std::string to = s->second.first == e->party ? s->second.second : s->second.first;
            item.deliver.emplace_back(to, document);
          }
        }
        items.push_back(std::move(item));
      }
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return a.time != b.time ? a.time < b.time : a.party < b.party;
    });
    return items;
  }

  // Sends entries [p.acked, end) of p's log, with `deliver`; resumes at whatever size the node
  // reports. A node that stops answering is restarted once per failure, up to three times.
  Status Send(Party& p, size_t end, const std::vector<std::pair<std::string, std::string>>& deliver,
              bool kill_mid_request) {
    bool delivered = deliver.empty();
    bool restarted = false;
    uint64_t before_kill = 0;
    for (int attempt = 0; attempt < 8; ++attempt) {
      json body{{"from", p.acked}, {"entries", json::array()}, {"deliver", json::array()}};
      for (size_t i = p.acked; i < end; ++i) {
        body["entries"].push_back(crypto::Base64Encode(p.log->entries()[i].bytes));
      }
      if (!delivered) {
        for (const auto& [to, document] : deliver) {
          body["deliver"].push_back({{"to", to}, {"document", crypto::Base64Encode(document)}});
        }
      }
      std::thread killer;
      if (kill_mid_request && attempt == 0) {
        // A crash at an arbitrary point of the append: the kill lands while the request is in
        // flight: from the seed, 0 to 10 ms in, so that some runs kill before the append, some
        // during, some after its answer.
        const pid_t pid = p.process->pid();
        const auto delay = std::chrono::microseconds(options_.seed * 2654435761u % 10000);
        killer = std::thread([pid, delay] {
          std::this_thread::sleep_for(delay);
          ::kill(pid, SIGKILL);
        });
      }
      server::HttpClient client(std::chrono::seconds(30));
      auto answer =
          client.Post(p.process->Url("/api/entries"), body.dump(), "application/json", Operator(p));
      ++p.report.requests;
      if (killer.joinable()) {
        killer.join();
        before_kill = p.acked;
        p.process->Kill9();  // reaps it
        ++p.report.restarts;
        TALLY_RETURN_IF_ERROR(Start(p));
        result_.events.push_back("killed " + p.id + "'s node (SIGKILL) during an append of " +
                                 std::to_string(end - before_kill) + " entries, " +
                                 std::to_string(before_kill) + " acknowledged before (" +
                                 (answer.ok() ? "its answer had arrived" : "no answer") + ")");
        restarted = true;
        continue;  // its log says where to resume: 409 with the size, or 201
      }
      if (!answer.ok()) {
        if (attempt >= 3) return Unavailable(p.id + "'s node: " + answer.error().message());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      const json doc = json::parse(answer->body, nullptr, false);
      if (answer->status == 409 && doc.is_object() && doc.contains("size") &&
          doc["size"].is_number_unsigned()) {
        const uint64_t size = doc["size"].get<uint64_t>();
        if (size < p.acked || size > end) {
          return Internal(p.id + "'s node holds " + std::to_string(size) +
                          " entries: it lost acknowledged ones or holds more than were sent");
        }
        if (restarted) {
          result_.events.back() += "; restarted, its log held " + std::to_string(size) +
                                   " entries and the run resumed there";
          restarted = false;
        }
        p.acked = size;
        continue;
      }
      if (answer->status != 201 || !doc.is_object()) {
        return Internal(p.id + "'s node refused entries " + std::to_string(p.acked) + "-" +
                        std::to_string(end - 1) + ": " + std::to_string(answer->status) + " " +
                        answer->body.substr(0, 300));
      }
      p.acked = doc.value("size", p.acked);
      bool all = true;
      for (const auto& d : doc["delivered"]) {
        if (!d.value("delivered", false)) all = false;
      }
      if (!delivered && all) p.report.documents_sent += deliver.size();
      delivered = delivered || all;
      if (restarted) {
        result_.events.back() += "; restarted, its log held " + std::to_string(before_kill) +
                                 " entries (the batch had not landed) and the run resent it";
        restarted = false;
      }
      if (p.acked == end && delivered) return Status::Ok();
    }
    return Unavailable(p.id + "'s node: entries up to " + std::to_string(end) +
                       " not acknowledged after 8 attempts");
  }

  // A week of treaty time at a time: each party's entries of the week in one append (at most
  // kMaxBatch), with the documents they cite, so that no node runs more than a week ahead of
  // another.
  Status Publish() {
    const std::vector<Item> items = Schedule();
    constexpr int64_t kWeek = 7 * 86400;
    for (size_t i = 0; i < items.size();) {
      const int64_t week = items[i].time / kWeek;
      size_t j = i;
      while (j < items.size() && items[j].time / kWeek == week) ++j;
      const bool chaos_now = o_.chaos && !chaos_done_ && j >= items.size() / 2;
      for (size_t k = 0; k < parties_.size(); ++k) {
        Party& p = parties_[k];
        std::vector<std::pair<std::string, std::string>> deliver;
        size_t end = 0, count = 0;
        for (size_t x = i; x < j; ++x) {
          if (items[x].party != k) continue;
          for (const auto& d : items[x].deliver) deliver.push_back(d);
          end = items[x].index + 1;
          if (++count == kMaxBatch) {
            TALLY_RETURN_IF_ERROR(Send(p, end, deliver, false));
            deliver.clear();
            count = 0;
          }
        }
        if (count == 0 && deliver.empty()) continue;
        const bool kill = chaos_now && k == 0;
        if (kill) chaos_done_ = true;
        TALLY_RETURN_IF_ERROR(Send(p, end, deliver, kill));
      }
      i = j;
    }
    return Status::Ok();
  }

  // The size of every log `node` verified, by origin, from its GET /view (gossip).
  static std::map<std::string, uint64_t> ViewSizes(server::HttpClient& client,
                                                   const node::NodeProcess& node) {
    std::map<std::string, uint64_t> out;
    auto view = client.Get(node.Url("/view"));
    if (!view.ok() || view->status != 200) return out;
    const json doc = json::parse(view->body, nullptr, false);
    if (!doc.is_object() || !doc.contains("checkpoints")) return out;
    for (const auto& c : doc["checkpoints"]) {
      const std::string note = c.value("note", "");
      const size_t a = note.find('\n');
      const size_t b = a == std::string::npos ? a : note.find('\n', a + 1);
      if (b == std::string::npos) continue;
      out[c.value("origin", "")] =
          std::strtoull(note.substr(a + 1, b - a - 1).c_str(), nullptr, 10);
    }
    return out;
  }

  // The node's alarms, counted; unread (and so failing the run) when /alarms does not answer.
  static void ReadAlarms(server::HttpClient& client, const node::NodeProcess& node,
                         NodeReport& report) {
    report.alarms_read = false;
    auto alarms = client.Get(node.Url("/alarms"));
    if (!alarms.ok() || alarms->status != 200) return;
    const json doc = json::parse(alarms->body, nullptr, false);
    if (!doc.is_object() || !doc.contains("alarms") || !doc["alarms"].is_array()) return;
    report.alarms = doc["alarms"].size();
    report.alarms_read = true;
  }

  // Waits until every node (and the witness) verified every other party's log to its full size
  // (mirrors poll), and reads the alarms.
  Status Settle() {
    server::HttpClient client(std::chrono::seconds(10));
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    std::vector<Party*> all;
    for (Party& p : parties_) all.push_back(&p);
    if (witness_) all.push_back(witness_.get());
    for (Party* p : all) {
      while (true) {
        const auto sizes = ViewSizes(client, *p->process);
        bool complete = true;
        for (const Party& other : parties_) {
          if (&other == p) continue;
          auto at = sizes.find(other.log->origin());
          complete = complete && at != sizes.end() && at->second == other.log->size();
        }
        if (complete || Clock::now() > deadline) {
          p->report.mirrors_complete = complete;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(o_.poll_ms));
      }
      ReadAlarms(client, *p->process, p->report);
    }
    return Status::Ok();
  }

  // One typed entry of `party` dated `time`: a movement notification (what a fork needs is any
  // entry the other view does not have).
  static std::string ForkEntry(const std::string& party, int64_t time, const std::string& uid) {
    escrow::Notification n;
    n.party = party;
    n.uid = uid;
    n.event = Date::FromDays(time / 86400);
    n.notified = n.event;
    n.detail = "forked-log exercise";
    auto bytes = tlog::EncodeEntry({static_cast<uint16_t>(tlog::EntryKind::kNotification), party,
                                    time, escrow::NotificationToJson(n)});
    return bytes.ok() ? *bytes : std::string();
  }

  // The forked-log cheat: the cheater appends one entry on its node (which the witness follows)
  // and shows its partner a copy of its log with another entry in its place. The partner is
  // restarted pointed at the copy — the cheater answering the partner from a fork — and must raise
  // the alarm by comparing what it was shown with the witness's view.
  Status StageFork() {
    ForkOutcome f;
    f.cheater = o_.forked_log;
    Party* cheater = nullptr;
    Party* partner = nullptr;
    for (Party& p : parties_) {
      if (p.id == f.cheater) cheater = &p;
      if (p.id != f.cheater && !partner) partner = &p;
    }
    if (!cheater || !partner || !witness_) {
      return InvalidArgument("forked-log: " + f.cheater + " is not a party of the run");
    }
    f.partner = partner->id;
    server::HttpClient client(std::chrono::seconds(10));
    TALLY_RETURN_IF_ERROR(Stop(*partner, "to be shown the fork"));
    const std::string fork_dir = cheater->dir + "-fork";
    std::error_code ec;
    fs::copy(cheater->dir, fork_dir, fs::copy_options::recursive, ec);
    if (ec) return IoError(fork_dir + ": " + ec.message());
    fs::remove(fork_dir + "/run/ready", ec);
    const int port = node::FreeLoopbackPort();
    fork_node_ = std::make_unique<node::NodeProcess>(
        o_.tallyd, fork_dir, std::vector<std::string>{"--clock", "operator", "--no-mirror"},
        "127.0.0.1:" + std::to_string(port));
    if (!fork_node_->started()) {
      return FailedPrecondition("the forked copy did not start: " + fork_node_->error());
    }
    const int64_t time = cheater->log->latest_time().value_or(0) + 86400;
    f.size = cheater->acked + 1;
    for (auto [node, uid] : {std::pair{cheater->process.get(), "shown-to-the-witness"},
                             std::pair{fork_node_.get(), "shown-to-the-partner"}}) {
      json body{{"from", cheater->acked},
                {"entries", {crypto::Base64Encode(ForkEntry(cheater->id, time, uid))}}};
      auto r = client.Post(node->Url("/api/entries"), body.dump(), "application/json",
                           Operator(*cheater));
      if (!r.ok() || r->status != 201) {
        return Internal("forked-log: the cheater's append was refused: " +
                        (r.ok() ? r->body.substr(0, 200) : r.error().message()));
      }
    }
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (!f.witness_saw && Clock::now() < deadline) {
      f.witness_saw = ViewSizes(client, *witness_->process)[cheater->log->origin()] == f.size;
      if (!f.witness_saw) std::this_thread::sleep_for(std::chrono::milliseconds(o_.poll_ms));
    }
    // The partner's copy of the network file: the same keys, the cheater's URL the fork's.
    network::Description seen = network_->description();
    for (network::Party& p : seen.parties) {
      if (p.id == cheater->id) p.url = fork_node_->Url("/");
    }
    const std::string seen_file = o_.dir + "/" + partner->id + "-is-shown.toml";
    TALLY_ASSIGN_OR_RETURN(network::Network seen_net, network::Network::Make(seen, seen_file));
    TALLY_RETURN_IF_ERROR(WriteFileAtomic(seen_file, seen_net.ToToml()));
    const auto shown = Clock::now();
    TALLY_RETURN_IF_ERROR(Start(*partner, {"--network", seen_file}));
    ++partner->report.restarts;
    partner->report.expects_alarm = true;
    while (Clock::now() < shown + std::chrono::seconds(30)) {
      auto alarms = client.Get(partner->process->Url("/alarms"));
      const json doc = alarms.ok() ? json::parse(alarms->body, nullptr, false) : json();
      if (doc.is_object() && doc.contains("alarms") && !doc["alarms"].empty()) {
        const json& a = doc["alarms"][0];
        f.caught = a.value("kind", "") == "fork" &&
                   a.value("origin", "") == cheater->log->origin() && a.contains("checkpoints") &&
                   a["checkpoints"].size() == 2;
        f.alarm = a.value("detail", "") + " (seen by " + a.value("seen_by", "") + ")";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(o_.poll_ms));
    }
    f.seconds = Since(shown);
    if (f.alarm.empty()) f.alarm = "no alarm on " + partner->id + "'s node within 30 s";
    ReadAlarms(client, *partner->process, partner->report);
    result_.events.push_back("forked-log: " + cheater->id + "'s node showed " + partner->id +
                             " a fork at size " + std::to_string(f.size) + "; " +
                             (f.caught ? "caught: " : "NOT caught: ") + f.alarm);
    result_.fork = std::move(f);
    return Status::Ok();
  }

  Status Stop(Party& p, const std::string& why) {
    const int code = p.process->Stop();
    if (code != 0) {
      return Internal(p.id + "'s node did not stop cleanly " + why + " (exit " +
                      std::to_string(code) + ")");
    }
    return Status::Ok();
  }

  // Every node that took part in an inspection replays it from what it holds.
  Status CheckVerdicts() {
    const int64_t end = run_.ends.days() * 86400;
    server::HttpClient client(std::chrono::seconds(60));
    for (const std::string& id : run_.inspections) {
      auto record = inspection::Replay(treaties_, run_.source, id, end);
      if (!record.ok()) {
        // Nothing to compare the nodes with: a failure of the run, never a silent skip.
        ++result_.verdicts_expected;
        result_.disagreements.push_back(
            {id, "(in process)", "(no in-process verdict: " + record.error().message() + ")", ""});
        continue;
      }
      const std::string expected = record->Verdict();
      for (Party& p : parties_) {
        if (p.id != record->inspecting && p.id != record->request.inspected) continue;
        ++result_.verdicts_expected;
        auto answer = client.Get(p.process->Url("/api/inspections/" + id), Operator(p));
        std::string got;
        if (!answer.ok()) {
          got = "(no answer: " + answer.error().message() + ")";
        } else {
          const json doc = json::parse(answer->body, nullptr, false);
          got =
              answer->status == 200 && doc.is_object()
                  ? doc.value("verdict", "")
                  : "(" + std::to_string(answer->status) + " " + answer->body.substr(0, 200) + ")";
        }
        ++result_.verdicts_checked;
        if (got != expected) result_.disagreements.push_back({id, p.id, expected, got});
      }
    }
    return Status::Ok();
  }

  // Each node's log holds the in-process log's entries, byte for byte.
  void CheckLogs() {
    for (Party& p : parties_) {
      auto held = inspection::ReadPartyLog(p.dir + "/log", *network_, 0);
      if (!held.ok()) continue;
      p.report.entries = held->size();
      bool same = held->size() == p.log->size();
      for (size_t i = 0; same && i < held->entries().size(); ++i) {
        same = held->entries()[i].bytes == p.log->entries()[i].bytes;
      }
      p.report.log_identical = same;
    }
  }

  const TreatyYearRun& run_;
  const TreatyYearOptions& options_;
  const inspection::TreatyLookup& treaties_;
  const NodeRunOptions& o_;
  std::vector<Party> parties_;
  std::optional<network::Network> network_;
  NodeRunResult result_;
  bool chaos_done_ = false;
  std::unique_ptr<Party> witness_;
  std::unique_ptr<node::NodeProcess> fork_node_;
};

}  // namespace

bool NodeRunResult::ok() const {
  if (!disagreements.empty() || verdicts_checked != verdicts_expected) return false;
  if (fork && !fork->caught) return false;
  for (const NodeReport& n : nodes) {
    if (!n.log_identical || !n.mirrors_complete || !n.alarms_read || n.exit_code != 0) return false;
    if (n.expects_alarm ? n.alarms == 0 : n.alarms != 0) return false;
  }
  if (witness && (!witness->mirrors_complete || !witness->alarms_read || witness->alarms != 0 ||
                  witness->exit_code != 0)) {
    return false;
  }
  return !nodes.empty();
}

Result<NodeRunResult> RunOnNodes(const TreatyYearRun& run, const TreatyYearOptions& options,
                                 const inspection::TreatyLookup& treaties,
                                 const NodeRunOptions& node_options) {
  Runner runner(run, options, treaties, node_options);
  return runner.Run();
}

}  // namespace tally::exercise
