#include "tally/node/mirror.h"

#include <nlohmann/json.hpp>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/jsondoc/reader.h"
#include "tally/merkle/proof.h"
#include "tally/tlog/durable_files.h"
#include "tally/tlog/tile.h"
#include "tally/tlog/tile_reader.h"

namespace tally::node {
namespace {

struct SignedCheckpoint {
  tlog::Checkpoint checkpoint;
  std::string note;
};

// The checkpoint of `note` if `origin`'s log key (from the network) signed it.
Result<SignedCheckpoint> OpenCheckpoint(const Trust& trust, const std::string& note,
                                        const std::string& where) {
  auto parsed = tlog::ParseNote(note);
  if (!parsed.ok()) return parsed.error().WithContext(where);
  auto cp = tlog::ParseCheckpoint(parsed->text);
  if (!cp.ok()) return cp.error().WithContext(where);
  const tlog::NoteVerifier* key = trust.LogKey(cp->origin);
  if (!key) return NotFound(where + ": origin \"" + cp->origin + "\" is not in the network");
  const tlog::NoteVerifier* keys[] = {key};
  auto opened = tlog::OpenNote(note, keys);
  if (!opened.ok()) return opened.error().WithContext(where);
  return SignedCheckpoint{*cp, note};
}

std::string OriginHash(const std::string& origin) {
  const auto h = crypto::Sha256Of(origin);
  return crypto::HexEncode(std::span<const uint8_t>(h).first(8));
}

}  // namespace

Mirror::Mirror(NodeLayout layout, const Trust& trust, const PartyInfo* self, tlog::Witness* witness,
               AlarmBook& alarms, server::Logger& log, Clock clock)
    : layout_(std::move(layout)),
      own_witness_(witness ? witness->signer().name() : ""),
      trust_(trust),
      self_(self),
      witness_(witness),
      alarms_(alarms),
      log_(log),
      clock_(std::move(clock)),
      client_(std::chrono::seconds(10)) {
  for (const auto& p : trust_.parties()) {
    if (self_ && p.id == self_->id) continue;
    auto st = LoadState(p.origin);
    if (st.ok() && st->size > 0) verified_[p.origin] = st->checkpoint_note;
  }
}

std::string Mirror::MirrorDir(const std::string& origin) const {
  return layout_.Mirrors() + "/" + OriginHash(origin);
}

Result<tlog::MonitorState> Mirror::LoadState(const std::string& origin) const {
  const std::string path = MirrorDir(origin) + "/monitor.state";
  if (!FileExists(path)) return tlog::MonitorState{};
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return tlog::MonitorState::Decode(text, path);
}

std::map<std::string, std::string> Mirror::View() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, std::string> out = verified_;
  if (self_) {
    if (auto note = ReadFile(layout_.Log() + "/checkpoint"); note.ok()) out[self_->origin] = *note;
  }
  return out;
}

void Mirror::PollOnce() {
  for (const auto& p : trust_.parties()) {
    if ((self_ && p.id == self_->id) || p.url.empty()) continue;
    auto r = Follow(p);
    if (!r.ok()) {
      log_.Warn("mirror_failed", {{"party", p.id}, {"error", r.error().message()}});
    } else if (r->size != r->old_size) {
      log_.Info("mirror_verified", {{"party", p.id},
                                    {"old_size", r->old_size},
                                    {"size", r->size},
                                    {"files", r->files_fetched},
                                    {"cosigned", r->cosigned}});
    }
  }
  for (const auto& p : trust_.parties()) {
    if ((self_ && p.id == self_->id) || p.url.empty()) continue;
    if (Status s = CheckView(p.url, "view of " + p.id); !s.ok()) {
      log_.Warn("view_failed", {{"party", p.id}, {"error", s.message()}});
    }
  }
  for (const auto& w : trust_.witnesses()) {
    if (w.url.empty() || w.name == own_witness_) continue;
    if (Status s = CheckView(w.url, "view of witness " + w.name); !s.ok()) {
      log_.Warn("view_failed", {{"witness", w.name}, {"error", s.message()}});
    }
  }
}

