// SecretBytes: a byte buffer for key material that wipes itself.
//
// Security promise: the bytes are overwritten with zeros (sodium_memzero, which the compiler may
// not elide) when the object is destroyed, moved from or cleared. Copies are explicit (Clone) so
// that secrets do not multiply by accident. There is no operator<< and no conversion to string:
// a secret can only leave through bytes(), which the caller must handle with the same care.
// Ownership: owns its heap buffer. Thread safety: like std::vector.
#ifndef TALLY_CRYPTO_SECRET_BYTES_H_
#define TALLY_CRYPTO_SECRET_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tally::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size) : data_(size, 0) {}
  explicit SecretBytes(std::span<const uint8_t> bytes) : data_(bytes.begin(), bytes.end()) {}
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  SecretBytes Clone() const { return SecretBytes(bytes()); }
  void Clear();

  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  std::span<const uint8_t> bytes() const { return data_; }
  std::span<uint8_t> mutable_bytes() { return data_; }

  // Constant-time comparison (sodium_memcmp); sizes are not secret.
  friend bool operator==(const SecretBytes& a, const SecretBytes& b);

 private:
  std::vector<uint8_t> data_;
};

}  // namespace tally::crypto

#endif  // TALLY_CRYPTO_SECRET_BYTES_H_
