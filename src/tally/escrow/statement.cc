#include "tally/escrow/statement.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tally/crypto/sha256.h"
#include "tally/escrow/strict_json.h"
#include "tally/jsondoc/reader.h"

namespace tally::escrow {

using nlohmann::ordered_json;

std::optional<uint64_t> Statement::Total(std::string_view category) const {
  for (size_t i = 0; i < categories.size() && i < totals.size(); ++i) {
    if (categories[i] == category) return totals[i];
  }
  return std::nullopt;
}

namespace {

void PutU64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PutString(std::string& out, std::string_view v) {
  PutU64(out, v.size());
  out.append(v);
}

}  // namespace

merkle::Hash BindRoot(const Statement& s, const merkle::Hash& tree_root) {
  std::string m;
  m.push_back('\x02');
  PutString(m, kStatementFormat);
  PutString(m, s.party);
  PutString(m, s.treaty);
  PutString(m, s.interpretation);
  PutString(m, s.as_of.ToString());
  PutU64(m, s.categories.size());
  for (const std::string& c : s.categories) PutString(m, c);
  PutU64(m, s.leaves);
  m.push_back(s.pad_to ? '\x01' : '\x00');
  PutU64(m, s.pad_to.value_or(0));
  PutString(m, s.order);
  PutU64(m, s.totals.size());
  for (uint64_t t : s.totals) PutU64(m, t);
  m.append(reinterpret_cast<const char*>(tree_root.data()), tree_root.size());
  const crypto::Sha256Digest d = crypto::Sha256Of(m);
  merkle::Hash h;
  std::copy(d.begin(), d.end(), h.begin());
  return h;
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
  TALLY_ASSIGN_OR_RETURN(nlohmann::json j, ParseStrictJson(text, name));
  auto field = [&](const char* key, std::string_view expected) -> Status {
    return FieldError(name, key, expected,
                      j.is_object() && j.contains(key) ? jsondoc::Describe(j[key]) : "nothing");
  };
  if (!j.is_object()) return FieldError(name, "format", "a JSON object", jsondoc::Describe(j));
  if (!j.contains("format") || j["format"] != kStatementFormat) {
    return field("format", "\"" + std::string(kStatementFormat) + "\"");
  }
  TALLY_RETURN_IF_ERROR(
      RefuseUnknownKeys(j,
                        {"format", "party", "treaty", "interpretation", "as_of", "categories",
                         "leaves", "pad_to", "order", "totals", "root"},
                        name));
  Statement s;
  for (const char* key : {"party", "treaty", "interpretation", "as_of", "order", "root"}) {
    if (!j.contains(key) || !j[key].is_string()) return field(key, "a string");
  }
  s.party = j["party"].get<std::string>();
  s.treaty = j["treaty"].get<std::string>();
  if (s.party.empty()) return field("party", "a party code");
  if (s.treaty.empty()) return field("treaty", "a treaty id");
  s.interpretation = j["interpretation"].get<std::string>();
  auto d = Date::Parse(j["as_of"].get<std::string>());
  if (!d || d->ToString() != j["as_of"].get<std::string>()) {
    return field("as_of", "a date YYYY-MM-DD");
  }
  s.as_of = *d;
  s.order = j["order"].get<std::string>();
  if (s.order != "salt" && s.order != "input") return field("order", "\"salt\" or \"input\"");
  auto root = merkle::HashFromBase64(j["root"].get<std::string>(), "root");
  if (!root || merkle::HashToBase64(*root) != j["root"].get<std::string>()) {
    return field("root", "a base64 SHA-256 hash");
  }
  s.root = *root;
  if (!j.contains("leaves") || !j["leaves"].is_number_unsigned() || j["leaves"] == 0) {
    return field("leaves", "a positive integer");
  }
  s.leaves = j["leaves"].get<uint64_t>();
  if (!j.contains("pad_to")) return field("pad_to", "an integer or null");
  if (!j["pad_to"].is_null()) {
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
    if (std::find(s.categories.begin(), s.categories.end(), id) != s.categories.end()) {
      return field("categories", "distinct quantity ids");
    }
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
  // One encoding: the text must be the canonical one (a file may end in one newline).
  std::string_view body = text;
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  if (body != StatementToJson(s)) {
    return FieldError(name, "format",
                      "the canonical encoding (docs/formats/declaration.md: keys "
                      "in order, no spaces, totals in category order)",
                      "another spelling");
  }
  return s;
}

}  // namespace tally::escrow
