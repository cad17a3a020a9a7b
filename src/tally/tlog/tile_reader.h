// TileReader: reads a log's hash tiles and entry bundles from a directory (the log's own, or a
// mirror fetched from a static file server) for a tree of a given size, and serves subtree hashes
// to the proof functions.
//
// Strict mode reads exactly the files a tree of that size has (tile/<L>/<N> or .p/<W>), which is
// what a monitor must check. Lenient mode, for proving at an older size, also accepts the full
// tile or a wider partial one and uses its prefix (the log deletes superseded partial tiles).
// Errors: NotFound naming the missing tile; DataLoss for a tile of the wrong length or a malformed
// bundle. Reading a tile does not prove it correct: only a root check (monitor) does.
// Thread safety: not thread-safe (it caches tiles).
#ifndef TALLY_TLOG_TILE_READER_H_
#define TALLY_TLOG_TILE_READER_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tally/merkle/proof.h"
#include "tally/tlog/tile.h"

namespace tally::tlog {

class TileReader final : public merkle::HashReader {
 public:
  TileReader(std::string dir, uint64_t tree_size, bool strict)
      : dir_(std::move(dir)), tree_size_(tree_size), strict_(strict) {}

  uint64_t tree_size() const { return tree_size_; }
  // The hashes of tile (level, n) as the tree of tree_size() has it.
  Result<std::vector<merkle::Hash>> ReadTile(int level, uint64_t n);
  // The entries of bundle n as the tree of tree_size() has it.
  Result<std::vector<std::string>> ReadEntries(uint64_t n);
  Status ReadHashes(std::span<const merkle::NodeId> ids, std::span<merkle::Hash> out) override;

  // The raw bytes of the file that stands for (level, n, width) and its relative path.
  Result<std::pair<std::string, std::string>> ReadTileFile(int level, uint64_t n, int width);

 private:
  std::string dir_;
  uint64_t tree_size_;
  bool strict_;
  std::map<std::pair<int, uint64_t>, std::vector<merkle::Hash>> cache_;
};

}  // namespace tally::tlog

#endif  // TALLY_TLOG_TILE_READER_H_
