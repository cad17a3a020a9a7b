#include "tally/model/posture.h"

namespace tally::model {

const Count* Posture::Find(std::string_view quantity) const {
  for (const Count& c : counts) {
    if (c.quantity == quantity) return &c;
  }
  return nullptr;
}

void Posture::Set(std::string_view quantity, std::optional<int64_t> value) {
  for (Count& c : counts) {
    if (c.quantity == quantity) {
      c.value = value;
      return;
    }
  }
  counts.push_back(Count{std::string(quantity), value});
}

}  // namespace tally::model
