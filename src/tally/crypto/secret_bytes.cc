#include "tally/crypto/secret_bytes.h"

#include <sodium.h>

namespace tally::crypto {

SecretBytes::~SecretBytes() { Clear(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) {
  other.data_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Clear();
    data_ = std::move(other.data_);
    other.data_.clear();
  }
  return *this;
}

void SecretBytes::Clear() {
  if (!data_.empty()) sodium_memzero(data_.data(), data_.size());
  data_.clear();
}

bool operator==(const SecretBytes& a, const SecretBytes& b) {
  return a.size() == b.size() &&
         (a.empty() || sodium_memcmp(a.data_.data(), b.data_.data(), a.size()) == 0);
}

}  // namespace tally::crypto
