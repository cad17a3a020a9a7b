#include "tally/escrow/bundle_reader.h"

#include <cstring>
#include <utility>

#include "tally/crypto/encoding.h"

namespace tally::escrow {
namespace {

constexpr int kMaxDepth = 64;

// A JSON reader over the text for the subset FastBundleFromJson handles. Every method returns
// false on anything outside that subset or outside JSON (the caller then declines).
class Cursor {
 public:
  explicit Cursor(std::string_view t) : t_(t) {}

  void Ws() {
    while (p_ < t_.size() &&
           (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\t' || t_[p_] == '\r')) {
      ++p_;
    }
  }
  bool Eat(char c) {
    Ws();
    if (p_ < t_.size() && t_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    Ws();
    return p_ == t_.size();
  }
  char Next() {
    Ws();
    return p_ < t_.size() ? t_[p_] : '\0';
  }
  // A string of printable ASCII without escapes.
  bool String(std::string_view& out) {
    if (!Eat('"')) return false;
    const size_t b = p_;
    while (p_ < t_.size()) {
      const unsigned char c = static_cast<unsigned char>(t_[p_]);
      if (c == '"') {
        out = t_.substr(b, p_ - b);
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x7f) return false;
      ++p_;
    }
    return false;
  }
  bool String(std::string& out) {
    std::string_view v;
    if (!String(v)) return false;
    out.assign(v);
    return true;
  }
  // A JSON number that nlohmann-json reads as an unsigned integer.
  bool Unsigned(uint64_t& out) {
    Ws();
    const size_t b = p_;
    uint64_t v = 0;
    while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') {
      if (__builtin_mul_overflow(v, 10, &v) ||
          __builtin_add_overflow(v, static_cast<uint64_t>(t_[p_] - '0'), &v)) {
        return false;
      }
      ++p_;
    }
    if (p_ == b || (t_[b] == '0' && p_ - b > 1)) return false;
    if (p_ < t_.size() && (t_[p_] == '.' || t_[p_] == 'e' || t_[p_] == 'E')) return false;
    out = v;
    return true;
  }
  // An integer that fits int64 either way nlohmann-json stores it.
  bool Signed(int64_t& out) {
    Ws();
    const bool neg = p_ < t_.size() && t_[p_] == '-';
    if (neg) ++p_;
    if (p_ < t_.size() && (t_[p_] < '0' || t_[p_] > '9')) return false;
    uint64_t v;
    if (!Unsigned(v)) return false;
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    return true;
  }
  // Any JSON value in the subset, skipped.
  bool Skip(int depth = 0) {
    if (depth > kMaxDepth) return false;
    const char c = Next();
    if (c == '"') {
      std::string_view s;
      return String(s);
    }
    if (c == '{') {
      return Object([&](std::string_view) { return Skip(depth + 1); });
    }
    if (c == '[') return Array([&](size_t) { return Skip(depth + 1); });
    if (c == '-' || (c >= '0' && c <= '9')) {
      int64_t v;
      return Signed(v);
    }
    for (std::string_view lit : {"true", "false", "null"}) {
      if (t_.substr(p_, lit.size()) == lit) {
        p_ += lit.size();
        return true;
      }
    }
    return false;
  }
  template <typename F>
  bool Object(F&& on_key) {
    if (!Eat('{')) return false;
    if (Eat('}')) return true;
    do {
      std::string_view key;
      if (!String(key) || !Eat(':') || !on_key(key)) return false;
    } while (Eat(','));
    return Eat('}');
  }
  template <typename F>
  bool Array(F&& on_element) {
    if (!Eat('[')) return false;
    if (Eat(']')) return true;
    size_t i = 0;
    do {
      if (!on_element(i++)) return false;
    } while (Eat(','));
    return Eat(']');
  }
  bool UnsignedArray(std::vector<uint64_t>& out) {
    out.clear();  // keeps any reserved room
    return Array([&](size_t) {
      uint64_t v;
      if (!Unsigned(v)) return false;
      out.push_back(v);
      return true;
    });
  }

 private:
  std::string_view t_;
  size_t p_ = 0;
};

// Marks key `i` of an object seen; false when it was already (a repeated key).
bool Once(uint32_t& seen, int i) {
  if (seen & (1u << i)) return false;
  seen |= 1u << i;
  return true;
}

template <size_t N>
int KeyIndex(const std::string_view (&keys)[N], std::string_view key) {
  for (size_t i = 0; i < N; ++i) {
    if (keys[i] == key) return static_cast<int>(i);
  }
  return -1;
}

bool ReadRecord(Cursor& c, Record& r) {
  static constexpr std::string_view kKeys[] = {"uid",      "party",    "kind",      "system",
                                               "status",   "facility", "equipment", "host",
                                               "capacity", "range_km", "tags",      "dummy"};
  uint32_t seen = 0;
  model::Item& it = r.item;
  std::string_view kind, status, equipment;
  const bool ok = c.Object([&](std::string_view key) {
    const int i = KeyIndex(kKeys, key);
    if (i < 0 || !Once(seen, i)) return false;
    switch (i) {
      case 0:
        return c.String(it.uid);
      case 1:
        return c.String(it.party);
      case 2:
        return c.String(kind);
      case 3:
        return c.String(it.system);
      case 4:
        return c.String(status);
      case 5:
        return c.String(it.facility);
      case 6:
        return c.String(equipment);
      case 7:
        return c.String(it.host);
      case 8:
        return c.Signed(it.capacity);
      case 9:
        return c.Signed(it.range_km);
      case 10:
        return c.Array([&](size_t) {
          std::string_view tag;
          if (!c.String(tag)) return false;
          // Canonical: strictly ascending (sorted and unique), as committed.
          if (!it.tags.empty() && !(std::string_view(it.tags.back()) < tag)) return false;
          it.tags.emplace_back(tag);
          return true;
        });
      default:
        r.dummy = true;
        return c.Unsigned(r.dummy_index);
    }
  });
  if (!ok) return false;
  if (r.dummy) return seen == (1u << 11);
  if (seen != (1u << 11) - 1) return false;
  auto k = model::ParseItemKind(kind);
  auto s = model::ParseItemStatus(status);
  auto e = model::ParseEquipment(equipment);
  if (!k || !s || model::ItemStatusName(*s) != status || !e) return false;
  it.kind = *k;
  it.status = *s;
  it.equipment = *e;
  // What EncodeRecord refuses, the nlohmann path reports.
  for (const std::string* f : {&it.uid, &it.party, &it.system, &it.facility, &it.host}) {
    if (f->size() > 0xffff) return false;
  }
  if (it.tags.size() > 0xffff) return false;
  for (const std::string& t : it.tags) {
    if (t.size() > 0xffff) return false;
  }
  return true;
}

bool ReadHash(Cursor& c, Hash& out) {
  std::string_view s;
  if (!c.String(s)) return false;
  auto h = merkle::HashFromBase64(s, "hash");
  if (!h.ok() || merkle::HashToBase64(*h) != s) return false;  // canonical base64 only
  out = *h;
  return true;
}

bool ReadLeaf(Cursor& c, OpenedLeaf& l) {
  static constexpr std::string_view kKeys[] = {"leaf", "salt", "counts", "commitment", "record"};
  uint32_t seen = 0;
  const bool ok = c.Object([&](std::string_view key) {
    const int i = KeyIndex(kKeys, key);
    if (i < 0 || !Once(seen, i)) return false;  // unknown or repeated: the document reader says
    switch (i) {
      case 0:
        return c.Unsigned(l.index);
      case 1: {
        std::string_view s;
        if (!c.String(s)) return false;
        // 64 lower-case hex digits (the one spelling), without a vector.
        if (s.size() != 64) return false;
        auto digit = [](char ch) {
          if (ch >= '0' && ch <= '9') return ch - '0';
          if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
          return -1;
        };
        for (size_t j = 0; j < 32; ++j) {
          const int hi = digit(s[2 * j]), lo = digit(s[2 * j + 1]);
          if (hi < 0 || lo < 0) return false;
          l.salt[j] = static_cast<uint8_t>(hi << 4 | lo);
        }
        return true;
      }
      case 2:
        return c.UnsignedArray(l.counts);
      case 3:
        return ReadHash(c, l.commitment);
      default:
        return ReadRecord(c, l.record);
    }
  });
  return ok && seen == (1u << 5) - 1;
}

}  // namespace

std::optional<Bundle> FastBundleFromJson(std::string_view text) {
  Cursor c(text);
  Bundle b;
  static constexpr std::string_view kTop[] = {"format",    "declaration", "selection",
                                              "subtotals", "opened",      "path"};
  static constexpr std::string_view kDecl[] = {"party", "treaty",     "as_of",
                                               "root",  "categories", "leaves"};
  static constexpr std::string_view kPath[] = {"nodes", "hashes", "counts"};
  uint32_t seen = 0, decl_seen = 0, path_seen = 0;
  // Room up front: growing a vector of ten thousand leaves moves every one of them, several
  // times. An opened leaf takes more than 256 bytes of text; room never used is never touched.
  b.opened.reserve(text.size() / 256 + 1);
  std::vector<std::pair<std::string_view, uint64_t>> subtotals;
  std::vector<std::string_view> subtotal_keys;
  std::string_view hashes;
  uint64_t nodes = 0;
  const bool ok = c.Object([&](std::string_view key) {
    const int i = KeyIndex(kTop, key);
    if (i < 0 || !Once(seen, i)) return false;
    switch (i) {
      case 0: {
        std::string_view f;
        return c.String(f) && f == kBundleFormat;
      }
      case 1:
        return c.Object([&](std::string_view k) {
          const int d = KeyIndex(kDecl, k);
          if (d < 0 || !Once(decl_seen, d)) return false;
          switch (d) {
            case 0:
              return c.String(b.party);
            case 1:
              return c.String(b.treaty);
            case 2: {
              std::string_view s;
              if (!c.String(s)) return false;
              auto date = Date::Parse(s);
              if (!date.ok() || date->ToString() != s) return false;
              b.as_of = *date;
              return true;
            }
            case 3:
              return ReadHash(c, b.root);
            case 4:
              return c.Array([&](size_t) {
                std::string cat;
                if (!c.String(cat)) return false;
                b.categories.push_back(std::move(cat));
                return true;
              });
            default:
              return c.Unsigned(b.leaves);
          }
        });
      case 2:
        return c.String(b.selection);
      case 3:
        return c.Object([&](std::string_view k) {
          for (std::string_view s : subtotal_keys) {
            if (s == k) return false;  // repeated: nlohmann would keep the last
          }
          subtotal_keys.push_back(k);
          uint64_t v = 0;
          if (c.Next() >= '0' && c.Next() <= '9') {
            if (!c.Unsigned(v)) return false;
            subtotals.emplace_back(k, v);
            return true;
          }
          return false;  // not a count: the document reader names it
        });
      case 4:
        return c.Array([&](size_t) {
          OpenedLeaf& l = b.opened.emplace_back();
          return ReadLeaf(c, l);
        });
      default:
        return c.Object([&](std::string_view k) {
          const int p = KeyIndex(kPath, k);
          if (p < 0 || !Once(path_seen, p)) return false;
          if (p == 0) return c.Unsigned(nodes);
          if (p == 1) return c.String(hashes);
          return c.UnsignedArray(b.path.counts);
        });
    }
  });
  if (!ok || !c.AtEnd() || seen != (1u << 6) - 1) {
    return std::nullopt;
  }
  if (decl_seen != (1u << 6) - 1 || path_seen != (1u << 3) - 1 || b.categories.empty() ||
      b.opened.empty()) {
    return std::nullopt;
  }
  const size_t k = b.categories.size();
  if (subtotals.size() != k) return std::nullopt;
  for (const std::string& cat : b.categories) {
    bool found = false;
    for (const auto& s : subtotals) {
      if (s.first == cat) {
        b.subtotals.push_back(s.second);
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  for (const OpenedLeaf& l : b.opened) {
    if (l.counts.size() != k) return std::nullopt;
  }
  auto raw = crypto::Base64Decode(hashes);
  if (!raw.ok() || nodes > raw->size() / 32 || raw->size() != nodes * 32 ||
      crypto::Base64Encode(*raw) != hashes || b.path.counts.size() != nodes * k) {
    return std::nullopt;
  }
  b.path.hashes.resize(nodes);
  for (uint64_t i = 0; i < nodes; ++i) {
    std::memcpy(b.path.hashes[i].data(), raw->data() + 32 * i, 32);
  }
  return b;
}

}  // namespace tally::escrow
