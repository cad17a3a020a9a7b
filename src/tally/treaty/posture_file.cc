#include "tally/treaty/posture_file.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>

#include "tally/base/csv.h"
#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/data/embedded.h"
#include "tally/jsondoc/reader.h"
#include "tally/model/state.h"

namespace tally::treaty {
namespace {

constexpr std::string_view kDateColumns[] = {"as_of", "as_of_date", "date"};
constexpr std::string_view kMetaColumns[] = {"party", "confidence", "notes", "note", "source"};

bool IsMissingCell(std::string_view cell) {
  std::string lower;
  for (char c : cell) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.empty() || lower == "not provided" || lower == "n/p" || lower == "not_provided";
}

std::string Quote(std::string_view s) { return QuoteText(s); }

}  // namespace

Result<std::vector<model::Posture>> ParsePostureCsv(std::string_view text,
                                                    const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(text, name));
  TALLY_RETURN_IF_ERROR(table.RequireColumns({"party"}));
  std::string_view date_column;
  for (std::string_view c : kDateColumns) {
    if (table.ColumnIndex(c) >= 0) {
      if (!date_column.empty()) {
        return FieldError(name + ":1", c, "one date column",
                          "both " + std::string(date_column) + " and " + std::string(c));
      }
      date_column = c;
    }
  }
  if (date_column.empty()) {
    return FieldError(name + ":1", "as_of", "a date column (as_of, as_of_date or date)",
                      "no such column");
  }
  std::vector<std::string> quantities;
  for (const std::string& h : table.header()) {
    bool meta = h == date_column || std::find(std::begin(kMetaColumns), std::end(kMetaColumns),
                                              h) != std::end(kMetaColumns);
    if (meta) continue;
    if (h.empty()) return FieldError(name + ":1", "", "a column name", "an empty header cell");
    if (std::find(quantities.begin(), quantities.end(), h) != quantities.end()) {
      return FieldError(name + ":1", h, "each column once", "a repeated column");
    }
    quantities.push_back(h);
  }
  if (quantities.empty()) {
    return FieldError(name + ":1", "(header)", "at least one count column", "none");
  }
  std::vector<model::Posture> out;
  out.reserve(table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    CsvRow row = table.row(i);
    model::Posture p;
    std::string_view party = row.Get("party");
    auto state = model::FindState(party);
    if (!state) return row.Error("party", "a state code (US RU CN FR GB IN PK IL KP) or name");
    p.party = std::string(state->code);
    auto date = Date::Parse(row.Get(date_column));
    if (!date) return row.Error(date_column, "a date YYYY-MM-DD");
    p.as_of = *date;
    p.source = row.Where();
    std::string note(row.Get("notes"));
    if (note.empty()) note = std::string(row.Get("note"));
    if (!row.Get("confidence").empty()) {
      note = "[" + std::string(row.Get("confidence")) + "]" + (note.empty() ? "" : " " + note);
    }
    p.note = std::move(note);
    bool any = false;
    p.counts.reserve(quantities.size());
    for (const std::string& q : quantities) {
      std::string_view cell = row.Get(q);
      if (IsMissingCell(cell)) {
        p.counts.push_back(model::Count{q, std::nullopt});
        continue;
      }
      auto v = ParseInt64(cell);
      if (!v || *v < 0) return row.Error(q, "a non-negative integer or an empty cell");
      p.counts.push_back(model::Count{q, *v});
      any = true;
    }
    p.provided = any;
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

using nlohmann::json;

Result<model::Posture> PostureFromJson(const json& j, const std::string& name,
                                       const std::string& path) {
  auto err = [&](const std::string& field, std::string_view expected, const json& got) {
    return FieldError(name, path + field, expected, jsondoc::Describe(got));
  };
  if (!j.is_object()) return err("", "an object", j);
  model::Posture p;
  p.source = name + " " + (path.empty() ? std::string("(posture)") : path);
  bool has_provided = false;
  for (const auto& [key, v] : j.items()) {
    if (key == "party") {
      if (!v.is_string()) return err("party", "a state code or name", v);
      auto state = model::FindState(v.get<std::string>());
      if (!state) return err("party", "a state code (US RU CN FR GB IN PK IL KP) or name", v);
      p.party = std::string(state->code);
    } else if (key == "as_of") {
      auto d =
          v.is_string() ? Date::Parse(v.get<std::string>()) : Result<Date>(InvalidArgument(""));
      if (!d) return err("as_of", "a date YYYY-MM-DD", v);
      p.as_of = *d;
    } else if (key == "counts") {
      if (!v.is_object()) return err("counts", "an object of quantity: count", v);
      for (const auto& [q, c] : v.items()) {
        if (c.is_null()) {
          p.counts.push_back(model::Count{q, std::nullopt});
        } else if (c.is_number_integer() && c.get<int64_t>() >= 0) {
          p.counts.push_back(model::Count{q, c.get<int64_t>()});
        } else {
          return err("counts." + q, "a non-negative integer or null", c);
        }
      }
    } else if (key == "provided") {
      if (!v.is_boolean()) return err("provided", "true or false", v);
      p.provided = v.get<bool>();
      has_provided = true;
    } else if (key == "source" || key == "note") {
      if (!v.is_string()) return err(key, "a string", v);
      if (key == "note") p.note = v.get<std::string>();
      // The location stays first, so that errors about this posture still name the file.
      if (key == "source") p.source += " (" + QuoteText(v.get<std::string>()) + ")";
    } else {
      return err(key, "a known key (party, as_of, counts, provided, source, note)", json(key));
    }
  }
  if (p.party.empty()) return FieldError(name, path + "party", "a state code", "nothing");
  if (!j.contains("as_of")) return FieldError(name, path + "as_of", "a date", "nothing");
  bool any = std::any_of(p.counts.begin(), p.counts.end(),
                         [](const model::Count& c) { return c.value.has_value(); });
  if (!has_provided) p.provided = any;
  if (p.provided && !any) {
    return FieldError(name, path + "counts", "at least one count when provided is true", "none");
  }
  return p;
}

}  // namespace

Result<std::vector<model::Posture>> ParsePostureJson(std::string_view text,
                                                     const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(json doc, jsondoc::ParseJson(text, name));
  std::vector<model::Posture> out;
  try {
    const json* list = nullptr;
    std::string prefix;
    if (doc.is_array()) {
      list = &doc;
    } else if (doc.is_object() && doc.contains("postures")) {
      if (doc.size() != 1) {
        return FieldError(name, "(document)", "only the key \"postures\"", jsondoc::Describe(doc));
      }
      list = &doc["postures"];
      prefix = "postures";
      if (!list->is_array()) return FieldError(name, "postures", "an array", list->dump());
    }
    if (list == nullptr) {
      TALLY_ASSIGN_OR_RETURN(model::Posture p, PostureFromJson(doc, name, ""));
      out.push_back(std::move(p));
      return out;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      TALLY_ASSIGN_OR_RETURN(
          model::Posture p,
          PostureFromJson((*list)[i], name, prefix + "[" + std::to_string(i) + "]."));
      out.push_back(std::move(p));
    }
  } catch (const std::exception& e) {
    return InvalidArgument(name + ": invalid posture JSON: " + e.what());
  }
  if (out.empty()) return FieldError(name, "postures", "at least one posture", "[]");
  return out;
}

Result<std::vector<model::Posture>> ParsePostures(std::string_view text, const std::string& name) {
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) {
    ++i;
  }
  if (i < text.size() && (text[i] == '{' || text[i] == '[')) return ParsePostureJson(text, name);
  return ParsePostureCsv(text, name);
}

