// Fuzzes the signed-note parser and opener: no crash, no sanitizer report, and every note the
// parser accepts re-formats to exactly its input (the encoding is canonical).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/tlog/note.h"

namespace {
const tally::tlog::NoteVerifier* Key() {
  static auto* k = tally::tlog::ParseVerifierKey(
                       "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                       ->release();
  return k;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  auto note = tally::tlog::ParseNote(in);
  if (note.ok() && note->Format() != in) std::abort();
  const tally::tlog::NoteVerifier* keys[] = {Key()};
  auto opened = tally::tlog::OpenNote(in, keys);
  if (opened.ok() && !note.ok()) std::abort();
  (void)tally::tlog::ParseVerifierKey(in);
  (void)tally::tlog::IsValidKeyName(in);
  return 0;
}
