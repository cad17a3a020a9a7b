#include "tally/inspection/party_log.h"

#include <nlohmann/json.hpp>

#include "tally/base/date.h"
#include "tally/base/file.h"
#include "tally/escrow/statement.h"
#include "tally/jsondoc/reader.h"
#include "tally/merkle/proof.h"
#include "tally/tlog/log_writer.h"
#include "tally/tlog/monitor.h"
#include "tally/tlog/tile.h"
#include "tally/tlog/tile_reader.h"

namespace tally::inspection {
namespace {

std::string TimeText(int64_t t) {
  int64_t days = t / 86400, rest = t % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return Date::FromDays(days).ToString() + buf;
}

}  // namespace

std::string LoggedEntry::Where() const {
  auto name = tlog::KindName(entry.kind);
  return log + " log entry " + std::to_string(index) + " (" +
         (name ? std::string(*name) : "kind " + std::to_string(entry.kind)) + ")";
}

PartyLog::PartyLog(std::string owner, std::string origin, std::string source)
    : owner_(std::move(owner)), origin_(std::move(origin)), source_(std::move(source)) {}

PartyLog::PartyLog(const PartyLog& other)
    : owner_(other.owner_),
      origin_(other.origin_),
      source_(other.source_),
      checkpoint_note_(other.checkpoint_note_),
      tree_(other.tree_),
      entries_(other.entries_),
      refused_(other.refused_),
      declarations_(other.declarations_),
      requests_(other.requests_),
      notifications_(other.notifications_),
      latest_time_(other.latest_time_),
      any_typed_(other.any_typed_) {
  Relink();
}

PartyLog& PartyLog::operator=(const PartyLog& other) {
  if (this == &other) return *this;
  PartyLog copy(other);
  *this = std::move(copy);
  return *this;
}

void PartyLog::Relink() {
  for (auto& d : declarations_) d.logged = &entries_[d.pos];
  for (auto& r : requests_) r.logged = &entries_[r.pos];
  for (auto& n : notifications_) n.logged = &entries_[n.pos];
}

void PartyLog::Append(std::string bytes) {
  const uint64_t index = tree_.size();
  tree_.Append(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  if (!tlog::LooksTyped(bytes)) return;
  auto e = tlog::DecodeEntry(bytes);
  if (!e.ok()) return;  // an untyped line that happens to start like one
  LoggedEntry logged{owner_, index, std::move(*e), std::move(bytes)};
  if (logged.entry.party != owner_) {
    refused_.push_back({std::move(logged), ""});
    RefusedEntry& r = refused_.back();
    r.reason = r.logged.Where() + ": an entry by " + r.logged.entry.party + " on " + owner_ +
               "'s log; an entry counts only on its own party's log";
    return;
  }
  if (any_typed_ && logged.entry.time < latest_time_) {
    refused_.push_back({std::move(logged), ""});
    RefusedEntry& r = refused_.back();
    r.reason = r.logged.Where() + ": dated " + TimeText(r.logged.entry.time) +
               ", before an earlier entry of the same log (" + TimeText(latest_time_) +
               "); within a log, time never goes back";
    return;
  }
  any_typed_ = true;
  latest_time_ = logged.entry.time;
  entries_.push_back(std::move(logged));
  const LoggedEntry& added = entries_.back();
  const size_t pos = entries_.size() - 1;
  if (added.entry.kind == static_cast<uint16_t>(tlog::EntryKind::kDeclaration)) {
    auto st = escrow::StatementFromJson(added.entry.payload, added.Where());
    if (st.ok()) declarations_.push_back({&added, pos, st->treaty, st->party});
  } else if (added.entry.kind == static_cast<uint16_t>(tlog::EntryKind::kInspectionRequest)) {
    requests_.push_back({&added, pos, ParseRequest(added.entry.payload, added.Where())});
  } else if (added.entry.kind == static_cast<uint16_t>(tlog::EntryKind::kNotification)) {
    auto parsed = jsondoc::ParseJson(added.entry.payload, added.Where());
    const nlohmann::json j = parsed.ok() ? std::move(*parsed) : nlohmann::json();
    if (j.is_object() && j.contains("uid") && j["uid"].is_string() && j.contains("event") &&
        j["event"].is_string()) {
      auto event = Date::Parse(j["event"].get<std::string>());
      const auto type = j.find("type");
      if (event.ok()) {
        notifications_.push_back(
            {&added, pos, j["uid"].get<std::string>(),
             type != j.end() && type->is_string() ? type->get<std::string>() : "change", *event});
      }
    }
  }
}

std::optional<merkle::Hash> PartyLog::RootAt(uint64_t size) const {
  if (size > tree_.size()) return std::nullopt;
  if (size == tree_.size()) return tree_.Root();
  auto root = merkle::TreeHash(size, const_cast<merkle::MemoryTree&>(tree_));
  if (!root.ok()) return std::nullopt;
  return *root;
}

const PartyLog* FindLog(const Logs& logs, std::string_view owner) {
  for (const PartyLog& l : logs) {
    if (l.owner() == owner) return &l;
  }
  return nullptr;
}

Result<PartyLog> ReadPartyLog(const std::string& dir, const network::Network& net,
                              std::optional<size_t> required_cosignatures) {
  TALLY_ASSIGN_OR_RETURN(std::string note, ReadFile(tlog::LogPaths::Checkpoint(dir)));
  auto verified = net.VerifyCheckpoint(note, required_cosignatures);
  if (!verified.ok()) return verified.error().WithContext(tlog::LogPaths::Checkpoint(dir));
  auto trust = net.TrustFor(verified->owner->origin, required_cosignatures);
  if (!trust.ok()) return trust.error().WithContext(dir);
  tlog::MonitorState state;
  auto report = tlog::MonitorLog(dir, trust->Keys(), state);
  if (!report.ok()) return report.error().WithContext(dir);
  const uint64_t size = report->checkpoint.size;
  PartyLog log(verified->owner->id, verified->owner->origin, dir);
  log.set_checkpoint_note(state.checkpoint_note);
  tlog::TileReader reader(dir, size, /*strict=*/true);
  for (uint64_t bundle = 0; bundle * tlog::kTileWidth < size; ++bundle) {
    auto entries = reader.ReadEntries(bundle);
    if (!entries.ok()) return entries.error().WithContext(dir);
    for (std::string& bytes : *entries) log.Append(std::move(bytes));
  }
  if (log.size() != size || log.RootAt(size) != report->checkpoint.root) {
    return DataLoss(dir + ": the entries read do not reproduce the verified root");
  }
  return log;
}

}  // namespace tally::inspection
