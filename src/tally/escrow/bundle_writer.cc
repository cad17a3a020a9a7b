#include "tally/escrow/bundle_writer.h"

#include <array>
#include <charconv>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "tally/base/parallel.h"
#include "tally/crypto/encoding.h"

namespace tally::escrow {
namespace {

using nlohmann::ordered_json;

ordered_json RecordToJson(const Record& r) {
  if (r.dummy) return ordered_json{{"dummy", r.dummy_index}};
  const model::Item& it = r.item;
  ordered_json j;
  j["uid"] = it.uid;
  j["party"] = it.party;
  j["kind"] = model::ItemKindName(it.kind);
  j["system"] = it.system;
  j["status"] = model::ItemStatusName(it.status);
  j["facility"] = it.facility;
  j["equipment"] = model::EquipmentName(it.equipment);
  j["host"] = it.host;
  j["capacity"] = it.capacity;
  j["range_km"] = it.range_km;
  j["tags"] = it.tags;
  return j;
}

// nlohmann-json's pretty printer with an indent of one space: "{\n", members one level deeper
// joined by ",\n", then "\n" and the closing bracket at the opening line's level; empty
// containers as "{}" and "[]"; strings escaped as dump_escaped does without ensure_ascii.
class Writer {
 public:
  explicit Writer(size_t reserve) { out_.reserve(reserve); }

  bool ok() const { return ok_; }
  std::string Take() { return std::move(out_); }

  void Raw(std::string_view s) { out_.append(s); }
  void Newline(int depth) {
    const auto spaces = static_cast<size_t>(depth);
    if (spaces < sizeof kNewlineAndIndent - 1) {
      out_.append(kNewlineAndIndent, 1 + spaces);
    } else {
      out_.push_back('\n');
      out_.append(spaces, ' ');
    }
  }
  // A member's key at `depth`, after a ",\n" unless it is the first.
  void Key(int depth, std::string_view key, bool first = false) {
    if (!first) out_.push_back(',');
    Newline(depth);
    String(key);
    out_.append(": ", 2);
  }
  // Bytes as a JSON string of their lowercase hex or padded base64: no character to escape.
  void HexString(std::span<const uint8_t> bytes) {
    out_.push_back('"');
    crypto::AppendHex(out_, bytes);
    out_.push_back('"');
  }
  void Base64String(std::span<const uint8_t> bytes) {
    out_.push_back('"');
    crypto::AppendBase64(out_, bytes);
    out_.push_back('"');
  }
  void Close(int depth, char bracket) {
    Newline(depth);
    out_.push_back(bracket);
  }

  void String(std::string_view s) {
    // Most strings need no escape: one pass to find out, then one copy.
    size_t clean = 0;
    while (clean < s.size() && kPlain[static_cast<unsigned char>(s[clean])]) ++clean;
    if (clean == s.size()) {
      out_.push_back('"');
      out_.append(s);
      out_.push_back('"');
      return;
    }
    out_.push_back('"');
    size_t run = 0;  // the start of the bytes not yet copied, which need no escape
    for (size_t i = clean; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (kPlain[c]) continue;
      out_.append(s.substr(run, i - run));
      run = i + 1;
      switch (c) {
        case '"':
          out_.append("\\\"");
          break;
        case '\\':
          out_.append("\\\\");
          break;
        case '\b':
          out_.append("\\b");
          break;
        case '\f':
          out_.append("\\f");
          break;
        case '\n':
          out_.append("\\n");
          break;
        case '\r':
          out_.append("\\r");
          break;
        case '\t':
          out_.append("\\t");
          break;
        default:
          if (c >= 0x80) {
            ok_ = false;  // UTF-8: nlohmann-json validates it (and throws on a bad sequence)
          } else {
            static constexpr char kHex[] = "0123456789abcdef";
            out_.append("\\u00");
            out_.push_back(kHex[c >> 4]);
            out_.push_back(kHex[c & 0xf]);
          }
      }
    }
    out_.append(s.substr(run));
    out_.push_back('"');
  }

  template <typename Int>
  void Number(Int v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }

  // An array at `depth` (the level of the line it opens on).
  template <typename T, typename Fn>
  void Array(int depth, std::span<const T> items, Fn item) {
    if (items.empty()) {
      out_.append("[]");
      return;
    }
    out_.push_back('[');
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out_.push_back(',');
      Newline(depth + 1);
      item(items[i]);
    }
    Close(depth, ']');
  }
  void Numbers(int depth, std::span<const uint64_t> v) {
    Array(depth, v, [this](uint64_t x) { Number(x); });
  }
  void Strings(int depth, std::span<const std::string> v) {
    Array(depth, v, [this](const std::string& x) { String(x); });
  }

 private:
  // A newline and enough spaces for any depth the bundle has.
  static constexpr char kNewlineAndIndent[] = "\n        ";
  // The bytes a string holds as they are: printable ASCII but the quote and the backslash.
  static constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
  }();

  std::string out_;
  bool ok_ = true;
};

void WriteRecord(Writer& w, int depth, const Record& r) {
  w.Raw("{");
  if (r.dummy) {
    w.Key(depth + 1, "dummy", true);
    w.Number(r.dummy_index);
    w.Close(depth, '}');
    return;
  }
  const model::Item& it = r.item;
  const int d = depth + 1;
  w.Key(d, "uid", true);
  w.String(it.uid);
  w.Key(d, "party");
  w.String(it.party);
  w.Key(d, "kind");
  w.String(model::ItemKindName(it.kind));
  w.Key(d, "system");
  w.String(it.system);
  w.Key(d, "status");
  w.String(model::ItemStatusName(it.status));
  w.Key(d, "facility");
  w.String(it.facility);
  w.Key(d, "equipment");
  w.String(model::EquipmentName(it.equipment));
  w.Key(d, "host");
  w.String(it.host);
  w.Key(d, "capacity");
  w.Number(it.capacity);
  w.Key(d, "range_km");
  w.Number(it.range_km);
  w.Key(d, "tags");
  w.Strings(d, it.tags);
  w.Close(depth, '}');
}

