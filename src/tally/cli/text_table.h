// TextTable: an aligned, human-readable terminal table.
//
// Columns are left-aligned unless marked numeric (right-aligned). Cells are UTF-8; width counts
// code points, so "–" and "≤" align. No colour: output is meant for pipes as much as terminals.
#ifndef TALLY_CLI_TEXT_TABLE_H_
#define TALLY_CLI_TEXT_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace tally::cli {

class TextTable {
 public:
  // A header name ending in '>' (e.g. "value>") marks a right-aligned column; the '>' is dropped.
  explicit TextTable(std::vector<std::string> header);
  void AddRow(std::vector<std::string> cells);
  void Print(std::ostream& out) const;
  size_t rows() const { return rows_.size(); }

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

// 1550 -> "1,550"; negative numbers keep their sign.
std::string WithThousands(long long value);

}  // namespace tally::cli

#endif  // TALLY_CLI_TEXT_TABLE_H_
