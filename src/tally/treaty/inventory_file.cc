#include "tally/treaty/inventory_file.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "tally/base/csv.h"
#include "tally/base/file.h"
#include "tally/jsondoc/reader.h"
#include "tally/model/state.h"

namespace tally::treaty {
namespace {

constexpr std::string_view kKindsExpected =
    "an item kind (icbm slbm icbm_launcher slbm_launcher heavy_bomber warhead glbm glcm "
    "ground_launcher)";
constexpr std::string_view kStatusExpected =
    "an item status (deployed non_deployed test converted eliminated)";

std::vector<std::string> SplitTags(std::string_view s) {
  std::vector<std::string> tags;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == ';' || c == '\t') {
      if (!cur.empty()) tags.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tags.push_back(std::move(cur));
  return tags;
}

// The checks model::ValidateInventory makes, but naming the file and line of the offending item.
Status ValidateWithPlaces(const model::Inventory& inv, const std::vector<std::string>& where) {
  std::unordered_map<std::string_view, size_t> by_uid;
  by_uid.reserve(inv.items.size());
  for (size_t i = 0; i < inv.items.size(); ++i) {
    const model::Item& item = inv.items[i];
    auto [it, inserted] = by_uid.emplace(item.uid, i);
    if (!inserted) {
      return FieldError(where[i], "uid", "a unique identifier (also at " + where[it->second] + ")",
                        "\"" + item.uid + "\"");
    }
  }
  for (size_t i = 0; i < inv.items.size(); ++i) {
    const model::Item& item = inv.items[i];
    if (item.host.empty()) continue;
    auto it = by_uid.find(item.host);
    if (it == by_uid.end()) {
      return FieldError(where[i], "host", "the uid of an item in this inventory",
                        "\"" + item.host + "\"");
    }
  }
  // Anything else the model rejects (warhead on a non-missile, deployed on non-deployed, ...).
  Status s = model::ValidateInventory(inv);
  if (!s.ok()) {
    for (size_t i = 0; i < inv.items.size(); ++i) {
      if (s.message().rfind("item " + inv.items[i].uid + ":", 0) == 0) {
        return InvalidArgument(where[i] + ": " + s.message());
      }
    }
  }
  return s;
}

}  // namespace

Result<model::Inventory> ParseInventoryCsv(std::string_view text, const std::string& name,
                                           std::optional<Date> date) {
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(text, name));
  TALLY_RETURN_IF_ERROR(table.RequireColumns({"uid", "party", "kind", "status"}));
  TALLY_RETURN_IF_ERROR(
      table.RejectUnknownColumns({"uid", "party", "kind", "system", "status", "facility",
                                  "equipment", "host", "capacity", "range_km", "tags", "as_of"}));
  model::Inventory inv;
  inv.source = name;
  std::optional<Date> as_of;
  std::string as_of_where;
  std::vector<std::string> where;
  inv.items.reserve(table.size());
  where.reserve(table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    CsvRow row = table.row(i);
    model::Item item;
    item.uid = std::string(row.Get("uid"));
    if (item.uid.empty()) return row.Error("uid", "a non-empty unique identifier");
    auto state = model::FindState(row.Get("party"));
    if (!state) return row.Error("party", "a state code (US RU CN FR GB IN PK IL KP) or name");
    item.party = std::string(state->code);
    auto kind = model::ParseItemKind(row.Get("kind"));
    if (!kind) return row.Error("kind", kKindsExpected);
    item.kind = *kind;
    auto status = model::ParseItemStatus(row.Get("status"));
    if (!status) return row.Error("status", kStatusExpected);
    item.status = *status;
    item.system = std::string(row.Get("system"));
    item.facility = std::string(row.Get("facility"));
    if (!row.Get("equipment").empty()) {
      auto eq = model::ParseEquipment(row.Get("equipment"));
      if (!eq) return row.Error("equipment", "\"nuclear\" or \"conventional\"");
      item.equipment = *eq;
    }
    item.host = std::string(row.Get("host"));
    for (std::string_view col : {std::string_view("capacity"), std::string_view("range_km")}) {
      if (row.Get(col).empty()) continue;
      auto v = ParseInt64(row.Get(col));
      if (!v || *v < 0) return row.Error(col, "a non-negative integer");
      (col == "capacity" ? item.capacity : item.range_km) = *v;
    }
    item.tags = SplitTags(row.Get("tags"));
    if (!row.Get("as_of").empty()) {
      auto d = Date::Parse(row.Get("as_of"));
      if (!d) return row.Error("as_of", "a date YYYY-MM-DD");
      if (as_of && *as_of != *d) {
        return row.Error("as_of",
                         "the same date as " + as_of_where + " (" + as_of->ToString() + ")");
      }
      as_of = *d;
      as_of_where = row.Where();
    }
    inv.items.push_back(std::move(item));
    where.push_back(row.Where());
  }
  if (date) as_of = date;
  if (!as_of) {
    return FieldError(name, "as_of", "an as_of date in the file or given with --date", "none");
  }
  inv.as_of = *as_of;
  TALLY_RETURN_IF_ERROR(ValidateWithPlaces(inv, where));
  return inv;
}