void WriteLeaf(Writer& w, const OpenedLeaf& l) {
  w.Raw("{");
  w.Key(3, "leaf", true);
  w.Number(l.index);
  w.Key(3, "salt");
  w.HexString(l.salt);
  w.Key(3, "counts");
  w.Numbers(3, l.counts);
  w.Key(3, "commitment");
  w.Base64String(l.commitment);
  w.Key(3, "record");
  WriteRecord(w, 3, l.record);
  w.Close(2, '}');
}

// Below this many leaves a chunk costs less than the thread that would write it.
constexpr size_t kLeavesPerChunk = 128;

}  // namespace

std::optional<std::string> FastBundleToJson(const Bundle& b) {
  // The subtotals object has one key per category: a repeated one the document writer merges.
  for (size_t i = 0; i < b.categories.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (b.categories[k] == b.categories[i]) return std::nullopt;
    }
  }
  // About 650 bytes per opened leaf and 13 per path count, so that the text is not copied as it
  // grows.
  Writer w(1024 + b.opened.size() * 700 + b.path.counts.size() * 16 + b.path.size() * 44);
  w.Raw("{");
  w.Key(1, "format", true);
  w.String(kBundleFormat);
  w.Key(1, "declaration");
  w.Raw("{");
  w.Key(2, "party", true);
  w.String(b.party);
  w.Key(2, "treaty");
  w.String(b.treaty);
  w.Key(2, "as_of");
  w.String(b.as_of.ToString());
  w.Key(2, "leaves");
  w.Number(b.leaves);
  w.Key(2, "categories");
  w.Strings(2, b.categories);
  w.Key(2, "root");
  w.String(merkle::HashToBase64(b.root));
  w.Close(1, '}');
  w.Key(1, "selection");
  w.String(b.selection);
  w.Key(1, "subtotals");
  const size_t subtotals = std::min(b.categories.size(), b.subtotals.size());
  if (subtotals == 0) {
    w.Raw("{}");
  } else {
    w.Raw("{");
    for (size_t i = 0; i < subtotals; ++i) {
      w.Key(2, b.categories[i], i == 0);
      w.Number(b.subtotals[i]);
    }
    w.Close(1, '}');
  }
  w.Key(1, "opened");
  if (b.opened.empty()) {
    w.Raw("[]");
  } else {
    // The leaves written a chunk a core and joined in order: the same text as one pass.
    const size_t n = b.opened.size();
    std::vector<std::string> parts(ChunkCount(n, kLeavesPerChunk));
    std::vector<char> parts_ok(parts.size(), 1);
    RunChunks(n, parts.size(), [&](size_t chunk, size_t begin, size_t end) {
      Writer part((end - begin) * 700);
      for (size_t i = begin; i < end; ++i) {
        if (i > 0) part.Raw(",");
        part.Newline(2);
        WriteLeaf(part, b.opened[i]);
      }
      parts_ok[chunk] = part.ok();
      parts[chunk] = part.Take();
    });
    w.Raw("[");
    for (size_t c = 0; c < parts.size(); ++c) {
      if (!parts_ok[c]) return std::nullopt;
      w.Raw(parts[c]);
    }
    w.Close(1, ']');
  }
  w.Key(1, "path");
  w.Raw("{");
  w.Key(2, "nodes", true);
  w.Number(b.path.size());
  w.Key(2, "hashes");
  std::vector<uint8_t> hashes;
  hashes.reserve(b.path.size() * 32);
  for (const Hash& h : b.path.hashes) hashes.insert(hashes.end(), h.begin(), h.end());
  w.Base64String(hashes);
  w.Key(2, "counts");
  w.Numbers(2, b.path.counts);
  w.Close(1, '}');
  w.Close(0, '}');
  w.Raw("\n");
  if (!w.ok()) return std::nullopt;
  return w.Take();
}

std::string BundleToJsonDocument(const Bundle& b) {
  ordered_json j;
  j["format"] = kBundleFormat;
  ordered_json d;
  d["party"] = b.party;
  d["treaty"] = b.treaty;
  d["as_of"] = b.as_of.ToString();
  d["leaves"] = b.leaves;
  d["categories"] = b.categories;
  d["root"] = merkle::HashToBase64(b.root);
  j["declaration"] = d;
  j["selection"] = b.selection;
  ordered_json sub = ordered_json::object();
  for (size_t i = 0; i < b.categories.size() && i < b.subtotals.size(); ++i) {
    sub[b.categories[i]] = b.subtotals[i];
  }
  j["subtotals"] = sub;
  ordered_json opened = ordered_json::array();
  for (const OpenedLeaf& l : b.opened) {
    ordered_json o;
    o["leaf"] = l.index;
    o["salt"] = crypto::HexEncode(l.salt);
    o["counts"] = l.counts;
    o["commitment"] = merkle::HashToBase64(l.commitment);
    o["record"] = RecordToJson(l.record);
    opened.push_back(std::move(o));
  }
  j["opened"] = std::move(opened);
  std::string hashes;
  hashes.reserve(b.path.size() * 32);
  for (const Hash& h : b.path.hashes) hashes.append(reinterpret_cast<const char*>(h.data()), 32);
  j["path"] = ordered_json{{"nodes", b.path.size()},
                           {"hashes", crypto::Base64Encode(hashes)},
                           {"counts", b.path.counts}};
  return j.dump(1) + "\n";
}

}  // namespace tally::escrow
