#include "tally/registry/dataset_csv.h"

#include <map>
#include <tuple>

#include "tally/base/csv.h"
#include "tally/registry/registry.h"

namespace tally::registry {
namespace {

constexpr std::string_view kMagic = "tally-dataset";
constexpr int64_t kMaxWarheads = 1'000'000;  // far above any arsenal ever held (~70,000)

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string Where(const std::string& file, int line) { return file + ":" + std::to_string(line); }

struct Preamble {
  std::map<std::string, std::pair<std::string, int>> values;  // key -> (value, line)
  int end_line = 1;                                           // first line after the preamble
  size_t end_offset = 0;
};

// Reads the '#' lines at the top. Keys are lower-case words; "notes" may repeat (joined by
// newlines), any other key may appear once.
Result<Preamble> ReadPreamble(std::string_view text, const std::string& file) {
  Preamble p;
  size_t pos = 0;
  int line = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  bool first = true;
  while (pos < text.size() && text[pos] == '#') {
    size_t eol = text.find('\n', pos);
    std::string_view raw = text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
    std::string_view body = Trim(raw.substr(1));
    if (first || !body.empty()) {
      const size_t colon = body.find(':');
      if (colon == std::string_view::npos) {
        return FieldError(Where(file, line), "preamble", "'# key: value'", Quote(raw));
      }
      std::string key(Trim(body.substr(0, colon)));
      std::string value(Trim(body.substr(colon + 1)));
      if (first) {
        if (key != kMagic) {
          return FieldError(Where(file, line), std::string(kMagic),
                            "the first line '# tally-dataset: 1'", Quote(raw));
        }
        if (value != "1") {
          return FieldError(Where(file, line), std::string(kMagic), "format version 1",
                            Quote(value));
        }
        first = false;
      } else {
        static constexpr std::string_view kKeys[] = {
            "name", "title", "publisher", "published", "source", "url", "edition", "notes", "kind"};
        bool known = false;
        for (auto k : kKeys) known = known || k == key;
        if (!known) {
          return FieldError(Where(file, line), "preamble",
                            "one of name, title, publisher, published, source, url, edition, "
                            "notes, kind",
                            Quote(key));
        }
        auto it = p.values.find(key);
        if (it != p.values.end()) {
          if (key != "notes") {
            return FieldError(
                Where(file, line), key, "one '# " + key + ":' line",
                "a second one (first on line " + std::to_string(it->second.second) + ")");
          }
          it->second.first += "\n" + value;
        } else {
          p.values[key] = {value, line};
        }
      }
    }
    if (eol == std::string_view::npos) {
      pos = text.size();
    } else {
      pos = eol + 1;
      ++line;
    }
  }
  if (first) {
    return FieldError(Where(file, 1), std::string(kMagic), "the first line '# tally-dataset: 1'",
                      Quote(text.substr(pos, std::min<size_t>(40, text.find('\n', pos) - pos))));
  }
  p.end_line = line;
  p.end_offset = pos;
  return p;
}

Result<std::string> Required(const Preamble& p, const std::string& file, const std::string& key) {
  auto it = p.values.find(key);
  if (it == p.values.end() || it->second.first.empty()) {
    return FieldError(Where(file, p.end_line), key, "a '# " + key + ": ...' line in the preamble",
                      "none");
  }
  return it->second.first;
}

std::string Optional(const Preamble& p, const std::string& key) {
  auto it = p.values.find(key);
  return it == p.values.end() ? std::string() : it->second.first;
}

Result<std::optional<int64_t>> Count(const CsvRow& row, std::string_view column, bool required) {
  std::string_view s = row.Get(column);
  if (s.empty() && !required) return std::optional<int64_t>();
  auto v = ParseInt64(s);
  if (!v || *v < 0 || *v > kMaxWarheads) {
    return row.Error(column, required ? "a whole number of warheads (0 to 1000000)"
                                      : "a whole number of warheads (0 to 1000000) or nothing");
  }
  return std::optional<int64_t>(*v);
}

}  // namespace

Result<Dataset> ParseDatasetCsv(std::string_view text, const std::string& file_name) {
  TALLY_ASSIGN_OR_RETURN(Preamble pre, ReadPreamble(text, file_name));
  Dataset d;
  TALLY_ASSIGN_OR_RETURN(d.name, Required(pre, file_name, "name"));
  if (!IsValidDatasetName(d.name)) {
    return FieldError(Where(file_name, pre.values["name"].second), "name",
                      "lower-case letters, digits, '.', '_' or '-' (at most 64)", Quote(d.name));
  }
  TALLY_ASSIGN_OR_RETURN(d.title, Required(pre, file_name, "title"));
  TALLY_ASSIGN_OR_RETURN(d.publisher, Required(pre, file_name, "publisher"));
  TALLY_ASSIGN_OR_RETURN(std::string published, Required(pre, file_name, "published"));
  auto pub = Date::ParseLoose(published);
  if (!pub) {
    return FieldError(Where(file_name, pre.values["published"].second), "published",
                      "a date YYYY, YYYY-MM or YYYY-MM-DD", Quote(published));
  }
  d.published = *pub;
  TALLY_ASSIGN_OR_RETURN(d.source, Required(pre, file_name, "source"));
  d.url = Optional(pre, "url");
  d.edition = Optional(pre, "edition");
  d.notes = Optional(pre, "notes");
  const std::string kind = Optional(pre, "kind");
  if (!kind.empty() && kind != "estimates" && kind != "secondary") {
    return FieldError(Where(file_name, pre.values["kind"].second), "kind", "estimates or secondary",
                      Quote(kind));
  }
  d.secondary = kind == "secondary";
  d.origin = file_name;

  // The CSV part keeps its line numbers: the preamble becomes blank lines, which CsvTable skips.
  std::string body(static_cast<size_t>(pre.end_line - 1), '\n');
  body.append(text.substr(pre.end_offset));
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(body, file_name));
  TALLY_RETURN_IF_ERROR(
      table.RequireColumns({"state", "category", "as_of", "value", "confidence"}));
  TALLY_RETURN_IF_ERROR(table.RejectUnknownColumns(
      {"state", "category", "as_of", "value", "low", "high", "confidence", "source", "notes"}));

