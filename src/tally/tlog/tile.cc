#include "tally/tlog/tile.h"

#include <cstdio>

#include "tally/tlog/checkpoint.h"

namespace tally::tlog {

std::string EncodeTileIndex(uint64_t n) {
  std::string out;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03u", static_cast<unsigned>(n % 1000));
  out = buf;
  n /= 1000;
  while (n > 0) {
    std::snprintf(buf, sizeof buf, "x%03u/", static_cast<unsigned>(n % 1000));
    out = buf + out;
    n /= 1000;
  }
  return out;
}

std::string TilePath(const TileId& id) {
  std::string p = "tile/";
  p += id.level == kEntriesLevel ? std::string("entries") : std::to_string(id.level);
  p += "/" + EncodeTileIndex(id.index);
  if (id.width < 256) p += ".p/" + std::to_string(id.width);
  return p;
}

Result<TileId> ParseTilePath(std::string_view path) {
  const auto bad = [&](const std::string& why) {
    return InvalidArgument("tile path \"" + std::string(path.substr(0, 120)) + "\": " + why);
  };
  if (path.substr(0, 5) != "tile/") return bad("expected to start with tile/");
  path.remove_prefix(5);
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos) return bad("expected tile/<L>/<N>");
  TileId id;
  const std::string_view level = path.substr(0, slash);
  if (level == "entries") {
    id.level = kEntriesLevel;
  } else {
    auto l = ParseDecimal(level, "tile path", "level", 63);
    if (!l.ok()) return bad("the level is not a number 0..63");
    id.level = static_cast<int>(*l);
  }
  std::string_view rest = path.substr(slash + 1);
  std::string_view width;
  if (const size_t p = rest.find(".p/"); p != std::string_view::npos) {
    width = rest.substr(p + 3);
    rest = rest.substr(0, p);
    auto w = ParseDecimal(width, "tile path", "width", 255);
    if (!w.ok() || *w == 0) return bad("the partial width is not a number 1..255");
    id.width = static_cast<int>(*w);
  }
  // Groups: "xNNN/" ... "NNN".
  uint64_t n = 0;
  while (true) {
    const bool last = rest.size() == 3;
    if (!last && (rest.size() < 5 || rest[0] != 'x' || rest[4] != '/')) {
      return bad("the index is not in xNNN/.../NNN form");
    }
    const std::string_view digits = last ? rest : rest.substr(1, 3);
    for (char c : digits) {
      if (c < '0' || c > '9') return bad("the index has a non-digit");
    }
    if (n > (~uint64_t{0} - 999) / 1000) return bad("the index overflows 64 bits");
    n = n * 1000 + static_cast<uint64_t>(std::stoi(std::string(digits)));
    if (last) break;
    rest.remove_prefix(5);
  }
  id.index = n;
  if (EncodeTileIndex(n) + (id.width < 256 ? ".p/" + std::to_string(id.width) : "") !=
      path.substr(slash + 1)) {
    return bad("the index is not canonical");
  }
  return id;
}

int TileWidthAt(int level, uint64_t n, uint64_t tree_size) {
  const uint64_t count = level >= 8 ? 0 : tree_size >> (kTileHeight * level);  // hashes at 8*level
  if (count >= (n + 1) * kTileWidth) return 256;
  if (count <= n * kTileWidth) return 0;
  return static_cast<int>(count - n * kTileWidth);
}

Result<std::vector<merkle::Hash>> ParseHashTile(std::string_view data, int width,
                                                std::string_view where) {
  if (data.size() != static_cast<size_t>(width) * merkle::kHashSize) {
    return DataLoss(std::string(where) + ": expected " + std::to_string(width) + " hashes (" +
                    std::to_string(width * merkle::kHashSize) + " bytes), got " +
                    std::to_string(data.size()) + " bytes");
  }
  std::vector<merkle::Hash> out(static_cast<size_t>(width));
  for (size_t i = 0; i < out.size(); ++i) {
    std::copy(data.begin() + static_cast<std::ptrdiff_t>(i * 32),
              data.begin() + static_cast<std::ptrdiff_t>(i * 32 + 32), out[i].begin());
  }
  return out;
}

std::string EncodeHashTile(std::span<const merkle::Hash> hashes) {
  std::string out;
  out.reserve(hashes.size() * merkle::kHashSize);
  for (const auto& h : hashes) out.append(reinterpret_cast<const char*>(h.data()), h.size());
  return out;
}

merkle::Hash TileRoot(std::span<const merkle::Hash> hashes) {
  std::vector<merkle::Hash> level(hashes.begin(), hashes.end());
  while (level.size() > 1) {
    std::vector<merkle::Hash> up;
    for (size_t i = 0; i + 1 < level.size(); i += 2)
      up.push_back(merkle::NodeHash(level[i], level[i + 1]));
    if (level.size() % 2 == 1) up.push_back(level.back());
    level = std::move(up);
  }
  return level.empty() ? merkle::EmptyRoot() : level[0];
}

std::string EncodeEntryBundle(std::span<const std::string> entries) {
  std::string out;
  for (const auto& e : entries) {
    out.push_back(static_cast<char>(e.size() >> 8));
    out.push_back(static_cast<char>(e.size() & 0xff));
    out += e;
  }
  return out;
}

Result<std::vector<std::string>> ParseEntryBundle(std::string_view data, int width,
                                                  std::string_view where) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < data.size()) {
    if (out.size() == static_cast<size_t>(width)) {
      return DataLoss(std::string(where) + ": " + std::to_string(data.size() - pos) +
                      " bytes after the last of " + std::to_string(width) + " entries");
    }
    if (pos + 2 > data.size()) {
      return DataLoss(std::string(where) + ": entry " + std::to_string(out.size()) +
                      " is cut off in its length prefix");
    }
    const size_t len = static_cast<size_t>(static_cast<uint8_t>(data[pos])) << 8 |
                       static_cast<uint8_t>(data[pos + 1]);
    pos += 2;
    if (pos + len > data.size()) {
      return DataLoss(std::string(where) + ": entry " + std::to_string(out.size()) + " claims " +
                      std::to_string(len) + " bytes but only " + std::to_string(data.size() - pos) +
                      " remain");
    }
    out.emplace_back(data.substr(pos, len));
    pos += len;
  }
  if (out.size() != static_cast<size_t>(width)) {
    return DataLoss(std::string(where) + ": expected " + std::to_string(width) +
                    " entries, found " + std::to_string(out.size()));
  }
  return out;
}

}  // namespace tally::tlog
