// Tiles (c2sp.org/tlog-tiles): the static-file form of a log.
//
// A hash tile at level L, index N holds up to 256 hashes of tree level 8L (level 0 = leaf
// hashes); a full tile is 8,192 bytes at tile/<L>/<N>, a partial one of W hashes (1..255) at
// tile/<L>/<N>.p/<W>. Entry bundles at tile/entries/<N>[.p/<W>] hold entries N*256 ... as
// uint16 big-endian length || bytes, so an entry is at most 65,535 bytes. N is written in
// 3-digit groups, all but the last prefixed with 'x': 1234067 -> x001/x234/067.
// Errors: the parsers return InvalidArgument / DataLoss naming the tile and what is wrong.
// Thread safety: reentrant functions.
#ifndef TALLY_TLOG_TILE_H_
#define TALLY_TLOG_TILE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/merkle/hash.h"

namespace tally::tlog {

inline constexpr int kTileHeight = 8;
inline constexpr uint64_t kTileWidth = 256;
inline constexpr size_t kMaxEntrySize = 65535;
inline constexpr int kEntriesLevel = -1;  // TileId::level of an entry bundle

struct TileId {
  int level = 0;       // 0..63 for hash tiles; kEntriesLevel for entry bundles
  uint64_t index = 0;  // N
  int width = 256;     // 1..256; 256 = full
  friend bool operator==(const TileId&, const TileId&) = default;
};

// "x001/x234/067"
std::string EncodeTileIndex(uint64_t n);
// "tile/0/x001/234.p/17" or "tile/entries/000"
std::string TilePath(const TileId& id);
// The inverse of TilePath; rejects non-canonical paths (leading zeros, bad groups, width 0/256).
Result<TileId> ParseTilePath(std::string_view path);

// The tile that holds tree-level-(8*level) hashes for a tree of `tree_size`, at tile index n:
// full if the tree covers all 256, else partial (width 0 means the tile does not exist).
int TileWidthAt(int level, uint64_t n, uint64_t tree_size);

// Splits a hash tile's bytes into `width` hashes; `where` names the tile in errors.
Result<std::vector<merkle::Hash>> ParseHashTile(std::string_view data, int width,
                                                std::string_view where);
std::string EncodeHashTile(std::span<const merkle::Hash> hashes);

// The hash of the whole subtree a full tile spans (what its parent tile holds).
merkle::Hash TileRoot(std::span<const merkle::Hash> hashes);

std::string EncodeEntryBundle(std::span<const std::string> entries);
// Parses exactly `width` entries that fill `data`; `where` names the bundle in errors.
Result<std::vector<std::string>> ParseEntryBundle(std::string_view data, int width,
                                                  std::string_view where);

}  // namespace tally::tlog

#endif  // TALLY_TLOG_TILE_H_