  std::map<std::tuple<std::string, model::Category, int64_t>, int> seen;
  d.figures.reserve(table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    const CsvRow row = table.row(i);
    model::Figure f;
    f.dataset = d.name;
    f.line = row.line();
    auto state = NormalizeState(row.Get("state"));
    if (!state) {
      return row.Error("state",
                       "a state code or name (US, RU, CN, FR, GB, IN, PK, IL, KP, ZA) or World");
    }
    f.state = *state;
    auto category = model::ParseCategory(row.Get("category"));
    if (!category) {
      return row.Error("category",
                       "deployed_strategic, deployed_nonstrategic, deployed, reserve, "
                       "military_stockpile, retired or total_inventory");
    }
    f.category = *category;
    auto as_of = Date::ParseLoose(row.Get("as_of"));
    if (!as_of) return row.Error("as_of", "a date YYYY, YYYY-MM or YYYY-MM-DD");
    f.as_of = *as_of;
    f.as_of_text = std::string(row.Get("as_of"));
    TALLY_ASSIGN_OR_RETURN(auto value, Count(row, "value", true));
    f.value = *value;
    TALLY_ASSIGN_OR_RETURN(f.low, Count(row, "low", false));
    TALLY_ASSIGN_OR_RETURN(f.high, Count(row, "high", false));
    if (f.low && *f.low > f.value)
      return row.Error("low", "at most the value " + std::to_string(f.value));
    if (f.high && *f.high < f.value) {
      return row.Error("high", "at least the value " + std::to_string(f.value));
    }
    auto confidence = model::ParseConfidence(row.Get("confidence"));
    if (!confidence) {
      return row.Error("confidence", "confirmed, derived, estimate, recalled or unconfirmed");
    }
    f.confidence = *confidence;
    f.source = std::string(row.Get("source"));
    if (f.source.empty()) f.source = d.source;
    f.notes = std::string(row.Get("notes"));
    auto [it, inserted] =
        seen.emplace(std::make_tuple(f.state, f.category, f.as_of.days()), f.line);
    if (!inserted) {
      return FieldError(row.Where(), "as_of", "one figure per state, category and date",
                        "a second " + std::string(model::CategoryName(f.category)) + " for " +
                            f.state + " at " + f.as_of_text + " (first on line " +
                            std::to_string(it->second) + ")");
    }
    d.figures.push_back(std::move(f));
  }
  if (d.figures.empty()) {
    return FieldError(Where(file_name, pre.end_line), "rows", "at least one figure", "none");
  }
  return d;
}

std::string FormatDatasetCsv(const Dataset& d) {
  std::string out = "# tally-dataset: 1\n";
  auto key = [&](std::string_view k, const std::string& v) {
    if (v.empty()) return;
    size_t start = 0;
    // Multi-line notes become repeated keys; other values are single lines by construction.
    while (true) {
      size_t nl = v.find('\n', start);
      out += "# ";
      out += k;
      out += ": ";
      out += v.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      out += "\n";
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  };
  key("name", d.name);
  key("title", d.title);
  key("publisher", d.publisher);
  key("published", d.published.ToString());
  key("source", d.source);
  key("url", d.url);
  key("edition", d.edition);
  key("notes", d.notes);
  if (d.secondary) key("kind", "secondary");
  out += "state,category,as_of,value,low,high,confidence,source,notes\n";
  for (const auto& f : d.figures) {
    out +=
        CsvLine({f.state, std::string(model::CategoryName(f.category)),
                 f.as_of_text.empty() ? f.as_of.ToString() : f.as_of_text, std::to_string(f.value),
                 f.low ? std::to_string(*f.low) : "", f.high ? std::to_string(*f.high) : "",
                 std::string(model::ConfidenceName(f.confidence)),
                 f.source == d.source ? "" : f.source, f.notes});
    out += "\n";
  }
  return out;
}

}  // namespace tally::registry
