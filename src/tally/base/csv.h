// CsvTable: an RFC 4180 CSV document held in memory, with the line number of every record so that
// errors can name "file:line: field".
//
// Accepts quoted fields with embedded commas, doubled quotes and newlines; CRLF or LF line ends; a
// UTF-8 byte-order mark; blank lines (skipped). The first record is the header. A record with a
// different number of fields than the header is an error naming its line. Every cell must be UTF-8
// (an error names its line and column otherwise). Header errors name the header's line (which is
// not line 1 after comment or blank lines) and the column concerned. Parse never throws.
//
// Thread safety: immutable after Parse; concurrent reads are safe.
#ifndef TALLY_BASE_CSV_H_
#define TALLY_BASE_CSV_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"

namespace tally {

class CsvTable;

// One data record of a CsvTable. Borrowed: valid while its table lives.
class CsvRow {
 public:
  CsvRow(const CsvTable* table, size_t index) : table_(table), index_(index) {}

  int line() const;           // 1-based line where the record starts
  std::string Where() const;  // "name:line"
  // The raw text of a column; empty for a column the table does not have.
  std::string_view Get(std::string_view column) const;
  bool Has(std::string_view column) const;
  // Typed access; errors have the FieldError shape and name this row's line.
  Result<int64_t> GetInt(std::string_view column) const;
  // An empty cell gives nullopt; anything else must be an integer.
  Result<std::optional<int64_t>> GetOptionalInt(std::string_view column) const;
  Result<double> GetDouble(std::string_view column) const;
  Status Error(std::string_view column, std::string_view expected) const;

 private:
  const CsvTable* table_;
  size_t index_;
};

class CsvTable {
 public:
  // `name` is what errors call the document, usually its file name.
  static Result<CsvTable> Parse(std::string_view text, std::string name);

  const std::string& name() const { return name_; }
  const std::vector<std::string>& header() const { return header_; }
  int header_line() const { return header_line_; }
  size_t size() const { return rows_.size(); }
  CsvRow row(size_t i) const { return CsvRow(this, i); }
  // Index of a column in the header, or -1.
  int ColumnIndex(std::string_view column) const;
  // An error naming the first required column the header lacks.
  Status RequireColumns(std::initializer_list<std::string_view> columns) const;
  // An error naming the first header column that is not in `known` (strict schemas).
  Status RejectUnknownColumns(std::initializer_list<std::string_view> known) const;

 private:
  friend class CsvRow;
  struct Record {
    int line;
    std::vector<std::string> fields;
  };
  std::string name_;
  int header_line_ = 1;
  std::vector<std::string> header_;
  std::vector<Record> rows_;
};

// Quotes a field for CSV output when it needs quoting (comma, quote, CR or LF).
std::string CsvEscape(std::string_view field);
// Joins fields into one CSV line (without the line end).
std::string CsvLine(const std::vector<std::string>& fields);

// Strict integer parse of a whole string (optional leading '-', digits only).
std::optional<int64_t> ParseInt64(std::string_view text);
// Strict floating-point parse of a whole string.
std::optional<double> ParseDouble(std::string_view text);

}  // namespace tally

#endif  // TALLY_BASE_CSV_H_
