#include "tally/escrow/record.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace tally::escrow {
namespace {

using model::Equipment;
using model::ItemKind;
using model::ItemStatus;

constexpr ItemKind kKinds[] = {ItemKind::kIcbm,
                               ItemKind::kSlbm,
                               ItemKind::kIcbmLauncher,
                               ItemKind::kSlbmLauncher,
                               ItemKind::kHeavyBomber,
                               ItemKind::kWarhead,
                               ItemKind::kGroundLaunchedBallisticMissile,
                               ItemKind::kGroundLaunchedCruiseMissile,
                               ItemKind::kGroundLauncher};
constexpr ItemStatus kStatuses[] = {ItemStatus::kDeployed, ItemStatus::kNonDeployed,
                                    ItemStatus::kTest, ItemStatus::kConverted,
                                    ItemStatus::kEliminated};
constexpr Equipment kEquipments[] = {Equipment::kNuclear, Equipment::kConventional};

template <typename E, size_t N>
uint8_t CodeOf(const E (&table)[N], E value) {
  for (size_t i = 0; i < N; ++i) {
    if (table[i] == value) return static_cast<uint8_t>(i + 1);
  }
  return 0;
}

void PutU64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  size_t pos() const { return pos_; }
  bool done() const { return pos_ == b_.size(); }
  Status Fail(std::string_view what) const {
    return DataLoss("record byte " + std::to_string(pos_) + ": " + std::string(what));
  }
  Result<uint8_t> U8(std::string_view what) {
    if (b_.size() - pos_ < 1) return Fail(std::string("truncated ") + std::string(what));
    return static_cast<uint8_t>(b_[pos_++]);
  }
  Result<uint16_t> U16(std::string_view what) {
    if (b_.size() - pos_ < 2) return Fail(std::string("truncated ") + std::string(what));
    const uint16_t v = static_cast<uint16_t>((static_cast<uint8_t>(b_[pos_]) << 8) |
                                             static_cast<uint8_t>(b_[pos_ + 1]));
    pos_ += 2;
    return v;
  }
  Result<uint64_t> U64(std::string_view what) {
    if (b_.size() - pos_ < 8) return Fail(std::string("truncated ") + std::string(what));
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(b_[pos_ + i]);
    pos_ += 8;
    return v;
  }
  Result<std::string> Str(std::string_view what) {
    TALLY_ASSIGN_OR_RETURN(uint16_t n, U16(what));
    if (b_.size() - pos_ < n) return Fail(std::string("truncated ") + std::string(what));
    std::string s(b_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

}  // namespace

uint8_t KindCode(ItemKind kind) { return CodeOf(kKinds, kind); }
uint8_t ItemStatusCode(ItemStatus status) { return CodeOf(kStatuses, status); }
uint8_t EquipmentCode(Equipment equipment) { return CodeOf(kEquipments, equipment); }

Status EncodeItemRecord(const model::Item& item, std::string& out) {
  const bool sorted_unique = std::adjacent_find(item.tags.begin(), item.tags.end(),
                                                [](const std::string& a, const std::string& b) {
                                                  return !(a < b);
                                                }) == item.tags.end();
  std::vector<std::string> sorted;
  const std::vector<std::string>* tags = &item.tags;
  if (!sorted_unique) {
    sorted = item.tags;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    tags = &sorted;
  }
  // Checked in field order, so that the first field too long is the one named.
  const std::pair<const std::string*, const char*> fields[] = {{&item.uid, "uid"},
                                                               {&item.party, "party"},
                                                               {&item.system, "system"},
                                                               {&item.facility, "facility"},
                                                               {&item.host, "host"}};
  size_t size = 2 + 3 + 16 + 2;
  for (const auto& [f, name] : fields) {
    if (f->size() > 0xffff) {
      return InvalidArgument("record field '" + std::string(name) + "': longer than 65535 bytes");
    }
    size += 2 + f->size();
  }
  if (tags->size() > 0xffff) return InvalidArgument("record field 'tags': more than 65535 tags");
  for (const std::string& t : *tags) {
    if (t.size() > 0xffff) return InvalidArgument("record field 'tags': longer than 65535 bytes");
    size += 2 + t.size();
  }
  // One allocation at most, then plain stores (a million records per commit).
  out.resize(size);
  char* p = out.data();
  auto u16 = [&](size_t v) {
    *p++ = static_cast<char>(v >> 8);
    *p++ = static_cast<char>(v & 0xff);
  };
  auto str = [&](const std::string& v) {
    u16(v.size());
    std::memcpy(p, v.data(), v.size());
    p += v.size();
  };
  auto u64 = [&](uint64_t v) {
    for (int i = 7; i >= 0; --i) *p++ = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  *p++ = static_cast<char>(kRecordVersion);
  *p++ = static_cast<char>(kRecordTypeItem);
  str(item.uid);
  str(item.party);
  *p++ = static_cast<char>(KindCode(item.kind));
  str(item.system);
  *p++ = static_cast<char>(ItemStatusCode(item.status));
  str(item.facility);
  *p++ = static_cast<char>(EquipmentCode(item.equipment));
  str(item.host);
  u64(static_cast<uint64_t>(item.capacity));
  u64(static_cast<uint64_t>(item.range_km));
  u16(tags->size());
  for (const std::string& t : *tags) str(t);
  return Status();
}

void EncodeDummyRecord(uint64_t index, std::string& out) {
  out.clear();
  out.push_back(static_cast<char>(kRecordVersion));
  out.push_back(static_cast<char>(kRecordTypeDummy));
  PutU64(out, index);
}

Result<std::string> EncodeRecord(const Record& record) {
  std::string out;
  if (record.dummy) {
    EncodeDummyRecord(record.dummy_index, out);
  } else {
    TALLY_RETURN_IF_ERROR(EncodeItemRecord(record.item, out));
  }
  return out;
}

Result<Record> DecodeRecord(std::string_view bytes) {
  Reader r(bytes);
  TALLY_ASSIGN_OR_RETURN(uint8_t version, r.U8("version"));
  if (version != kRecordVersion) return DataLoss("record byte 0: unknown record version");
  TALLY_ASSIGN_OR_RETURN(uint8_t type, r.U8("type"));
  Record rec;
  if (type == kRecordTypeDummy) {
    rec.dummy = true;
    TALLY_ASSIGN_OR_RETURN(rec.dummy_index, r.U64("dummy index"));
  } else if (type == kRecordTypeItem) {
    model::Item& it = rec.item;
    TALLY_ASSIGN_OR_RETURN(it.uid, r.Str("uid"));
    TALLY_ASSIGN_OR_RETURN(it.party, r.Str("party"));
    TALLY_ASSIGN_OR_RETURN(uint8_t kind, r.U8("kind"));
    if (kind == 0 || kind > std::size(kKinds)) return r.Fail("kind code out of range");
    it.kind = kKinds[kind - 1];
    TALLY_ASSIGN_OR_RETURN(it.system, r.Str("system"));
    TALLY_ASSIGN_OR_RETURN(uint8_t status, r.U8("status"));
    if (status == 0 || status > std::size(kStatuses)) return r.Fail("status code out of range");
    it.status = kStatuses[status - 1];
    TALLY_ASSIGN_OR_RETURN(it.facility, r.Str("facility"));
    TALLY_ASSIGN_OR_RETURN(uint8_t equipment, r.U8("equipment"));
    if (equipment == 0 || equipment > std::size(kEquipments)) {
      return r.Fail("equipment code out of range");
    }
    it.equipment = kEquipments[equipment - 1];
    TALLY_ASSIGN_OR_RETURN(it.host, r.Str("host"));
    TALLY_ASSIGN_OR_RETURN(uint64_t capacity, r.U64("capacity"));
    it.capacity = static_cast<int64_t>(capacity);
    TALLY_ASSIGN_OR_RETURN(uint64_t range, r.U64("range_km"));
    it.range_km = static_cast<int64_t>(range);
    TALLY_ASSIGN_OR_RETURN(uint16_t ntags, r.U16("tag count"));
    for (uint16_t i = 0; i < ntags; ++i) {
      TALLY_ASSIGN_OR_RETURN(std::string tag, r.Str("tag"));
      if (!it.tags.empty() && !(it.tags.back() < tag)) {
        return r.Fail("tags not sorted and unique");
      }
      it.tags.push_back(std::move(tag));
    }
  } else {
    return DataLoss("record byte 1: unknown record type");
  }
  if (!r.done()) return r.Fail("trailing bytes after the record");
  return rec;
}

namespace {

bool TakeStr(std::string_view& b, std::string_view& out) {
  if (b.size() < 2) return false;
  const size_t n = (static_cast<uint8_t>(b[0]) << 8) | static_cast<uint8_t>(b[1]);
  if (b.size() - 2 < n) return false;
  out = b.substr(2, n);
  b.remove_prefix(2 + n);
  return true;
}

bool TakeU8(std::string_view& b, uint8_t& out) {
  if (b.empty()) return false;
  out = static_cast<uint8_t>(b[0]);
  b.remove_prefix(1);
  return true;
}

}  // namespace

bool ViewItemRecord(std::string_view b, ItemView& v) {
  if (b.size() < 2 || static_cast<uint8_t>(b[0]) != kRecordVersion ||
      static_cast<uint8_t>(b[1]) != kRecordTypeItem) {
    return false;
  }
  b.remove_prefix(2);
  if (!TakeStr(b, v.uid) || !TakeStr(b, v.party) || !TakeU8(b, v.kind) || !TakeStr(b, v.system) ||
      !TakeU8(b, v.status) || !TakeStr(b, v.facility) || !TakeU8(b, v.equipment) ||
      !TakeStr(b, v.host) || b.size() < 16) {
    return false;
  }
  b.remove_prefix(16);
  v.tags = b;
  return true;
}

bool ViewHasTag(const ItemView& v, std::string_view tag) {
  std::string_view b = v.tags;
  if (b.size() < 2) return false;
  size_t n = (static_cast<uint8_t>(b[0]) << 8) | static_cast<uint8_t>(b[1]);
  b.remove_prefix(2);
  std::string_view t;
  while (n-- > 0 && TakeStr(b, t)) {
    if (t == tag) return true;
  }
  return false;
}

}  // namespace tally::escrow