Status FetchTiles(server::HttpClient& client, const std::string& base_url, const std::string& dir,
                  uint64_t old_size, uint64_t new_size, uint64_t& fetched) {
  // Files are written in DIR/.tmp and renamed into place (same file system, one writer per dir).
  TALLY_RETURN_IF_ERROR(MakeDirectories(dir + "/.tmp"));
  tlog::DurableFiles files(dir + "/.tmp");
  auto fetch = [&](tlog::TileId id) -> Status {
    const std::string path = tlog::TilePath(id);
    auto r = client.Get(server::JoinUrl(base_url, path));
    if (!r.ok()) return r.error();
    std::string body = std::move(r->body);
    if (r->status == 404 && id.width < 256) {
      // The log grew and pruned this partial tile: its full tile holds the same prefix.
      auto full = client.Get(server::JoinUrl(base_url, tlog::TilePath({id.level, id.index, 256})));
      if (!full.ok()) return full.error();
      if (full->status != 200) {
        return Unavailable(base_url + path + ": HTTP " + std::to_string(full->status));
      }
      if (id.level == tlog::kEntriesLevel) {
        auto entries = tlog::ParseEntryBundle(full->body, 256, path);
        if (!entries.ok()) return entries.error();
        entries->resize(static_cast<size_t>(id.width));
        body = tlog::EncodeEntryBundle(*entries);
      } else {
        body = full->body.substr(0, static_cast<size_t>(id.width) * merkle::kHashSize);
      }
    } else if (r->status != 200) {
      return Unavailable(base_url + path + ": HTTP " + std::to_string(r->status));
    }
    files.Add(dir + "/" + path, std::move(body));
    ++fetched;
    return Status::Ok();
  };
  for (int level = 0; level < 64; ++level) {
    const uint64_t new_count = new_size >> (tlog::kTileHeight * level);
    if (new_count == 0) break;
    const uint64_t old_count = old_size >> (tlog::kTileHeight * level);
    for (uint64_t n = old_count / tlog::kTileWidth; n <= (new_count - 1) / tlog::kTileWidth; ++n) {
      const int width = tlog::TileWidthAt(level, n, new_size);
      if (width == 0) continue;
      TALLY_RETURN_IF_ERROR(fetch({level, n, width}));
      if (level == 0) TALLY_RETURN_IF_ERROR(fetch({tlog::kEntriesLevel, n, width}));
    }
  }
  return files.Commit();
}

Result<FollowReport> Mirror::Follow(const PartyInfo& party) {
  FollowReport report;
  report.origin = party.origin;
  const std::string url = server::JoinUrl(party.url, "checkpoint");
  TALLY_ASSIGN_OR_RETURN(auto resp, client_.Get(url));
  if (resp.status != 200) return Unavailable(url + ": HTTP " + std::to_string(resp.status));
  TALLY_ASSIGN_OR_RETURN(SignedCheckpoint got, OpenCheckpoint(trust_, resp.body, url));
  if (got.checkpoint.origin != party.origin) {
    return VerificationFailed(url + ": a checkpoint of \"" + got.checkpoint.origin + "\", not of " +
                              party.id + "'s log \"" + party.origin + "\"");
  }
  const std::string dir = MirrorDir(party.origin);
  TALLY_RETURN_IF_ERROR(MakeDirectories(dir));
  TALLY_ASSIGN_OR_RETURN(tlog::MonitorState state, LoadState(party.origin));
  report.old_size = report.size = state.size;
  if (got.checkpoint.size <= state.size && state.size > 0) {
    CheckAgainst(party.origin, dir, state.checkpoint_note, state.size, state.root, got.note,
                 "mirror of " + party.id);
    return report;
  }
  uint64_t fetched = 0;
  TALLY_RETURN_IF_ERROR(
      FetchTiles(client_, party.url, dir, state.size, got.checkpoint.size, fetched));
  report.files_fetched = fetched;
  const tlog::NoteVerifier* keys[] = {trust_.LogKey(party.origin)};
  tlog::MonitorState next = state;
  auto verified = tlog::MonitorLogAt(dir, got.note, tlog::CheckpointKeys{keys, {}, 0}, next);
  if (!verified.ok()) {
    // Is it a fork (the new tree does not extend the verified one) or tiles that do not match
    // their own checkpoint? A consistency proof from the fetched tiles tells them apart.
    if (state.size > 0) {
      tlog::TileReader reader(dir, got.checkpoint.size, /*strict=*/false);
      auto proof = merkle::ConsistencyProof(state.size, got.checkpoint.size, reader);
      const bool consistent =
          proof.ok() && merkle::VerifyConsistency(state.size, got.checkpoint.size, *proof,
                                                  state.root, got.checkpoint.root)
                            .ok();
      RaiseFork(party.origin, consistent ? "bad_tiles" : "fork", state.checkpoint_note, got.note,
                verified.error().message(), "mirror of " + party.id);
    } else {
      Alarm alarm{"bad_tiles", party.origin, verified.error().message(), "mirror of " + party.id,
                  {got.note},  clock_()};
      (void)alarms_.Raise(alarm);
    }
    return verified.error();
  }
  // Verified: publish the checkpoint into the mirror, then the state that says so.
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(dir + "/checkpoint", got.note));
  TALLY_RETURN_IF_ERROR(WriteFileAtomic(dir + "/monitor.state", next.Encode()));
  report.size = next.size;
  std::pair<std::string, std::string> pending;
  bool has_pending = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    verified_[party.origin] = got.note;
    if (auto it = pending_.find(party.origin); it != pending_.end()) {
      pending = it->second;
      has_pending = true;
      pending_.erase(it);
    }
  }
  if (has_pending) {
    CheckAgainst(party.origin, dir, got.note, next.size, next.root, pending.first, pending.second);
  }
  Cosign(party.origin, dir, got.note, next.size, report);
  return report;
}

