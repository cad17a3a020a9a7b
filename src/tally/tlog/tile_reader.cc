#include "tally/tlog/tile_reader.h"

#include <filesystem>

#include "tally/base/file.h"
#include "tally/tlog/checkpoint.h"

namespace tally::tlog {

Result<std::pair<std::string, std::string>> TileReader::ReadTileFile(int level, uint64_t n,
                                                                     int width) {
  const std::string exact = TilePath({level, n, width});
  auto data = ReadFile(dir_ + "/" + exact);
  if (data.ok() || strict_ || data.error().code() != StatusCode::kNotFound) {
    if (!data.ok()) return data.error();
    return std::make_pair(exact, std::move(*data));
  }
  // Lenient: the full tile, or the widest partial one, holds the same prefix.
  const std::string full = TilePath({level, n, 256});
  if (auto f = ReadFile(dir_ + "/" + full); f.ok()) return std::make_pair(full, std::move(*f));
  const std::string pdir = dir_ + "/" + full + ".p";
  int best = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(pdir, ec)) {
    auto w = ParseDecimal(e.path().filename().string(), "tile", "width", 255);
    if (w.ok() && static_cast<int>(*w) > best) best = static_cast<int>(*w);
  }
  if (best > width) {
    const std::string wider = TilePath({level, n, best});
    TALLY_ASSIGN_OR_RETURN(std::string d, ReadFile(dir_ + "/" + wider));
    return std::make_pair(wider, std::move(d));
  }
  return data.error();
}

Result<std::vector<merkle::Hash>> TileReader::ReadTile(int level, uint64_t n) {
  const auto key = std::make_pair(level, n);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  const int width = TileWidthAt(level, n, tree_size_);
  if (width == 0) {
    return NotFound(TilePath({level, n, 256}) + ": a tree of size " + std::to_string(tree_size_) +
                    " has no such tile");
  }
  TALLY_ASSIGN_OR_RETURN(auto file, ReadTileFile(level, n, width));
  const size_t want = static_cast<size_t>(width) * merkle::kHashSize;
  if (!strict_ && file.second.size() > want) file.second.resize(want);
  TALLY_ASSIGN_OR_RETURN(auto hashes, ParseHashTile(file.second, width, file.first));
  if (cache_.size() > 64) cache_.clear();
  cache_[key] = hashes;
  return hashes;
}

Result<std::vector<std::string>> TileReader::ReadEntries(uint64_t n) {
  const int width = TileWidthAt(0, n, tree_size_);
  if (width == 0) {
    return NotFound(TilePath({kEntriesLevel, n, 256}) + ": a tree of size " +
                    std::to_string(tree_size_) + " has no such bundle");
  }
  TALLY_ASSIGN_OR_RETURN(auto file, ReadTileFile(kEntriesLevel, n, width));
  if (strict_ || TilePath({kEntriesLevel, n, width}) == file.first) {
    return ParseEntryBundle(file.second, width, file.first);
  }
  // A wider bundle: parse all of it, keep the prefix.
  const int have = file.first.find(".p/") == std::string::npos
                       ? 256
                       : std::stoi(file.first.substr(file.first.rfind('/') + 1));
  TALLY_ASSIGN_OR_RETURN(auto entries, ParseEntryBundle(file.second, have, file.first));
  entries.resize(static_cast<size_t>(width));
  return entries;
}

Status TileReader::ReadHashes(std::span<const merkle::NodeId> ids, std::span<merkle::Hash> out) {
  for (size_t i = 0; i < ids.size(); ++i) {
    const merkle::NodeId& id = ids[i];
    if (id.level < 0 || id.level >= 64 || id.index >= (tree_size_ >> id.level)) {
      return NotFound("tiles: no subtree at level " + std::to_string(id.level) + " index " +
                      std::to_string(id.index) + " in a tree of size " +
                      std::to_string(tree_size_));
    }
    const int tile_level = id.level / kTileHeight;
    const int sub = id.level % kTileHeight;
    const uint64_t first = id.index << sub;
    const uint64_t count = uint64_t{1} << sub;
    TALLY_ASSIGN_OR_RETURN(auto hashes, ReadTile(tile_level, first / kTileWidth));
    const uint64_t offset = first % kTileWidth;
    if (offset + count > hashes.size()) {
      return DataLoss(TilePath({tile_level, first / kTileWidth, static_cast<int>(hashes.size())}) +
                      ": too short for subtree at level " + std::to_string(id.level));
    }
    out[i] = TileRoot(std::span<const merkle::Hash>(hashes).subspan(offset, count));
  }
  return Status::Ok();
}

}  // namespace tally::tlog
