// Text at the input boundary: UTF-8 validation and bounded quoting for error messages.
//
// Every text field tally reads (CSV cells, JSON strings, TOML values, command-line values that are
// stored) must be well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), so that whatever is committed can later be printed, hashed as JSON and opened again.
// Error messages quote the offending value through QuoteText, which bounds the quote to
// kMaxQuotedBytes bytes of the value and escapes control characters and invalid bytes, so that a
// message never echoes a megabyte cell or a raw NUL to a terminal.
//
// Thread safety: pure functions.
#ifndef TALLY_BASE_TEXT_H_
#define TALLY_BASE_TEXT_H_

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tally {

// The most bytes of an offending value an error message quotes.
inline constexpr size_t kMaxQuotedBytes = 80;
// The longest message the CLI prints for one error (longer ones are cut, saying so).
inline constexpr size_t kMaxMessageBytes = 4096;

// The offset of the first byte that is not part of well-formed UTF-8, or nullopt if `text` is
// well-formed UTF-8.
std::optional<size_t> FirstInvalidUtf8(std::string_view text);
inline bool IsUtf8(std::string_view text) { return !FirstInvalidUtf8(text).has_value(); }

// `text` in double quotes for an error message: at most `max_bytes` bytes of it (cut at a
// character boundary, followed by "... (N bytes)"), with '"' and '\' escaped, control characters
// as \n, \t or \xNN and bytes that are not UTF-8 as \xNN.
std::string QuoteText(std::string_view text, size_t max_bytes = kMaxQuotedBytes);

// "" when `text` is UTF-8; otherwise what an error says it got, e.g. "byte 0xff at offset 3 of
// \"ab\\xff\"" (for FieldError's `got`).
std::string Utf8Problem(std::string_view text);

// A message cut to kMaxMessageBytes (at a character boundary), saying how much was cut.
std::string BoundMessage(std::string_view message);

// The candidate closest to `word` by edit distance (case-insensitive), if it is close enough to be
// a plausible typo (distance 1 for short words, 2 from six letters on); for "did you mean".
template <typename Range>
std::optional<std::string> ClosestMatchIn(std::string_view word, const Range& candidates);
// "; did you mean 'x'?" or "" when nothing is close.
template <typename Range>
std::string DidYouMean(std::string_view word, const Range& candidates) {
  auto m = ClosestMatchIn(word, candidates);
  return m ? "; did you mean '" + *m + "'?" : std::string();
}

size_t EditDistanceIgnoringCase(std::string_view a, std::string_view b);

template <typename Range>
std::optional<std::string> ClosestMatchIn(std::string_view word, const Range& candidates) {
  std::optional<std::string> best;
  size_t best_d = static_cast<size_t>(-1);
  for (const auto& c : candidates) {
    std::string_view cv(c);
    size_t d = EditDistanceIgnoringCase(word, cv);
    if (d < best_d) {
      best_d = d;
      best = std::string(cv);
    }
  }
  const size_t allowed = word.size() >= 6 ? 2 : 1;
  if (!best || best_d > allowed) return std::nullopt;
  return best;
}

}  // namespace tally

#endif  // TALLY_BASE_TEXT_H_
