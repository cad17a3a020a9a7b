#include "tally/tlog/entry.h"

#include "tally/tlog/checkpoint.h"
#include "tally/tlog/tile.h"

namespace tally::tlog {
namespace {

struct KindRow {
  EntryKind kind;
  std::string_view name;
};
constexpr KindRow kKinds[] = {
    {EntryKind::kStatement, "statement"},
    {EntryKind::kDeclaration, "declaration"},
    {EntryKind::kNotification, "notification"},
    {EntryKind::kInspectionRequest, "inspection-request"},
    {EntryKind::kRandomnessCommit, "randomness-commit"},
    {EntryKind::kRandomnessReveal, "randomness-reveal"},
    {EntryKind::kOpening, "opening"},
    {EntryKind::kFinding, "finding"},
    {EntryKind::kCheckpointSeen, "checkpoint-seen"},
};

bool IsPartyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

Status CheckParty(std::string_view party, std::string_view where) {
  if (party.empty() || party.size() > 32) {
    return FieldError(where, "party", "1 to 32 characters", std::to_string(party.size()));
  }
  for (char c : party) {
    if (!IsPartyChar(c)) {
      return FieldError(where, "party", "letters, digits, '.', '_' or '-'",
                        "\"" + std::string(party) + "\"");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> EncodeEntry(const Entry& e) {
  if (e.kind == 0) return FieldError("entry", "kind", "a kind number 1..65535", "0");
  TALLY_RETURN_IF_ERROR(CheckParty(e.party, "entry"));
  const size_t total = kEntryFixedSize + e.party.size() + e.payload.size();
  if (total > kMaxEntrySize) {
    return FieldError(
        "entry", "payload",
        "at most " + std::to_string(kMaxEntrySize - kEntryFixedSize - e.party.size()) + " bytes",
        std::to_string(e.payload.size()) + " bytes");
  }
  std::string out;
  out.reserve(total);
  out += kEntryMagic;
  out.push_back(static_cast<char>(e.kind >> 8));
  out.push_back(static_cast<char>(e.kind & 0xff));
  out.push_back(static_cast<char>(e.party.size()));
  out += e.party;
  const auto t = static_cast<uint64_t>(e.time);
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(t >> (8 * i)));
  out.push_back(static_cast<char>(e.payload.size() >> 8));
  out.push_back(static_cast<char>(e.payload.size() & 0xff));
  out += e.payload;
  return out;
}

bool LooksTyped(std::string_view bytes) { return bytes.substr(0, 4) == kEntryMagic; }

Result<Entry> DecodeEntry(std::string_view b) {
  const auto at = [&](size_t pos) { return "entry byte " + std::to_string(pos); };
  const auto u8 = [&](size_t pos) { return static_cast<uint8_t>(b[pos]); };
  if (b.size() > kMaxEntrySize) {
    return DataLoss("entry: " + std::to_string(b.size()) + " bytes, more than 65535");
  }
  if (!LooksTyped(b)) return DataLoss("entry: not a typed entry (no \"tly\\x01\" magic)");
  if (b.size() < kEntryFixedSize + 1) return DataLoss("entry: cut off in its header");
  Entry e;
  e.kind = static_cast<uint16_t>(u8(4) << 8 | u8(5));
  if (e.kind == 0) return DataLoss(at(4) + ": kind 0 is not allowed");
  const size_t plen = u8(6);
  size_t pos = 7;
  if (b.size() < pos + plen + 10) return DataLoss(at(pos) + ": cut off in party or time");
  e.party = std::string(b.substr(pos, plen));
  if (Status s = CheckParty(e.party, at(pos)); !s.ok()) return DataLoss(s.message());
  pos += plen;
  uint64_t t = 0;
  for (int i = 0; i < 8; ++i) t = t << 8 | u8(pos + static_cast<size_t>(i));
  e.time = static_cast<int64_t>(t);
  pos += 8;
  const size_t len = static_cast<size_t>(u8(pos)) << 8 | u8(pos + 1);
  pos += 2;
  if (b.size() != pos + len) {
    return DataLoss(at(pos - 2) + ": payload length " + std::to_string(len) + " but " +
                    std::to_string(b.size() - pos) + " bytes follow");
  }
  e.payload = std::string(b.substr(pos));
  return e;
}

std::optional<std::string_view> KindName(uint16_t kind) {
  for (const auto& row : kKinds) {
    if (static_cast<uint16_t>(row.kind) == kind) return row.name;
  }
  return std::nullopt;
}

Result<uint16_t> KindFromName(std::string_view name) {
  for (const auto& row : kKinds) {
    if (row.name == name) return static_cast<uint16_t>(row.kind);
  }
  auto n = ParseDecimal(name, "entry", "kind", 65535);
  if (n.ok() && *n > 0) return static_cast<uint16_t>(*n);
  std::string names;
  for (const auto& row : kKinds) names += (names.empty() ? "" : ", ") + std::string(row.name);
  return FieldError("entry", "kind", "one of " + names + " or a number 1..65535",
                    "\"" + std::string(name) + "\"");
}

std::vector<std::string_view> KindNames() {
  std::vector<std::string_view> out;
  for (const auto& row : kKinds) out.push_back(row.name);
  return out;
}

}  // namespace tally::tlog
