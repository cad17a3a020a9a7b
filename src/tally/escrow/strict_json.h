// StrictJson: the JSON reading rules every escrow document (statement, opening bundle) shares, so
// that a document has exactly one accepted encoding: a key repeated in one object is refused (a
// plain JSON reader would keep one of the two values silently), and an object must hold exactly
// the keys its format lists — a key the format does not know is refused by name, never skipped,
// so that nothing unverified can ride along in a document the verifier accepted.
//
// Errors: InvalidArgument "name: not JSON: ..." or "name: field 'x': expected ..., got ..."
// (FieldError). Thread safety: reentrant functions.
#ifndef TALLY_ESCROW_STRICT_JSON_H_
#define TALLY_ESCROW_STRICT_JSON_H_

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tally/base/result.h"

namespace tally::escrow {

// Parses `text`; refuses a key that appears twice in one object (naming it).
Result<nlohmann::json> ParseStrictJson(std::string_view text, const std::string& name);

// Refuses a key of `object` that is not in `known`; `prefix` ("declaration.") names nested
// objects in the error. `object` must be an object.
Status RefuseUnknownKeys(const nlohmann::json& object,
                         std::initializer_list<std::string_view> known, const std::string& name,
                         std::string_view prefix = {});

// True for exactly 2n lower-case hex digits: the one spelling of n bytes in escrow documents.
bool IsLowerHex(std::string_view text, size_t bytes);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_STRICT_JSON_H_
