#include "tally/tlog/monitor.h"

#include <map>

#include "tally/base/file.h"
#include "tally/crypto/encoding.h"
#include "tally/merkle/compact_range.h"
#include "tally/tlog/signed_checkpoint.h"
#include "tally/tlog/tile.h"
#include "tally/tlog/tile_reader.h"

namespace tally::tlog {
namespace {

// Serves the subtrees of the right edge from the right-edge tiles alone.
class EdgeReader final : public merkle::HashReader {
 public:
  EdgeReader(uint64_t size, const std::vector<std::vector<merkle::Hash>>& tiles)
      : size_(size), tiles_(tiles) {}
  Status ReadHashes(std::span<const merkle::NodeId> ids, std::span<merkle::Hash> out) override {
    for (size_t i = 0; i < ids.size(); ++i) {
      const int level = ids[i].level / kTileHeight;
      const int sub = ids[i].level % kTileHeight;
      const uint64_t first = ids[i].index << sub;
      const uint64_t base = ((size_ >> (kTileHeight * level)) / kTileWidth) * kTileWidth;
      const auto& tile = tiles_[static_cast<size_t>(level)];
      if (level >= 8 || first < base || first - base + (uint64_t{1} << sub) > tile.size()) {
        return DataLoss("monitor state: the right-edge tiles do not cover size " +
                        std::to_string(size_));
      }
      out[i] =
          TileRoot(std::span<const merkle::Hash>(tile).subspan(first - base, uint64_t{1} << sub));
    }
    return Status::Ok();
  }

 private:
  uint64_t size_;
  const std::vector<std::vector<merkle::Hash>>& tiles_;
};

Status AsDataLoss(const Status& s) {
  if (s.ok() || s.code() == StatusCode::kDataLoss) return s;
  if (s.code() == StatusCode::kNotFound) return DataLoss(s.message());
  return s;
}

}  // namespace

std::string MonitorState::Encode() const {
  std::string out = "tally-monitor-state v1\n";
  out += "origin " + crypto::Base64Encode(origin) + "\n";
  out += "size " + std::to_string(size) + "\n";
  out += "root " + merkle::HashToBase64(root) + "\n";
  out += "checkpoint " + crypto::Base64Encode(checkpoint_note) + "\n";
  for (size_t level = 0; level < partial_tiles.size(); ++level) {
    out += "tile " + std::to_string(level) + " " +
           crypto::Base64Encode(EncodeHashTile(partial_tiles[level])) + "\n";
  }
  return out;
}

Result<MonitorState> MonitorState::Decode(std::string_view text, std::string_view where) {
  const auto bad = [&](const std::string& why) {
    return InvalidArgument(std::string(where) + ": not a monitor state file: " + why);
  };
  std::map<std::string, std::string> fields;
  MonitorState s;
  size_t line_no = 0;
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(start, nl - start);
    start = nl + 1;
    if (++line_no == 1) {
      if (line != "tally-monitor-state v1") return bad("first line");
      continue;
    }
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return bad("line " + std::to_string(line_no));
    const std::string key(line.substr(0, sp));
    const std::string_view value = line.substr(sp + 1);
    if (key == "tile") {
      const size_t sp2 = value.find(' ');
      auto level = ParseDecimal(value.substr(0, sp2), where, "tile level", 7);
      if (!level.ok() || sp2 == std::string_view::npos) return bad("tile line");
      auto raw = crypto::Base64Decode(value.substr(sp2 + 1));
      if (!raw.ok()) return bad("tile line");
      TALLY_ASSIGN_OR_RETURN(
          s.partial_tiles[*level],
          ParseHashTile(crypto::AsText(*raw), static_cast<int>(raw->size() / 32), where));
    } else {
      fields[key] = std::string(value);
    }
  }
  auto origin = crypto::Base64Decode(fields["origin"]);
  auto cp = crypto::Base64Decode(fields["checkpoint"]);
  if (!origin.ok() || !cp.ok()) return bad("origin or checkpoint");
  s.origin = std::string(crypto::AsText(*origin));
  s.checkpoint_note = std::string(crypto::AsText(*cp));
  TALLY_ASSIGN_OR_RETURN(s.size, ParseDecimal(fields["size"], where, "size"));
  TALLY_ASSIGN_OR_RETURN(s.root, merkle::HashFromBase64(fields["root"], where));
  return s;
}

Result<MonitorReport> MonitorLog(const std::string& dir,
                                 std::span<const NoteVerifier* const> verifiers,
                                 MonitorState& state) {
  return MonitorLog(dir, CheckpointKeys{verifiers, {}, 0}, state);
}

Result<MonitorReport> MonitorLog(const std::string& dir, const CheckpointKeys& keys,
                                 MonitorState& state) {
  TALLY_ASSIGN_OR_RETURN(std::string note, ReadFile(dir + "/checkpoint"));
  return MonitorLogAt(dir, note, keys, state);
}

