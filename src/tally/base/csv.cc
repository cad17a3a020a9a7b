#include "tally/base/csv.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "tally/base/text.h"

namespace tally {
namespace {

std::string Quoted(std::string_view s) { return QuoteText(s); }

// A column name as messages write it: 'name', escaped and bounded like QuoteText.
std::string ColumnName(std::string_view s) {
  std::string q = QuoteText(s);
  if (q.size() >= 2 && q.front() == '"' && q.back() == '"') {
    q.front() = '\'';
    q.back() = '\'';
  }
  return q;
}

}  // namespace

std::optional<int64_t> ParseInt64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  if (v == 0 && text[0] == '-') return std::nullopt;  // "-0" is no count anyone writes
  return v;
}

std::optional<double> ParseDouble(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

Result<CsvTable> CsvTable::Parse(std::string_view text, std::string name) {
  CsvTable table;
  table.name_ = std::move(name);
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::vector<Record> records;
  Record current{1, {}};
  std::string field;
  int line = 1;
  bool in_quotes = false;
  bool field_was_quoted = false;
  bool record_has_content = false;
  size_t i = 0;
  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    if (record_has_content) records.push_back(std::move(current));
    current = Record{line, {}};
    record_has_content = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        in_quotes = false;
        ++i;
        continue;
      }
      if (c == '\n') ++line;
      field += c;
      ++i;
      continue;
    }
    switch (c) {
      case '"':
        if (!field.empty() || field_was_quoted) {
          return InvalidArgument(table.name_ + ":" + std::to_string(line) +
                                 ": a quote inside an unquoted field (quote the whole field and "
                                 "double the inner quotes)");
        }
        in_quotes = true;
        field_was_quoted = true;
        record_has_content = true;
        ++i;
        break;
      case ',':
        end_field();
        record_has_content = true;
        ++i;
        break;
      case '\r':
        ++i;
        break;
      case '\n':
        ++line;
        end_record();
        current.line = line;
        ++i;
        break;
      default:
        if (field_was_quoted) {
          return InvalidArgument(table.name_ + ":" + std::to_string(line) +
                                 ": text after a closing quote");
        }
        field += c;
        record_has_content = true;
        ++i;
    }
  }
  if (in_quotes) {
    return InvalidArgument(table.name_ + ":" + std::to_string(current.line) +
                           ": a quoted field is never closed");
  }
  end_record();

  if (records.empty()) return InvalidArgument(table.name_ + ": empty CSV: no header line");
  // Every cell is text that must survive being stored, hashed as JSON and printed: UTF-8 only.
  for (size_t r = 0; r < records.size(); ++r) {
    for (size_t f = 0; f < records[r].fields.size(); ++f) {
      const std::string& cell = records[r].fields[f];
      if (IsUtf8(cell)) continue;
      std::string column = r == 0 ? "header column " + std::to_string(f + 1)
                           : f < records.front().fields.size() && IsUtf8(records.front().fields[f])
                               ? records.front().fields[f]
                               : "column " + std::to_string(f + 1);
      return FieldError(table.name_ + ":" + std::to_string(records[r].line), column, "UTF-8 text",
                        Utf8Problem(cell));
    }
  }
  table.header_line_ = records.front().line;
  table.header_ = std::move(records.front().fields);
  for (size_t h = 0; h < table.header_.size(); ++h) {
    if (table.header_[h].empty()) {
      return InvalidArgument(table.name_ + ":" + std::to_string(records.front().line) +
                             ": header column " + std::to_string(h + 1) + " has no name");
    }
    for (size_t k = 0; k < h; ++k) {
      if (table.header_[k] == table.header_[h]) {
        return InvalidArgument(table.name_ + ":" + std::to_string(records.front().line) +
                               ": header names column '" + table.header_[h] + "' twice");
      }
    }
  }
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].fields.size() != table.header_.size()) {
      return InvalidArgument(table.name_ + ":" + std::to_string(records[r].line) + ": expected " +
                             std::to_string(table.header_.size()) +
                             " fields as in the header, got " +
                             std::to_string(records[r].fields.size()));
    }
    table.rows_.push_back(std::move(records[r]));
  }
  return table;
}

int CsvTable::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == column) return static_cast<int>(i);
  }
  return -1;
}

Status CsvTable::RequireColumns(std::initializer_list<std::string_view> columns) const {
  for (auto c : columns) {
    if (ColumnIndex(c) >= 0) continue;
    std::string msg = name_ + ":" + std::to_string(header_line_) + ": header: missing column '" +
                      std::string(c) + "'";
    // Name the header column that looks like a misspelling of the missing one.
    for (const auto& h : header_) {
      bool required = false;
      for (auto k : columns) required = required || k == h;
      if (!required && EditDistanceIgnoringCase(h, c) <= (c.size() >= 6 ? 2 : 1)) {
        msg += " (the header has '" + h + "': did you mean '" + std::string(c) + "'?)";
        return InvalidArgument(msg);
      }
    }
    std::string have;
    for (const auto& h : header_) have += (have.empty() ? "" : ", ") + h;
    msg += " (the header has: " + std::string(QuoteText(have, 200)) + ")";
    return InvalidArgument(msg);
  }
  return Status::Ok();
}

Status CsvTable::RejectUnknownColumns(std::initializer_list<std::string_view> known) const {
  for (const auto& h : header_) {
    bool found = false;
    for (auto k : known) found = found || k == h;
    if (found) continue;
    std::vector<std::string_view> names(known.begin(), known.end());
    std::string known_list;
    for (auto k : known) known_list += (known_list.empty() ? "" : ", ") + std::string(k);
    return InvalidArgument(name_ + ":" + std::to_string(header_line_) +
                           ": header: unknown column " + ColumnName(h) + DidYouMean(h, names) +
                           " (known: " + known_list + ")");
  }
  return Status::Ok();
}

int CsvRow::line() const { return table_->rows_[index_].line; }

std::string CsvRow::Where() const { return table_->name_ + ":" + std::to_string(line()); }

bool CsvRow::Has(std::string_view column) const { return table_->ColumnIndex(column) >= 0; }

std::string_view CsvRow::Get(std::string_view column) const {
  int i = table_->ColumnIndex(column);
  if (i < 0) return {};
  return table_->rows_[index_].fields[static_cast<size_t>(i)];
}

Status CsvRow::Error(std::string_view column, std::string_view expected) const {
  return FieldError(Where(), column, expected, Quoted(Get(column)));
}

Result<int64_t> CsvRow::GetInt(std::string_view column) const {
  auto v = ParseInt64(Get(column));
  if (!v) return Error(column, "an integer");
  return *v;
}

Result<std::optional<int64_t>> CsvRow::GetOptionalInt(std::string_view column) const {
  std::string_view s = Get(column);
  if (s.empty()) return std::optional<int64_t>();
  auto v = ParseInt64(s);
  if (!v) return Error(column, "an integer or nothing");
  return std::optional<int64_t>(*v);
}

Result<double> CsvRow::GetDouble(std::string_view column) const {
  auto v = ParseDouble(Get(column));
  if (!v) return Error(column, "a number");
  return *v;
}

std::string CsvEscape(std::string_view field) {
  // A leading byte-order mark is quoted so that a reader does not strip it as the file's BOM.
  const bool leading_bom = field.substr(0, 3) == "\xEF\xBB\xBF";
  if (!leading_bom && field.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(field);
  }
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += CsvEscape(fields[i]);
  }
  return out;
}

}  // namespace tally
