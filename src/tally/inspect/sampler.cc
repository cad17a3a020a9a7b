#include "tally/inspect/sampler.h"

#include <algorithm>
#include <unordered_map>

#include "tally/crypto/sha256.h"

namespace tally::inspect {

Sampler::Sampler(const Seed& seed, std::string_view label) : seed_(seed), label_(label) {}

void Sampler::Refill() {
  crypto::Sha256 h;
  h.Update(std::string_view("tally/sample/v1"));
  h.Update(std::span<const uint8_t>(seed_));
  h.Update(static_cast<uint8_t>(label_.size() >> 8));
  h.Update(static_cast<uint8_t>(label_.size() & 0xFF));
  h.Update(std::string_view(label_));
  for (int shift = 56; shift >= 0; shift -= 8) h.Update(static_cast<uint8_t>(block_ >> shift));
  const crypto::Sha256Digest d = h.Final();
  for (size_t w = 0; w < 4; ++w) {
    uint64_t x = 0;
    for (size_t b = 0; b < 8; ++b) x = x << 8 | d[w * 8 + b];
    words_[w] = x;
  }
  ++block_;
  used_ = 0;
}

uint64_t Sampler::Next() {
  if (used_ == words_.size()) Refill();
  return words_[used_++];
}

uint64_t Sampler::Below(uint64_t n) {
  // limit = 2^64 - (2^64 mod n); (0 - n) % n is 2^64 mod n in unsigned arithmetic.
  const uint64_t reject_from = 0 - ((0 - n) % n);
  for (;;) {
    const uint64_t x = Next();
    if (reject_from == 0 || x < reject_from) return x % n;
  }
}

Result<std::vector<uint64_t>> SelectIndices(const Seed& seed, std::string_view label, uint64_t n,
                                            uint64_t k) {
  if (k > n) {
    return InvalidArgument("cannot select " + std::to_string(k) + " of " + std::to_string(n) +
                           " candidates");
  }
  // Only the touched positions of the virtual array [0, n) are stored, so selecting a few items
  // out of millions stays cheap.
  std::unordered_map<uint64_t, uint64_t> moved;  // position -> value where it differs
  auto get = [&](uint64_t pos) {
    auto it = moved.find(pos);
    return it == moved.end() ? pos : it->second;
  };
  auto set = [&](uint64_t pos, uint64_t value) { moved[pos] = value; };
  Sampler sampler(seed, label);
  std::vector<uint64_t> out;
  out.reserve(k);
  for (uint64_t i = 0; i < k; ++i) {
    const uint64_t j = i + sampler.Below(n - i);
    const uint64_t vi = get(i), vj = get(j);
    set(i, vj);
    set(j, vi);
    out.push_back(vj);
  }
  return out;
}

Result<std::vector<std::string>> SelectIdentifiers(const Seed& seed, std::string_view label,
                                                   std::vector<std::string> candidates,
                                                   uint64_t k) {
  std::sort(candidates.begin(), candidates.end());
  for (size_t i = 1; i < candidates.size(); ++i) {
    if (candidates[i] == candidates[i - 1]) {
      return InvalidArgument("candidate '" + candidates[i] + "' is listed twice");
    }
  }
  TALLY_ASSIGN_OR_RETURN(std::vector<uint64_t> idx,
                         SelectIndices(seed, label, candidates.size(), k));
  std::vector<std::string> out;
  for (uint64_t i : idx) out.push_back(candidates[i]);
  return out;
}

}  // namespace tally::inspect
