#include "tally/escrow/strict_json.h"

#include <set>
#include <vector>

#include "tally/jsondoc/reader.h"

namespace tally::escrow {

using nlohmann::json;

Result<json> ParseStrictJson(std::string_view text, const std::string& name) {
  // jsondoc refuses a repeated key (naming it), deep nesting and ill-formed UTF-8, in tally's
  // words.
  return jsondoc::ParseJson(text, name);
}

Status RefuseUnknownKeys(const json& object, std::initializer_list<std::string_view> known,
                         const std::string& name, std::string_view prefix) {
  for (const auto& [key, value] : object.items()) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == key;
    if (!ok) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : " ") + std::string(k);
      return FieldError(name, std::string(prefix) + key, "a known key (" + list + ")",
                        "an unknown key");
    }
  }
  return Status::Ok();
}

bool IsLowerHex(std::string_view text, size_t bytes) {
  if (text.size() != 2 * bytes) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace tally::escrow