Result<MonitorReport> MonitorLogAt(const std::string& dir, const std::string& note,
                                   const CheckpointKeys& keys, MonitorState& state) {
  const std::string cp_path = dir + "/checkpoint";
  auto opened = OpenCheckpoint(note, keys);
  if (!opened.ok()) {
    if (opened.error().code() == StatusCode::kInvalidArgument) {
      return DataLoss(cp_path + ": " + opened.error().message());
    }
    return opened.error().WithContext(cp_path);
  }
  const Checkpoint cp = opened->checkpoint;
  MonitorReport report;
  report.old_size = state.size;
  report.checkpoint = cp;
  if (!state.origin.empty() && cp.origin != state.origin) {
    return VerificationFailed(cp_path + ": origin \"" + cp.origin + "\" is not the monitored \"" +
                              state.origin + "\"");
  }
  if (cp.size < state.size) {
    return VerificationFailed(cp_path + ": rollback: the log now claims size " +
                              std::to_string(cp.size) + " but size " + std::to_string(state.size) +
                              " was verified before");
  }
  if (cp.size == state.size && cp.root != state.root) {
    return VerificationFailed(cp_path + ": fork: a second checkpoint for size " +
                              std::to_string(cp.size) + " with a different root (" +
                              merkle::HashToBase64(cp.root) + " vs " +
                              merkle::HashToBase64(state.root) + ")");
  }

  EdgeReader edge(state.size, state.partial_tiles);
  std::vector<merkle::NodeId> ids;
  merkle::RangeNodes(0, state.size, ids);
  std::vector<merkle::Hash> subtrees(ids.size());
  TALLY_RETURN_IF_ERROR(edge.ReadHashes(ids, subtrees));
  TALLY_ASSIGN_OR_RETURN(auto range, merkle::CompactRange::FromSubtrees(state.size, subtrees));
  if (range.Root() != state.root)
    return DataLoss("monitor state: the right edge does not match its root");

  // Lenient: appends after the checkpoint was read may have replaced its partial tiles by wider or
  // full ones (tlog-tiles allows deleting them); every hash read is checked below, so the prefix
  // of a wider tile is as good as the partial one, and a missing partial is no tamper.
  TileReader reader(dir, cp.size, /*strict=*/false);
  auto acc = state.partial_tiles;
  Status failure;
  const auto check_tile = [&](int level, uint64_t index, const std::vector<merkle::Hash>& want) {
    auto got = reader.ReadTile(level, index);
    if (!got.ok()) return AsDataLoss(got.error());
    ++report.tiles_checked;
    const std::string path = TilePath({level, index, static_cast<int>(want.size())});
    for (size_t i = 0; i < want.size(); ++i) {
      if ((*got)[i] == want[i]) continue;
      if (level == 0) {
        return DataLoss(path + ": hash " + std::to_string(i) + " is not the leaf hash of entry " +
                        std::to_string(index * kTileWidth + i) + " in " +
                        TilePath({kEntriesLevel, index, static_cast<int>(want.size())}));
      }
      const uint64_t child = index * kTileWidth + i;
      return DataLoss(path + ": hash " + std::to_string(i) + " is not the root of its child tile " +
                      TilePath({level - 1, child, 256}));
    }
    return Status::Ok();
  };
  for (uint64_t n = state.size; n < cp.size && failure.ok();) {
    const uint64_t bundle = n / kTileWidth;
    auto entries = reader.ReadEntries(bundle);
    if (!entries.ok()) return AsDataLoss(entries.error());
    const std::string bpath = TilePath({kEntriesLevel, bundle, static_cast<int>(entries->size())});
    const size_t offset = n % kTileWidth;
    for (size_t i = 0; i < offset; ++i) {
      if (merkle::LeafHash((*entries)[i]) != acc[0][i]) {
        return DataLoss(bpath + ": entry " + std::to_string(i) + " (index " +
                        std::to_string(bundle * kTileWidth + i) +
                        ") changed since it was verified");
      }
    }
    for (size_t i = offset; i < entries->size() && failure.ok(); ++i) {
      range.Append(merkle::LeafHash((*entries)[i]), [&](merkle::NodeId id, const merkle::Hash& h) {
        if (id.level % kTileHeight != 0 || !failure.ok()) return;
        const int level = id.level / kTileHeight;
        auto& tile = acc[static_cast<size_t>(level)];
        tile.push_back(h);
        if (tile.size() == kTileWidth) {
          failure = check_tile(level, id.index / kTileWidth, tile);
          tile.clear();
        }
      });
      ++report.entries_checked;
    }
    n = (bundle + 1) * kTileWidth;
  }
  TALLY_RETURN_IF_ERROR(failure);
  for (int level = 0; level < 8; ++level) {
    const auto& tile = acc[static_cast<size_t>(level)];
    if (tile.empty()) continue;
    const uint64_t count = cp.size >> (kTileHeight * level);
    TALLY_RETURN_IF_ERROR(check_tile(level, count / kTileWidth, tile));
  }
  if (range.Root() != cp.root) {
    return VerificationFailed(cp_path + ": the root " + merkle::HashToBase64(cp.root) +
                              " does not match the tree the tiles hold (" +
                              merkle::HashToBase64(range.Root()) + ")");
  }
  state.origin = cp.origin;
  state.size = cp.size;
  state.root = cp.root;
  state.checkpoint_note = note;
  state.partial_tiles = std::move(acc);
  return report;
}

}  // namespace tally::tlog