namespace {

using nlohmann::json;

Result<model::Item> ItemFromJson(const json& j, const std::string& name, const std::string& path,
                                 const std::string& default_party) {
  auto err = [&](const std::string& field, std::string_view expected, const json& got) {
    return FieldError(name, path + "." + field, expected, jsondoc::Describe(got));
  };
  if (!j.is_object()) return FieldError(name, path, "an object", jsondoc::Describe(j));
  model::Item item;
  item.party = default_party;
  bool has_kind = false, has_status = false;
  for (const auto& entry : j.items()) {
    // Named, not structured bindings: clang 14 (the fuzz preset) cannot capture those.
    const std::string& key = entry.key();
    const nlohmann::json& v = entry.value();
    auto str = [&]() -> Result<std::string> {
      if (!v.is_string()) return err(key, "a string", v);
      return v.get<std::string>();
    };
    if (key == "uid") {
      TALLY_ASSIGN_OR_RETURN(item.uid, str());
    } else if (key == "party") {
      TALLY_ASSIGN_OR_RETURN(std::string p, str());
      auto state = model::FindState(p);
      if (!state) return err(key, "a state code (US RU CN FR GB IN PK IL KP) or name", v);
      item.party = std::string(state->code);
    } else if (key == "kind") {
      TALLY_ASSIGN_OR_RETURN(std::string k, str());
      auto kind = model::ParseItemKind(k);
      if (!kind) return err(key, kKindsExpected, v);
      item.kind = *kind;
      has_kind = true;
    } else if (key == "status") {
      TALLY_ASSIGN_OR_RETURN(std::string s, str());
      auto status = model::ParseItemStatus(s);
      if (!status) return err(key, kStatusExpected, v);
      item.status = *status;
      has_status = true;
    } else if (key == "equipment") {
      TALLY_ASSIGN_OR_RETURN(std::string e, str());
      auto eq = model::ParseEquipment(e);
      if (!eq) return err(key, "\"nuclear\" or \"conventional\"", v);
      item.equipment = *eq;
    } else if (key == "system") {
      TALLY_ASSIGN_OR_RETURN(item.system, str());
    } else if (key == "facility") {
      TALLY_ASSIGN_OR_RETURN(item.facility, str());
    } else if (key == "host") {
      TALLY_ASSIGN_OR_RETURN(item.host, str());
    } else if (key == "capacity" || key == "range_km") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0) {
        return err(key, "a non-negative integer", v);
      }
      (key == "capacity" ? item.capacity : item.range_km) = v.get<int64_t>();
    } else if (key == "tags") {
      if (!v.is_array()) return err(key, "an array of strings", v);
      for (const json& t : v) {
        if (!t.is_string()) return err(key, "an array of strings", v);
        item.tags.push_back(t.get<std::string>());
      }
    } else {
      return err(key,
                 "a known key (uid party kind system status facility equipment host capacity "
                 "range_km tags)",
                 json(key));
    }
  }
  if (item.uid.empty()) return FieldError(name, path + ".uid", "a non-empty uid", "nothing");
  if (item.party.empty()) return FieldError(name, path + ".party", "a state code", "nothing");
  if (!has_kind) return FieldError(name, path + ".kind", kKindsExpected, "nothing");
  if (!has_status) return FieldError(name, path + ".status", kStatusExpected, "nothing");
  return item;
}

}  // namespace

Result<model::Inventory> ParseInventoryJson(std::string_view text, const std::string& name,
                                            std::optional<Date> date) {
  TALLY_ASSIGN_OR_RETURN(json doc, jsondoc::ParseJson(text, name));
  model::Inventory inv;
  inv.source = name;
  std::vector<std::string> where;
  try {
    if (!doc.is_object())
      return FieldError(name, "(document)", "an object", jsondoc::Describe(doc));
    std::string party;
    std::optional<Date> as_of;
    const json* items = nullptr;
    for (const auto& [key, v] : doc.items()) {
      if (key == "as_of") {
        auto d =
            v.is_string() ? Date::Parse(v.get<std::string>()) : Result<Date>(InvalidArgument(""));
        if (!d) return FieldError(name, "as_of", "a date YYYY-MM-DD", jsondoc::Describe(v));
        as_of = *d;
      } else if (key == "party") {
        auto state = v.is_string() ? model::FindState(v.get<std::string>()) : std::nullopt;
        if (!state) return FieldError(name, "party", "a state code or name", jsondoc::Describe(v));
        party = std::string(state->code);
      } else if (key == "source") {
        if (!v.is_string()) return FieldError(name, "source", "a string", jsondoc::Describe(v));
        inv.source = v.get<std::string>();
      } else if (key == "items") {
        if (!v.is_array())
          return FieldError(name, "items", "an array of items", jsondoc::Describe(v));
        items = &v;
      } else {
        return FieldError(name, key, "a known key (as_of, party, source, items)",
                          "\"" + key + "\"");
      }
    }
    if (items == nullptr) return FieldError(name, "items", "an array of items", "nothing");
    for (size_t i = 0; i < items->size(); ++i) {
      std::string path = "items[" + std::to_string(i) + "]";
      TALLY_ASSIGN_OR_RETURN(model::Item item, ItemFromJson((*items)[i], name, path, party));
      inv.items.push_back(std::move(item));
      where.push_back(name + ": " + path);
    }
    if (date) as_of = date;
    if (!as_of) {
      return FieldError(name, "as_of", "an as_of date in the file or given with --date", "none");
    }
    inv.as_of = *as_of;
  } catch (const std::exception& e) {
    return InvalidArgument(name + ": invalid inventory JSON: " + e.what());
  }
  TALLY_RETURN_IF_ERROR(ValidateWithPlaces(inv, where));
  return inv;
}

Result<model::Inventory> ParseInventory(std::string_view text, const std::string& name,
                                        std::optional<Date> date) {
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i < text.size() && text[i] == '{') return ParseInventoryJson(text, name, date);
  return ParseInventoryCsv(text, name, date);
}

Result<model::Inventory> LoadInventoryFile(const std::string& path, std::optional<Date> date) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseInventory(text, path, date);
}

}  // namespace tally::treaty
