// Fuzzes the proof parsers and verifiers: tlog-proof bundles and witness add-checkpoint requests
// (which must round-trip exactly when accepted), and RFC 9162 verification on arbitrary indexes,
// sizes and hashes (64-bit edge cases, extra or missing elements) which must never crash.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tally/merkle/proof.h"
#include "tally/tlog/proof_bundle.h"
#include "tally/tlog/witness.h"

namespace {
uint64_t Take64(const uint8_t*& p, size_t& n) {
  uint64_t v = 0;
  for (int i = 0; i < 8 && n > 0; ++i, ++p, --n) v = v << 8 | *p;
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  auto bundle = tally::tlog::ParseProofBundle(in);
  if (bundle.ok()) {
    if (bundle->Format() != in) std::abort();
    (void)tally::tlog::VerifyProofBundle(*bundle, tally::tlog::CheckpointKeys{});
  }
  auto req = tally::tlog::ParseAddCheckpointRequest(in);
  if (req.ok() && req->Format() != in) std::abort();

  const uint8_t* p = data;
  size_t n = size;
  const uint64_t a = Take64(p, n), b = Take64(p, n);
  std::vector<tally::merkle::Hash> proof;
  while (n >= 32 && proof.size() < 70) {
    tally::merkle::Hash h;
    std::memcpy(h.data(), p, 32);
    proof.push_back(h);
    p += 32;
    n -= 32;
  }
  const tally::merkle::Hash x = proof.empty() ? tally::merkle::EmptyRoot() : proof.front();
  (void)tally::merkle::VerifyInclusion(a, b, x, proof, x);
  (void)tally::merkle::VerifyConsistency(a, b, proof, x, x);
  return 0;
}
