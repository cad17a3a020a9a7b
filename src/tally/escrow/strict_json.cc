#include "tally/escrow/strict_json.h"

#include <set>
#include <vector>

namespace tally::escrow {

using nlohmann::json;

Result<json> ParseStrictJson(std::string_view text, const std::string& name) {
  std::vector<std::set<std::string>> keys;  // one set per open object
  std::string repeated;
  json::parser_callback_t cb = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        keys.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys.empty() && parsed.is_string() &&
            !keys.back().insert(parsed.get<std::string>()).second && repeated.empty()) {
          repeated = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  json j;
  try {
    j = json::parse(text, cb);
  } catch (const json::exception& e) {
    return InvalidArgument(name + ": not JSON: " + e.what());
  }
  if (!repeated.empty()) {
    return FieldError(name, repeated, "a key at most once per object", "it twice");
  }
  return j;
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