void Mirror::Cosign(const std::string& origin, const std::string& dir, const std::string& note,
                    uint64_t size, FollowReport& report) {
  if (!witness_) return;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto held_note = witness_->Latest(origin);
    if (!held_note.ok()) return;
    tlog::AddCheckpointRequest req{0, {}, note};
    if (*held_note) {
      auto held = OpenCheckpoint(trust_, **held_note, "witness state");
      if (!held.ok()) return;
      req.old_size = held->checkpoint.size;
      if (req.old_size > size) return;  // the witness is ahead of this mirror; nothing to add
      if (req.old_size > 0 && req.old_size < size) {
        tlog::TileReader reader(dir, size, /*strict=*/false);
        auto proof = merkle::ConsistencyProof(req.old_size, size, reader);
        if (!proof.ok()) return;
        req.proof = *proof;
      }
    }
    auto outcome = witness_->Add(req, trust_, clock_());
    if (outcome.ok()) {
      report.cosigned = true;
      return;
    }
    if (!outcome.held_note.empty()) {
      RaiseFork(origin, "fork", outcome.held_note, note, outcome.status.message(), "witness");
      return;
    }
    if (outcome.kind != tlog::AddCheckpointOutcome::Kind::kConflict) {
      log_.Warn("cosign_failed", {{"origin", origin}, {"error", outcome.status.message()}});
      return;
    }
    // 409: another request moved the witness meanwhile; retry from its new size.
  }
}

Status Mirror::CheckView(const std::string& url, const std::string& seen_by) {
  const std::string view_url = server::JoinUrl(url, "view");
  TALLY_ASSIGN_OR_RETURN(auto resp, client_.Get(view_url));
  if (resp.status != 200) return Unavailable(view_url + ": HTTP " + std::to_string(resp.status));
  auto parsed = jsondoc::ParseJson(resp.body, view_url);
  if (!parsed.ok()) return parsed.status();
  const nlohmann::json doc = std::move(*parsed);
  if (!doc.is_object() || !doc.contains("checkpoints") || !doc["checkpoints"].is_array()) {
    return InvalidArgument(view_url + ": not a view document");
  }
  for (const auto& item : doc["checkpoints"]) {
    if (!item.is_object() || !item.contains("note") || !item["note"].is_string()) continue;
    const std::string note = item["note"].get<std::string>();
    auto got = OpenCheckpoint(trust_, note, view_url);
    if (!got.ok()) continue;  // unsigned or unknown: not evidence of anything
    const std::string& origin = got->checkpoint.origin;
    if (self_ && origin == self_->origin) {
      // What another node holds of this node's own log.
      auto own = ReadFile(layout_.Log() + "/checkpoint");
      if (!own.ok()) continue;
      auto mine = OpenCheckpoint(trust_, *own, "own log");
      if (!mine.ok()) continue;
      CheckAgainst(origin, layout_.Log(), *own, mine->checkpoint.size, mine->checkpoint.root, note,
                   seen_by);
      continue;
    }
    auto state = LoadState(origin);
    if (!state.ok() || state->size == 0) continue;
    CheckAgainst(origin, MirrorDir(origin), state->checkpoint_note, state->size, state->root, note,
                 seen_by);
  }
  return Status::Ok();
}

void Mirror::CheckAgainst(const std::string& origin, const std::string& dir,
                          const std::string& held, uint64_t size, const merkle::Hash& root,
                          const std::string& note, const std::string& seen_by) {
  auto got = OpenCheckpoint(trust_, note, seen_by);
  if (!got.ok()) return;
  const tlog::Checkpoint& cp = got->checkpoint;
  if (cp.size > size) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = pending_[origin];
    auto prev = slot.first.empty() ? Result<SignedCheckpoint>(NotFound(""))
                                   : OpenCheckpoint(trust_, slot.first, "pending");
    if (!prev.ok() || prev->checkpoint.size < cp.size) slot = {note, seen_by};
    return;
  }
  if (cp.size == size) {
    if (cp.root != root) {
      RaiseFork(origin, "fork", held, note,
                "two roots for size " + std::to_string(size) + ": " + merkle::HashToBase64(root) +
                    " and " + merkle::HashToBase64(cp.root),
                seen_by);
    }
    return;
  }
  if (cp.size == 0) return;
  tlog::TileReader reader(dir, size, /*strict=*/false);
  auto at = merkle::TreeHash(cp.size, reader);
  if (!at.ok()) {
    log_.Warn("view_unchecked", {{"origin", origin}, {"error", at.error().message()}});
    return;
  }
  if (*at != cp.root) {
    RaiseFork(origin, "fork", held, note,
              "the verified tree of size " + std::to_string(size) + " has root " +
                  merkle::HashToBase64(*at) + " at size " + std::to_string(cp.size) +
                  ", not the signed " + merkle::HashToBase64(cp.root),
              seen_by);
  }
}

void Mirror::RaiseFork(const std::string& origin, const std::string& kind, const std::string& a,
                       const std::string& b, const std::string& detail,
                       const std::string& seen_by) {
  Alarm alarm{kind, origin, detail, seen_by, {a, b}, clock_()};
  auto path = alarms_.Raise(alarm);
  log_.Error("alarm", {{"kind", kind},
                       {"origin", origin},
                       {"seen_by", seen_by},
                       {"detail", detail},
                       {"file", path.ok() ? *path : path.error().message()}});
}

}  // namespace tally::node
