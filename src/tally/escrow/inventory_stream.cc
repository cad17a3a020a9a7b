#include "tally/escrow/inventory_stream.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <vector>

#include "tally/base/csv.h"
#include "tally/base/text.h"
#include "tally/escrow/huge_pages.h"
#include "tally/escrow/record.h"
#include "tally/escrow/uid_check.h"
#include "tally/model/state.h"

namespace tally::escrow {
namespace {

enum Column {
  kUid,
  kParty,
  kKind,
  kSystem,
  kStatus,
  kFacility,
  kEquipment,
  kHost,
  kCapacity,
  kRange,
  kTags,
  kAsOf,
  kColumns
};
constexpr std::array<std::string_view, kColumns> kNames = {
    "uid",       "party", "kind",     "system",   "status", "facility",
    "equipment", "host",  "capacity", "range_km", "tags",   "as_of"};

// As treaty/inventory_file.cc splits the tags cell. The strings are assigned in place, so that
// a million rows reuse one set of buffers.
void SplitTags(std::string_view s, std::vector<std::string>& tags) {
  size_t n = 0, i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ';' || s[i] == '\t')) ++i;
    const size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != ';' && s[i] != '\t') ++i;
    if (i > b) {
      if (n == tags.size()) tags.emplace_back();
      tags[n++].assign(s.substr(b, i - b));
    }
  }
  tags.resize(n);
}

// Splits one line at commas into `cells`; false when the count is not `want`.
bool SplitLine(std::string_view line, std::vector<std::string_view>& cells, size_t want) {
  cells.clear();
  size_t b = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      cells.push_back(line.substr(b, i - b));
      b = i + 1;
    }
  }
  return cells.size() == want;
}

bool ParseNonNegative(std::string_view cell, int64_t& out) {
  if (cell.empty()) return true;  // not stated: 0
  auto v = ParseInt64(cell);
  if (!v || *v < 0) return false;
  out = *v;
  return true;
}

}  // namespace

std::optional<Result<Declaration>> CommitInventoryCsv(std::string text, const std::string& name,
                                                      std::optional<Date> as_of_override,
                                                      const treaty::Treaty& treaty,
                                                      const DeclarationSecret& secret,
                                                      const DeclareOptions& options) {
  std::string_view t = text;
  if (t.substr(0, 3) == "\xEF\xBB\xBF") t.remove_prefix(3);
  if (t.find('"') != std::string_view::npos || t.find('\r') != std::string_view::npos) {
    return std::nullopt;  // quoting and line ends: the full CSV parser's business
  }
  if (!IsUtf8(t)) return std::nullopt;  // the full parser names the line and field
  size_t pos = 0;
  auto next_line = [&](std::string_view& line) {
    while (pos < t.size()) {
      size_t e = t.find('\n', pos);
      if (e == std::string_view::npos) e = t.size();
      line = t.substr(pos, e - pos);
      pos = e + 1;
      if (!line.empty()) return true;  // an empty line is no record
    }
    return false;
  };
  std::string_view line;
  if (!next_line(line)) return std::nullopt;
  std::vector<std::string_view> cells;
  SplitLine(line, cells, 0);
  const size_t width = cells.size();
  std::array<int, kColumns> col;
  col.fill(-1);
  for (size_t h = 0; h < width; ++h) {
    size_t c = 0;
    while (c < kColumns && kNames[c] != cells[h]) ++c;
    if (c == kColumns || col[c] >= 0) return std::nullopt;  // unknown, empty or repeated column
    col[c] = static_cast<int>(h);
  }
  if (col[kUid] < 0 || col[kParty] < 0 || col[kKind] < 0 || col[kStatus] < 0) return std::nullopt;
  auto get = [&](Column c) { return col[c] < 0 ? std::string_view() : cells[col[c]]; };

  auto fresh = secret.Clone();
  if (!fresh.ok()) return std::nullopt;
  std::optional<DeclarationBuilder> builder;
  const size_t rows_guess = static_cast<size_t>(std::count(t.begin(), t.end(), '\n'));
  std::vector<std::pair<model::ItemKind, model::ItemStatus>> enums;
  enums.reserve(rows_guess);
  std::optional<Date> as_of;
  std::string party_text, party;
  model::Item item;
  while (next_line(line)) {
    if (!SplitLine(line, cells, width)) return std::nullopt;
    const std::string_view uid = get(kUid);
    if (uid.empty()) return std::nullopt;
    if (party.empty() || get(kParty) != party_text) {
      auto state = model::FindState(get(kParty));
      if (!state) return std::nullopt;
      if (!party.empty() && state->code != party) return std::nullopt;  // several parties
      party = std::string(state->code);
      party_text = std::string(get(kParty));
    }
    auto kind = model::ParseItemKind(get(kKind));
    auto status = model::ParseItemStatus(get(kStatus));
    if (!kind || !status) return std::nullopt;
    item.equipment = model::Equipment::kNuclear;
    if (!get(kEquipment).empty()) {
      auto eq = model::ParseEquipment(get(kEquipment));
      if (!eq) return std::nullopt;
      item.equipment = *eq;
    }
    item.capacity = 0;
    item.range_km = 0;
    if (!ParseNonNegative(get(kCapacity), item.capacity) ||
        !ParseNonNegative(get(kRange), item.range_km)) {
      return std::nullopt;
    }
    if (!get(kAsOf).empty()) {
      auto d = Date::Parse(get(kAsOf));
      if (!d.ok() || (as_of && *as_of != *d)) return std::nullopt;
      as_of = *d;
    }
    item.uid.assign(uid);
    item.party = party;
    item.kind = *kind;
    item.status = *status;
    item.system.assign(get(kSystem));
    item.facility.assign(get(kFacility));
    item.host.assign(get(kHost));
    SplitTags(get(kTags), item.tags);
    if (!builder) {
      if (!options.party.empty() && options.party != party) return std::nullopt;
      // The as_of date is only known for sure at the end; the builder's is set then.
      auto b = DeclarationBuilder::Make(treaty, std::move(*fresh), options, party, Date());
      if (!b.ok()) return std::nullopt;
      builder.emplace(std::move(*b));
      // Generous: pages never touched cost address space, not memory.
      builder->Reserve(rows_guess, 2 * t.size() + 64 * rows_guess);
    }
    if (!builder->Add(item).ok()) return std::nullopt;
    enums.emplace_back(item.kind, item.status);
  }
  if (as_of_override) as_of = as_of_override;
  if (!builder || !as_of) return std::nullopt;
  {
    std::vector<ItemKey> keys;
    HugeReserve(keys, builder->size());
    keys.resize(builder->size());
    for (size_t i = 0; i < keys.size(); ++i) {
      ItemView v;
      if (!ViewItemRecord(builder->record(i), v)) return std::nullopt;
      keys[i] = ItemKey{v.uid, v.party, v.host, enums[i].first, enums[i].second};
    }
    if (!UidCheckOk(keys, /*any_host=*/true)) return std::nullopt;
  }
  enums = {};
  std::string().swap(text);  // the rows are records now
  builder->SetDate(*as_of);
  (void)name;
  return std::move(*builder).Finish();
}

}  // namespace tally::escrow