Result<std::vector<model::Posture>> LoadPostureFile(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParsePostures(text, path);
}

namespace {

Result<std::vector<model::Posture>> EmbeddedPostures(const std::string& path) {
  auto text = data::EmbeddedFile(path);
  if (!text) return Internal("data/" + path + " is not embedded");
  return ParsePostureCsv(*text, path);
}

}  // namespace

Result<std::vector<model::Posture>> NewStartAggregates() {
  return EmbeddedPostures("new_start/aggregates.csv");
}

Result<std::vector<model::Posture>> StartIAggregates() {
  return EmbeddedPostures("start_i/aggregates.csv");
}

Status RequireKnownQuantities(const Treaty& treaty, const std::vector<model::Posture>& postures) {
  for (const model::Posture& p : postures) {
    for (const model::Count& c : p.counts) {
      if (treaty.FindQuantity(c.quantity)) continue;
      std::string known;
      for (const Quantity& q : treaty.quantities) {
        known += known.empty() ? "" : ", ";
        known += q.id;
        for (const std::string& a : q.aliases) known += ", " + a;
      }
      return FieldError(p.source, c.quantity,
                        "a quantity of treaty " + treaty.id + " (" + known + ")",
                        Quote(c.quantity));
    }
  }
  return Status::Ok();
}

}  // namespace tally::treaty
