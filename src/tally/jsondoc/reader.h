// The one boundary where tally reads JSON documents (postures, inventories, statements, bundles,
// proofs, payloads, store options, node replies).
//
// ParseJson parses `text` into an nlohmann value under tally's limits and reports failures in
// tally's words, never the library's:
//   posture.json:3:17: invalid JSON: expected a value, got "tru}" (the document ends early ...)
// Limits (documented in docs/formats/json.md):
//   - nesting depth at most kMaxJsonDepth arrays/objects (deeper input is refused before it can
//     exhaust the stack anywhere: in the parser, in a destructor or in formatting an error);
//   - at most kMaxJsonBytes bytes of text;
//   - strings are UTF-8 (the parser refuses ill-formed UTF-8 and lone surrogate escapes);
//   - numbers must fit a double (1e99999 is refused, not turned into infinity);
//   - duplicate object keys are refused (one encoding per document).
// Error outcomes: InvalidArgument naming `name`, the line and column, and at most kMaxQuotedBytes
// of the offending text. Never throws.
//
// Describe() renders a value for an error message, bounded like QuoteText.
//
// Thread safety: pure functions.
#ifndef TALLY_JSONDOC_READER_H_
#define TALLY_JSONDOC_READER_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tally/base/result.h"

namespace tally::jsondoc {

inline constexpr int kMaxJsonDepth = 64;
inline constexpr size_t kMaxJsonBytes = size_t{256} << 20;

Result<nlohmann::json> ParseJson(std::string_view text, std::string_view name);
Result<nlohmann::ordered_json> ParseOrderedJson(std::string_view text, std::string_view name);

// A JSON value for an error message: its compact text, at most kMaxQuotedBytes bytes of it.
std::string Describe(const nlohmann::json& value);
std::string Describe(const nlohmann::ordered_json& value);

// The kind of a value in tally's words: "a string", "an integer", "an object", ...
std::string KindOf(const nlohmann::json& value);
std::string KindOf(const nlohmann::ordered_json& value);

}  // namespace tally::jsondoc

#endif  // TALLY_JSONDOC_READER_H_
