#include "tally/escrow/statement.h"

#include <nlohmann/json.hpp>

#include "tally/jsondoc/reader.h"

namespace tally::escrow {

using nlohmann::ordered_json;

std::optional<uint64_t> Statement::Total(std::string_view category) const {
  for (size_t i = 0; i < categories.size() && i < totals.size(); ++i) {
    if (categories[i] == category) return totals[i];
  }
  return std::nullopt;
}

std::string StatementToJson(const Statement& s) {
  ordered_json j;
  j["format"] = kStatementFormat;
  j["party"] = s.party;
  j["treaty"] = s.treaty;
  j["interpretation"] = s.interpretation;
  j["as_of"] = s.as_of.ToString();
  j["categories"] = s.categories;
  j["leaves"] = s.leaves;
  if (s.pad_to) {
    j["pad_to"] = *s.pad_to;
  } else {
    j["pad_to"] = nullptr;
  }
  j["order"] = s.order;
  ordered_json totals = ordered_json::object();
  for (size_t i = 0; i < s.categories.size(); ++i) totals[s.categories[i]] = s.totals[i];
  j["totals"] = totals;
  j["root"] = merkle::HashToBase64(s.root);
  return j.dump();
}

Result<Statement> StatementFromJson(std::string_view text, const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(ordered_json j, jsondoc::ParseOrderedJson(text, name));
  auto field = [&](const char* key, std::string_view expected) -> Status {
    return FieldError(name, key, expected,
                      j.is_object() && j.contains(key) ? jsondoc::Describe(j[key]) : "nothing");
  };
  if (!j.is_object()) return FieldError(name, "format", "a JSON object", jsondoc::Describe(j));
  if (!j.contains("format") || j["format"] != kStatementFormat) {
    return field("format", "\"tally-declaration/1\"");
  }
  Statement s;
  for (const char* key : {"party", "treaty", "interpretation", "as_of", "order", "root"}) {
    if (!j.contains(key) || !j[key].is_string()) return field(key, "a string");
  }
  s.party = j["party"].get<std::string>();
  s.treaty = j["treaty"].get<std::string>();
  s.interpretation = j["interpretation"].get<std::string>();
  auto d = Date::Parse(j["as_of"].get<std::string>());
  if (!d) return field("as_of", "a date YYYY-MM-DD");
  s.as_of = *d;
  s.order = j["order"].get<std::string>();
  if (s.order != "salt" && s.order != "input") return field("order", "\"salt\" or \"input\"");
  auto root = merkle::HashFromBase64(j["root"].get<std::string>(), "root");
  if (!root) return field("root", "a base64 SHA-256 hash");
  s.root = *root;
  if (!j.contains("leaves") || !j["leaves"].is_number_unsigned() || j["leaves"] == 0) {
    return field("leaves", "a positive integer");
  }
  s.leaves = j["leaves"].get<uint64_t>();
  if (j.contains("pad_to") && !j["pad_to"].is_null()) {
    if (!j["pad_to"].is_number_unsigned()) return field("pad_to", "an integer or null");
    s.pad_to = j["pad_to"].get<uint64_t>();
    if (*s.pad_to != s.leaves) return field("pad_to", "the number of leaves");
  }
  if (!j.contains("categories") || !j["categories"].is_array() || j["categories"].empty()) {
    return field("categories", "a non-empty list of quantity ids");
  }
  if (!j.contains("totals") || !j["totals"].is_object()) return field("totals", "an object");
  for (const auto& c : j["categories"]) {
    if (!c.is_string()) return field("categories", "a list of strings");
    const std::string id = c.get<std::string>();
    if (!j["totals"].contains(id) || !j["totals"][id].is_number_unsigned()) {
      return FieldError(name, "totals." + id, "a non-negative integer",
                        j["totals"].contains(id) ? jsondoc::Describe(j["totals"][id]) : "nothing");
    }
    s.categories.push_back(id);
    s.totals.push_back(j["totals"][id].get<uint64_t>());
  }
  if (j["totals"].size() != s.categories.size()) {
    return field("totals", "exactly one total per category");
  }
  return s;
}

}  // namespace tally::escrow
