// Record: the canonical byte serialization of one declared leaf — an item (model/item.h) or a
// padding dummy — as committed in a declaration (docs/formats/declaration.md §Records).
//
// The encoding is a bijection: DecodeRecord(EncodeRecord(r)) == r, and every accepted byte
// string re-encodes to itself (tags must be sorted and unique, enums in range, nothing
// trailing), so a leaf commitment is a function of the item's fields and one item cannot be
// opened two ways. EncodeItemRecord sorts and de-duplicates tags first.
// Errors: InvalidArgument naming the field that cannot be encoded (a string over 65,535 bytes,
// more than 65,535 tags); DataLoss naming the byte offset for a malformed encoding.
// Thread safety: reentrant.
#ifndef TALLY_ESCROW_RECORD_H_
#define TALLY_ESCROW_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/model/item.h"

namespace tally::escrow {

inline constexpr uint8_t kRecordVersion = 1;
inline constexpr uint8_t kRecordTypeItem = 1;
inline constexpr uint8_t kRecordTypeDummy = 2;

struct Record {
  bool dummy = false;
  uint64_t dummy_index = 0;  // for dummies: 0..padding-1, so every dummy leaf is distinct
  model::Item item;          // for items
};

// Appends the encoding to `out` (cleared first). The item's tags are written sorted and unique.
Status EncodeItemRecord(const model::Item& item, std::string& out);
void EncodeDummyRecord(uint64_t index, std::string& out);
Result<std::string> EncodeRecord(const Record& record);
Result<Record> DecodeRecord(std::string_view bytes);

// The fields of an item record, borrowed from its bytes (no allocation): what selections and
// validation read from a declaration's record arena. `tags` is the encoded tag list (u16 count,
// then str each). ViewItemRecord returns false for anything DecodeRecord would not accept as an
// item record... except that it does not check tag order (records made by EncodeItemRecord are
// canonical).
struct ItemView {
  std::string_view uid, party, system, facility, host, tags;
  uint8_t kind = 0, status = 0, equipment = 0;
};
bool ViewItemRecord(std::string_view bytes, ItemView& out);
// Whether the encoded tag list of `view` holds `tag`.
bool ViewHasTag(const ItemView& view, std::string_view tag);

// Stable wire numbers of the item enums (the table in docs/formats/declaration.md).
uint8_t KindCode(model::ItemKind kind);
uint8_t ItemStatusCode(model::ItemStatus status);
uint8_t EquipmentCode(model::Equipment equipment);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_RECORD_H_
