#include "tally/escrow/bundle.h"

#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "tally/base/parallel.h"
#include "tally/crypto/encoding.h"
#include "tally/escrow/bundle_reader.h"
#include "tally/escrow/bundle_writer.h"
#include "tally/escrow/strict_json.h"
#include "tally/jsondoc/reader.h"

namespace tally::escrow {
namespace {

using nlohmann::json;

std::string Where(const std::string& name, size_t i) {
  return name + ": opened[" + std::to_string(i) + "]";
}

Result<Record> RecordFromJson(const json& j, const std::string& where) {
  Record r;
  if (!j.is_object()) return FieldError(where, "record", "an object", jsondoc::Describe(j));
  if (j.contains("dummy")) {
    if (!j["dummy"].is_number_unsigned() || j.size() != 1) {
      return FieldError(where, "record.dummy", "a non-negative integer and nothing else",
                        jsondoc::Describe(j));
    }
    r.dummy = true;
    r.dummy_index = j["dummy"].get<uint64_t>();
    return r;
  }
  static const char* kKeys[] = {"uid",       "party", "kind",     "system",   "status", "facility",
                                "equipment", "host",  "capacity", "range_km", "tags"};
  for (const char* k : kKeys) {
    if (!j.contains(k)) return FieldError(where, std::string("record.") + k, "a value", "nothing");
  }
  if (j.size() != std::size(kKeys)) {
    return FieldError(where, "record", "exactly the item fields", jsondoc::Describe(j));
  }
  model::Item& it = r.item;
  auto str = [&](const char* k, std::string& out) -> Status {
    if (!j[k].is_string())
      return FieldError(where, std::string("record.") + k, "a string", jsondoc::Describe(j[k]));
    out = j[k].get<std::string>();
    return Status();
  };
  std::string kind, status, equipment;
  TALLY_RETURN_IF_ERROR(str("uid", it.uid));
  TALLY_RETURN_IF_ERROR(str("party", it.party));
  TALLY_RETURN_IF_ERROR(str("kind", kind));
  TALLY_RETURN_IF_ERROR(str("system", it.system));
  TALLY_RETURN_IF_ERROR(str("status", status));
  TALLY_RETURN_IF_ERROR(str("facility", it.facility));
  TALLY_RETURN_IF_ERROR(str("equipment", equipment));
  TALLY_RETURN_IF_ERROR(str("host", it.host));
  auto k = model::ParseItemKind(kind);
  if (!k) return FieldError(where, "record.kind", "an item kind", "\"" + kind + "\"");
  it.kind = *k;
  auto s = model::ParseItemStatus(status);
  if (!s || model::ItemStatusName(*s) != status) {
    return FieldError(where, "record.status", "an item status", "\"" + status + "\"");
  }
  it.status = *s;
  auto e = model::ParseEquipment(equipment);
  if (!e) return FieldError(where, "record.equipment", "nuclear or conventional", equipment);
  it.equipment = *e;
  for (const char* key : {"capacity", "range_km"}) {
    if (!j[key].is_number_integer()) {
      return FieldError(where, std::string("record.") + key, "an integer",
                        jsondoc::Describe(j[key]));
    }
  }
  it.capacity = j["capacity"].get<int64_t>();
  it.range_km = j["range_km"].get<int64_t>();
  if (!j["tags"].is_array())
    return FieldError(where, "record.tags", "a list", jsondoc::Describe(j["tags"]));
  for (const auto& t : j["tags"]) {
    if (!t.is_string()) return FieldError(where, "record.tags", "strings", jsondoc::Describe(t));
    it.tags.push_back(t.get<std::string>());
  }
  // The canonical form is what was committed: decode(encode(x)) must be x itself, so that a
  // record has exactly one JSON spelling that verifies (sorted unique tags).
  TALLY_ASSIGN_OR_RETURN(std::string bytes, EncodeRecord(r));
  auto back = DecodeRecord(bytes);
  if (!back || back->item.tags != it.tags) {
    return FieldError(where, "record.tags", "sorted, unique tags", jsondoc::Describe(j["tags"]));
  }
  return r;
}

std::string CountsText(const std::vector<std::string>& cats, std::span<const uint64_t> c) {
  std::string out;
  for (size_t i = 0; i < cats.size() && i < c.size(); ++i) {
    out += (out.empty() ? "" : ", ") + cats[i] + "=" + std::to_string(c[i]);
  }
  return out;
}

std::string LeafName(const OpenedLeaf& l) {
  return "leaf " + std::to_string(l.index) +
         (l.record.dummy ? " (dummy " + std::to_string(l.record.dummy_index) + ")"
                         : " (" + l.record.item.uid + ")");
}

bool SaltLess(const Salt& a, const Salt& b) { return a < b; }

}  // namespace

std::string BundleToJson(const Bundle& b) {
  // Bundles of items with ASCII fields are written without a JSON document (bundle_writer.h);
  // anything else takes the document writer.
  if (std::optional<std::string> fast = FastBundleToJson(b)) return std::move(*fast);
  return BundleToJsonDocument(b);
}

Result<Bundle> BundleFromJson(std::string_view text, const std::string& name) {
  // Well-formed bundles are read without a JSON document (bundle_reader.h); anything else, and
  // every error, takes the document reader.
  if (std::optional<Bundle> fast = FastBundleFromJson(text)) return std::move(*fast);
  return BundleFromJsonDocument(text, name);
}

Result<Bundle> BundleFromJsonDocument(std::string_view text, const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(json j, ParseStrictJson(text, name));
  if (!j.is_object() || !j.contains("format") || j["format"] != kBundleFormat) {
    return FieldError(
        name, "format", "\"" + std::string(kBundleFormat) + "\"",
        j.is_object() && j.contains("format") ? jsondoc::Describe(j["format"]) : "nothing");
  }
  TALLY_RETURN_IF_ERROR(RefuseUnknownKeys(
      j, {"format", "declaration", "selection", "subtotals", "opened", "path"}, name));
  Bundle b;
  if (!j.contains("declaration") || !j["declaration"].is_object()) {
    return FieldError(name, "declaration", "an object", "nothing");
  }
  const json& d = j["declaration"];
  TALLY_RETURN_IF_ERROR(RefuseUnknownKeys(
      d, {"party", "treaty", "as_of", "leaves", "categories", "root"}, name, "declaration."));
  for (const char* k : {"party", "treaty", "as_of", "root"}) {
    if (!d.contains(k) || !d[k].is_string()) {
      return FieldError(name, std::string("declaration.") + k, "a string",
                        d.contains(k) ? jsondoc::Describe(d[k]) : "nothing");
    }
  }
  b.party = d["party"].get<std::string>();
  b.treaty = d["treaty"].get<std::string>();
  auto date = Date::Parse(d["as_of"].get<std::string>());
  if (!date || date->ToString() != d["as_of"].get<std::string>()) {
    return FieldError(name, "declaration.as_of", "a date YYYY-MM-DD",
                      jsondoc::Describe(d["as_of"]));
  }
  b.as_of = *date;
  auto root = merkle::HashFromBase64(d["root"].get<std::string>(), "root");
  if (!root || merkle::HashToBase64(*root) != d["root"].get<std::string>()) {
    return FieldError(name, "declaration.root", "a base64 hash", jsondoc::Describe(d["root"]));
  }
  b.root = *root;
  if (!d.contains("leaves") || !d["leaves"].is_number_unsigned()) {
    return FieldError(name, "declaration.leaves", "a non-negative integer", "other");
  }
  b.leaves = d["leaves"].get<uint64_t>();
  if (!d.contains("categories") || !d["categories"].is_array() || d["categories"].empty()) {
    return FieldError(name, "declaration.categories", "a list of quantity ids", "other");
  }
  for (const auto& c : d["categories"]) {
    if (!c.is_string())
      return FieldError(name, "declaration.categories", "strings", jsondoc::Describe(c));
    b.categories.push_back(c.get<std::string>());
  }
  const size_t k = b.categories.size();
  if (!j.contains("selection") || !j["selection"].is_string()) {
    return FieldError(name, "selection", "a string (what was opened)",
                      j.contains("selection") ? jsondoc::Describe(j["selection"]) : "nothing");
  }
  b.selection = j["selection"].get<std::string>();
  if (!j.contains("subtotals") || !j["subtotals"].is_object()) {
    return FieldError(name, "subtotals", "an object", "nothing");
  }
  if (j["subtotals"].size() != b.categories.size()) {
    return FieldError(name, "subtotals", "exactly one subtotal per category",
                      std::to_string(j["subtotals"].size()) + " entries");
  }
  for (const std::string& c : b.categories) {
    const json& s = j["subtotals"];
    if (!s.contains(c) || !s[c].is_number_unsigned()) {
      return FieldError(name, "subtotals." + c, "a non-negative integer",
                        s.contains(c) ? jsondoc::Describe(s[c]) : "nothing");
    }
    b.subtotals.push_back(s[c].get<uint64_t>());
  }
  if (!j.contains("opened") || !j["opened"].is_array() || j["opened"].empty()) {
    return FieldError(name, "opened", "a non-empty list of leaves", "nothing");
  }
  b.opened.reserve(j["opened"].size());
  for (size_t i = 0; i < j["opened"].size(); ++i) {
    const json& o = j["opened"][i];
    const std::string where = Where(name, i);
    if (!o.is_object()) return FieldError(where, "leaf", "an object", jsondoc::Describe(o));
    TALLY_RETURN_IF_ERROR(
        RefuseUnknownKeys(o, {"leaf", "salt", "counts", "commitment", "record"}, where));
    OpenedLeaf l;
    if (!o.contains("leaf") || !o["leaf"].is_number_unsigned()) {
      return FieldError(where, "leaf", "a leaf position",
                        o.contains("leaf") ? jsondoc::Describe(o["leaf"]) : "nothing");
    }
    l.index = o["leaf"].get<uint64_t>();
    if (!o.contains("salt") || !o["salt"].is_string()) {
      return FieldError(where, "salt", "64 hex digits", "nothing");
    }
    // One spelling: lower-case hex, as BundleToJson writes it.
    if (!IsLowerHex(o["salt"].get<std::string>(), 32)) {
      return FieldError(where, "salt", "64 lower-case hex digits", jsondoc::Describe(o["salt"]));
    }
    auto salt = crypto::HexDecode(o["salt"].get<std::string>());
    if (!salt || salt->size() != 32) {
      return FieldError(where, "salt", "64 lower-case hex digits", jsondoc::Describe(o["salt"]));
    }
    std::copy(salt->begin(), salt->end(), l.salt.begin());
    if (!o.contains("counts") || !o["counts"].is_array() || o["counts"].size() != k) {
      return FieldError(where, "counts", std::to_string(k) + " non-negative integers",
                        o.contains("counts") ? jsondoc::Describe(o["counts"]) : "nothing");
    }
    for (const auto& c : o["counts"]) {
      if (!c.is_number_unsigned())
        return FieldError(where, "counts", "non-negative integers", jsondoc::Describe(c));
      l.counts.push_back(c.get<uint64_t>());
    }
    if (!o.contains("commitment") || !o["commitment"].is_string()) {
      return FieldError(where, "commitment", "a base64 hash", "nothing");
    }
    auto c = merkle::HashFromBase64(o["commitment"].get<std::string>(), "commitment");
    if (!c || merkle::HashToBase64(*c) != o["commitment"].get<std::string>()) {
      return FieldError(where, "commitment", "a base64 hash", jsondoc::Describe(o["commitment"]));
    }
    l.commitment = *c;
    if (!o.contains("record")) return FieldError(where, "record", "an object", "nothing");
    TALLY_ASSIGN_OR_RETURN(l.record, RecordFromJson(o["record"], where));
    b.opened.push_back(std::move(l));
  }
  if (!j.contains("path") || !j["path"].is_object()) {
    return FieldError(name, "path", "an object", "nothing");
  }
  const json& p = j["path"];
  TALLY_RETURN_IF_ERROR(RefuseUnknownKeys(p, {"nodes", "hashes", "counts"}, name, "path."));
  if (!p.contains("nodes") || !p["nodes"].is_number_unsigned() || !p.contains("hashes") ||
      !p["hashes"].is_string() || !p.contains("counts") || !p["counts"].is_array()) {
    return FieldError(name, "path", "{nodes, hashes, counts}", jsondoc::Describe(p));
  }
  const uint64_t nodes = p["nodes"].get<uint64_t>();
  auto raw = crypto::Base64Decode(p["hashes"].get<std::string>());
  if (!raw || raw->size() != nodes * 32 ||
      crypto::Base64Encode(*raw) != p["hashes"].get<std::string>()) {
    return FieldError(name, "path.hashes", "base64 of nodes x 32 bytes", "other");
  }
  if (p["counts"].size() != nodes * k) {
    return FieldError(name, "path.counts", std::to_string(nodes * k) + " integers",
                      std::to_string(p["counts"].size()) + " values");
  }
  b.path.hashes.resize(nodes);
  for (uint64_t i = 0; i < nodes; ++i) {
    std::copy(raw->begin() + i * 32, raw->begin() + (i + 1) * 32, b.path.hashes[i].begin());
  }
  b.path.counts.reserve(nodes * k);
  for (const auto& c : p["counts"]) {
    if (!c.is_number_unsigned()) {
      return FieldError(name, "path.counts", "non-negative integers", jsondoc::Describe(c));
    }
    b.path.counts.push_back(c.get<uint64_t>());
  }
  return b;
}

namespace {

// Below this many leaves a chunk costs less than the thread that would check it.
constexpr size_t kLeavesPerChunk = 128;

// Leaf i of the bundle on its own and against the leaf before it; its hash into `hash`.
Status CheckLeaf(const Statement& st, const Bundle& b, size_t i, const Counter& counter,
                 Counts& low, Counts& high, Counter::BoundsMemo& bounds_memo, std::string& record,
                 Hash& hash) {
  const size_t k = st.categories.size();
  const OpenedLeaf& l = b.opened[i];
  if (l.index >= st.leaves) {
    return VerificationFailed(LeafName(l) + ": position out of range (the tree has " +
                              std::to_string(st.leaves) + " leaves)");
  }
  if (i > 0 && l.index <= b.opened[i - 1].index) {
    return VerificationFailed(LeafName(l) + (l.index == b.opened[i - 1].index
                                                 ? ": opened twice in one bundle"
                                                 : ": leaves are not in ascending order"));
  }
  if (l.counts.size() != k) return VerificationFailed(LeafName(l) + ": wrong number of counts");
  if (l.record.dummy) {
    for (uint64_t c : l.counts) {
      if (c != 0) {
        return VerificationFailed(LeafName(l) + ": a dummy leaf carries counts " +
                                  CountsText(st.categories, l.counts));
      }
    }
  } else {
    if (l.record.item.party != st.party) {
      return VerificationFailed(LeafName(l) + ": item of party " + l.record.item.party +
                                " in a declaration of " + st.party);
    }
    counter.Bounds(l.record.item, low, high, bounds_memo);
    for (size_t c = 0; c < k; ++c) {
      if (l.counts[c] < low[c] || l.counts[c] > high[c]) {
        return VerificationFailed(
            LeafName(l) + ": counts " + st.categories[c] + "=" + std::to_string(l.counts[c]) +
            ", but the treaty's counting rules give " +
            (low[c] == high[c] ? std::to_string(low[c])
                               : std::to_string(low[c]) + ".." + std::to_string(high[c])) +
            " for this item");
      }
    }
  }
  if (l.record.dummy) {
    EncodeDummyRecord(l.record.dummy_index, record);
  } else {
    TALLY_RETURN_IF_ERROR(EncodeItemRecord(l.record.item, record));
  }
  hash = SumLeafHash(l.salt, l.counts, record);
  if (hash != l.commitment) {
    return VerificationFailed(LeafName(l) +
                              ": commitment mismatch: the item's fields or its salt differ "
                              "from what was committed");
  }
  if (st.order == "salt" && i > 0 && !SaltLess(b.opened[i - 1].salt, l.salt)) {
    return VerificationFailed(LeafName(l) + ": moved leaf: leaf " +
                              std::to_string(b.opened[i - 1].index) +
                              " has a larger salt, but leaves are ordered by salt");
  }
  return Status::Ok();
}

// Everything VerifyBundle checks; the caller fills VerifiedOpening::opened.
Result<VerifiedOpening> Verify(const Statement& st, const Bundle& b, const Counter& counter) {
  const size_t k = st.categories.size();
  if (b.root != st.root || b.leaves != st.leaves || b.categories != st.categories ||
      b.party != st.party || b.treaty != st.treaty) {
    return VerificationFailed("bundle is for another declaration: it names " + b.party + " " +
                              b.treaty + " root " + merkle::HashToBase64(b.root) + " with " +
                              std::to_string(b.leaves) + " leaves; the statement has " + st.party +
                              " " + st.treaty + " root " + merkle::HashToBase64(st.root) +
                              " with " + std::to_string(st.leaves));
  }
  if (b.as_of != st.as_of) {
    return VerificationFailed("bundle is for another declaration: it is dated as of " +
                              b.as_of.ToString() + ", the statement as of " + st.as_of.ToString());
  }
  if (counter.categories() != st.categories) {
    return InvalidArgument("the treaty's categories under interpretation '" +
                           counter.interpretation() + "' are not the statement's");
  }
  if (b.opened.empty()) return VerificationFailed("bundle opens no leaf");
  // Each leaf checked on its own, a chunk a core; the first failing leaf of the first chunk
  // with one is the first failing leaf of the bundle, as in one pass.
  const size_t n = b.opened.size();
  std::vector<Hash> hashes(n);
  struct ChunkResult {
    Status status;
    size_t failed_at = 0;  // the failing leaf, when status is an error
    uint64_t items = 0, dummies = 0;
  };
  std::vector<ChunkResult> chunks(ChunkCount(n, kLeavesPerChunk));
  RunChunks(n, chunks.size(), [&](size_t chunk, size_t begin, size_t end) {
    ChunkResult& out = chunks[chunk];
    Counts low, high;
    Counter::BoundsMemo bounds_memo;
    std::string record;
    for (size_t i = begin; i < end; ++i) {
      out.status = CheckLeaf(st, b, i, counter, low, high, bounds_memo, record, hashes[i]);
      if (!out.status.ok()) {
        out.failed_at = i;
        break;
      }
      ++(b.opened[i].record.dummy ? out.dummies : out.items);
    }
  });
  VerifiedOpening v;
  v.subtotals.assign(k, 0);
  const ChunkResult* failed = nullptr;
  for (const ChunkResult& c : chunks) {
    if (!c.status.ok()) {
      failed = &c;
      break;
    }
    v.items += c.items;
    v.dummies += c.dummies;
  }
  // Subtotals in leaf order up to the first failing leaf: an overflow before it is what one pass
  // would have named first.
  const size_t checked = failed ? failed->failed_at : n;
  std::vector<uint64_t> indices;
  std::vector<uint64_t> counts;
  indices.reserve(checked);
  counts.reserve(checked * k);
  for (size_t i = 0; i < checked; ++i) {
    const OpenedLeaf& l = b.opened[i];
    indices.push_back(l.index);
    counts.insert(counts.end(), l.counts.begin(), l.counts.end());
    for (size_t c = 0; c < k; ++c) {
      if (__builtin_add_overflow(v.subtotals[c], l.counts[c], &v.subtotals[c])) {
        return VerificationFailed(LeafName(l) + ": subtotal overflows");
      }
    }
  }
  if (failed) return failed->status;
  TALLY_ASSIGN_OR_RETURN(SumNode root,
                         RootFromProof(st.leaves, k, indices, hashes, counts, b.path));
  // Totals edited in the statement (the tree and its path intact): name the total.
  Statement tree_totals = st;
  tree_totals.totals = root.counts;
  const bool totals_edited =
      root.counts != st.totals && BindRoot(tree_totals, root.hash) == st.root;
  if (!totals_edited && BindRoot(st, root.hash) != st.root) {
    if (root.counts != st.totals) {
      return VerificationFailed(
          "sum path: the path's subtotals add up to " + CountsText(st.categories, root.counts) +
          " at the root, but the declaration's totals are " + CountsText(st.categories, st.totals) +
          ", and the root hash differs: a subtotal on the path was altered");
    }
    return VerificationFailed(
        "inclusion path: the opened leaves and path, bound to the "
        "statement, hash to " +
        merkle::HashToBase64(BindRoot(st, root.hash)) + ", not the declared root " +
        merkle::HashToBase64(st.root) +
        ": a leaf's position or a path hash was altered (a moved leaf?), "
        "or a statement field the root binds (as_of, interpretation, "
        "order, ...) was edited");
  }
  if (root.counts != st.totals) {
    for (size_t c = 0; c < k; ++c) {
      if (root.counts[c] != st.totals[c]) {
        return VerificationFailed("declared total " + st.categories[c] + " = " +
                                  std::to_string(st.totals[c]) + " disagrees with the root's sum " +
                                  std::to_string(root.counts[c]));
      }
    }
  }
  for (size_t c = 0; c < k; ++c) {
    if (b.subtotals.size() != k || b.subtotals[c] != v.subtotals[c]) {
      return VerificationFailed(
          "subtotal " + st.categories[c] + ": the bundle claims " +
          (b.subtotals.size() == k ? std::to_string(b.subtotals[c]) : std::string("nothing")) +
          ", its opened leaves add up to " + std::to_string(v.subtotals[c]));
    }
  }
  return v;
}

// A full opening (every leaf) shows every item a "first N items count M" term ranks, so the
// attribution is no longer a choice: each leaf must carry exactly what the treaty's ranking
// (treaty/counting.h, UID order) gives it, not merely a value between the bounds a partial
// opening accepts. Without this a party could commit every heavy bomber at the lower of its
// two values (START I: 8 for a bomber that is not among the first 180) and undercount.
Status CheckFullAttribution(const Statement& st, const std::vector<const OpenedLeaf*>& opened,
                            const Counter& counter) {
  if (!counter.HasRankTerms(st.party)) return Status::Ok();
  model::Inventory inv;
  std::vector<const OpenedLeaf*> items;
  for (const OpenedLeaf* l : opened) {
    if (l->record.dummy) continue;
    inv.items.push_back(l->record.item);
    items.push_back(l);
  }
  std::vector<uint64_t> flat;
  std::vector<size_t> index;
  TALLY_RETURN_IF_ERROR(counter.CountAll(inv, st.party, flat, index));
  const size_t k = counter.size();
  for (size_t row = 0; row < index.size(); ++row) {
    const OpenedLeaf& l = *items[index[row]];
    for (size_t c = 0; c < k; ++c) {
      if (l.counts[c] != flat[row * k + c]) {
        return VerificationFailed(
            LeafName(l) + ": counts " + st.categories[c] + "=" + std::to_string(l.counts[c]) +
            ", but in this full opening the treaty's attribution by UID rank gives it " +
            std::to_string(flat[row * k + c]) +
            " (the first N items of a \"first\" term are fixed, not chosen leaf by leaf)");
      }
    }
  }
  return Status::Ok();
}

Status CheckFullAttribution(const Statement& st, const std::vector<OpenedLeaf>& opened,
                            const Counter& counter) {
  if (opened.size() != st.leaves) return Status::Ok();
  std::vector<const OpenedLeaf*> ptrs;
  ptrs.reserve(opened.size());
  for (const OpenedLeaf& l : opened) ptrs.push_back(&l);
  return CheckFullAttribution(st, ptrs, counter);
}

}  // namespace

Result<VerifiedOpening> VerifyBundle(const Statement& st, const Bundle& b, const Counter& counter) {
  TALLY_ASSIGN_OR_RETURN(VerifiedOpening v, Verify(st, b, counter));
  TALLY_RETURN_IF_ERROR(CheckFullAttribution(st, b.opened, counter));
  v.opened = b.opened;
  return v;
}

Status CheckBundle(const Statement& st, const Bundle& b, const Counter& counter) {
  TALLY_RETURN_IF_ERROR(Verify(st, b, counter).status());
  return CheckFullAttribution(st, b.opened, counter);
}

Result<VerifiedOpening> VerifyBundle(const Statement& st, Bundle&& b, const Counter& counter) {
  TALLY_ASSIGN_OR_RETURN(VerifiedOpening v, Verify(st, b, counter));
  TALLY_RETURN_IF_ERROR(CheckFullAttribution(st, b.opened, counter));
  v.opened = std::move(b.opened);
  return v;
}

Result<VerifiedOpening> VerifyOpenings(const Statement& st, const std::vector<Bundle>& bundles,
                                       const Counter& counter) {
  VerifiedOpening all;
  all.subtotals.assign(st.categories.size(), 0);
  std::map<uint64_t, const OpenedLeaf*> by_leaf;
  std::unordered_map<std::string, uint64_t> by_uid;
  std::vector<VerifiedOpening> each;
  for (const Bundle& b : bundles) {
    TALLY_ASSIGN_OR_RETURN(VerifiedOpening v, VerifyBundle(st, b, counter));
    each.push_back(std::move(v));
  }
  for (const VerifiedOpening& v : each) {
    for (const OpenedLeaf& l : v.opened) {
      auto [it, fresh] = by_leaf.emplace(l.index, &l);
      if (!fresh) {
        if (it->second->commitment != l.commitment || it->second->salt != l.salt) {
          return VerificationFailed(LeafName(l) + ": opened two ways (as " + LeafName(*it->second) +
                                    " in another bundle)");
        }
        continue;  // the same opening twice is harmless
      }
      if (!l.record.dummy) {
        auto [u, ufresh] = by_uid.emplace(l.record.item.uid, l.index);
        if (!ufresh) {
          return VerificationFailed("uid " + l.record.item.uid + " is committed at two leaves (" +
                                    std::to_string(u->second) + " and " + std::to_string(l.index) +
                                    ")");
        }
        ++all.items;
      } else {
        ++all.dummies;
      }
      for (size_t c = 0; c < l.counts.size(); ++c) all.subtotals[c] += l.counts[c];
      all.opened.push_back(l);
    }
  }
  std::sort(all.opened.begin(), all.opened.end(),
            [](const OpenedLeaf& a, const OpenedLeaf& b) { return a.index < b.index; });
  // Bundles that together open every leaf (one full bundle was checked by VerifyBundle).
  bool one_full = false;
  for (const VerifiedOpening& v : each) one_full = one_full || v.opened.size() == st.leaves;
  if (!one_full) TALLY_RETURN_IF_ERROR(CheckFullAttribution(st, all.opened, counter));
  return all;
}

}  // namespace tally::escrow
