#include "tally/scenario/toml_lite.h"

#include <cctype>
#include <cmath>
#include <set>

#include "tally/base/csv.h"
#include "tally/base/text.h"

namespace tally::scenario {
namespace {

bool IsBareKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

  Result<TomlDocument> Parse() {
    TomlDocument doc;
    doc.tables.push_back({"", false, 1, {}});
    std::set<std::string> seen_tables;
    while (true) {
      SkipSpaceAndComments(/*newlines=*/true);
      if (AtEnd()) break;
      if (Peek() == '[') {
        const int header_line = line_;
        ++pos_;
        bool is_array = false;
        if (!AtEnd() && Peek() == '[') {
          is_array = true;
          ++pos_;
        }
        SkipInlineSpace();
        TALLY_ASSIGN_OR_RETURN(std::string table_name, BareKey("table name"));
        SkipInlineSpace();
        if (!Consume(']') || (is_array && !Consume(']'))) {
          return Error(is_array ? "expected ']]' after the table name"
                                : "expected ']' after the table name");
        }
        if (!is_array && !seen_tables.insert(table_name).second) {
          return Error("table [" + table_name + "] defined twice");
        }
        doc.tables.push_back({table_name, is_array, header_line, {}});
        TALLY_RETURN_IF_ERROR(EndOfLine());
        continue;
      }
      const int key_line = line_;
      TALLY_ASSIGN_OR_RETURN(std::string key, BareKey("key"));
      SkipInlineSpace();
      if (!AtEnd() && Peek() == '.') return Error("dotted keys are not supported");
      if (!Consume('=')) return Error("expected '=' after key '" + key + "'");
      SkipInlineSpace();
      TALLY_ASSIGN_OR_RETURN(TomlValue value, Value(0));
      value.line = key_line;
      auto& table = doc.tables.back();
      if (table.Find(key)) {
        return InvalidArgument(name_ + ":" + std::to_string(key_line) + ": key '" + key +
                               "': defined twice in the same table");
      }
      table.entries.emplace_back(std::move(key), std::move(value));
      TALLY_RETURN_IF_ERROR(EndOfLine());
    }
    return doc;
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return s_[pos_]; }
  bool Consume(char c) {
    if (!AtEnd() && Peek() == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Error(const std::string& what) const {
    return InvalidArgument(name_ + ":" + std::to_string(line_) + ": " + what);
  }
  void SkipInlineSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t')) ++pos_;
  }
  void SkipSpaceAndComments(bool newlines) {
    while (!AtEnd()) {
      const char c = Peek();
      if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (!AtEnd() && Peek() != '\n') ++pos_;
      } else if (c == '\n' && newlines) {
        ++pos_;
        ++line_;
      } else {
        break;
      }
    }
  }
  Status EndOfLine() {
    SkipInlineSpace();
    if (!AtEnd() && Peek() == '#') {
      while (!AtEnd() && Peek() != '\n') ++pos_;
    }
    if (!AtEnd() && Peek() == '\r') ++pos_;
    if (AtEnd()) return Status::Ok();
    if (Peek() != '\n') return Error("unexpected text after a value");
    ++pos_;
    ++line_;
    return Status::Ok();
  }
  Result<std::string> BareKey(const char* what) {
    if (!AtEnd() && Peek() == '"')
      return Error(std::string("quoted ") + what + "s are not supported");
    const size_t start = pos_;
    while (!AtEnd() && IsBareKeyChar(Peek())) ++pos_;
    if (pos_ == start) return Error(std::string("expected a ") + what);
    return std::string(s_.substr(start, pos_ - start));
  }

  Result<TomlValue> Value(int depth) {
    if (depth > 16) return Error("values nested too deeply");
    if (AtEnd()) return Error("expected a value");
    TomlValue v;
    v.line = line_;
    const char c = Peek();
    if (c == '"') {
      if (s_.substr(pos_, 3) == "\"\"\"") return Error("multi-line strings are not supported");
      ++pos_;
      v.type = TomlValue::Type::kString;
      while (true) {
        if (AtEnd() || Peek() == '\n') return Error("unterminated string");
        char ch = s_[pos_++];
        if (ch == '"') break;
        if (ch == '\\') {
          if (AtEnd()) return Error("unterminated string");
          const char e = s_[pos_++];
          switch (e) {
            case '"':
              v.text += '"';
              break;
            case '\\':
              v.text += '\\';
              break;
            case 'n':
              v.text += '\n';
              break;
            case 't':
              v.text += '\t';
              break;
            default:
              return Error(std::string("unsupported escape \\") + e);
          }
          continue;
        }
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t') {
          return Error("control character in string");
        }
        v.text += ch;
      }
      return v;
    }
    if (c == '\'') return Error("literal strings are not supported; use \"...\"");
    if (c == '[') {
      ++pos_;
      v.type = TomlValue::Type::kArray;
      while (true) {
        SkipSpaceAndComments(true);
        if (Consume(']')) break;
        TALLY_ASSIGN_OR_RETURN(TomlValue item, Value(depth + 1));
        v.items.push_back(std::move(item));
        SkipSpaceAndComments(true);
        if (Consume(',')) continue;
        if (Consume(']')) break;
        return Error("expected ',' or ']' in an array");
      }
      return v;
    }
    if (c == '{') {
      ++pos_;
      v.type = TomlValue::Type::kTable;
      SkipInlineSpace();
      if (Consume('}')) return v;
      while (true) {
        SkipInlineSpace();
        TALLY_ASSIGN_OR_RETURN(std::string key, BareKey("key"));
        SkipInlineSpace();
        if (!Consume('=')) return Error("expected '=' after key '" + key + "'");
        SkipInlineSpace();
        TALLY_ASSIGN_OR_RETURN(TomlValue item, Value(depth + 1));
        if (v.Find(key)) return Error("key '" + key + "': defined twice in an inline table");
        v.fields.emplace_back(std::move(key), std::move(item));
        SkipInlineSpace();
        if (Consume(',')) continue;
        if (Consume('}')) break;
        return Error("expected ',' or '}' in an inline table");
      }
      return v;
    }
    // A bare token: boolean, date or number.
    const size_t start = pos_;
    while (!AtEnd() && (IsBareKeyChar(Peek()) || Peek() == '.' || Peek() == '+' || Peek() == ':')) {
      ++pos_;
    }
    const std::string_view token = s_.substr(start, pos_ - start);
    if (token.empty()) return Error(std::string("unexpected character '") + c + "'");
    if (token == "true" || token == "false") {
      v.type = TomlValue::Type::kBool;
      v.boolean = token == "true";
      return v;
    }
    if (token.size() == 10 && token[4] == '-' && token[7] == '-' &&
        std::isdigit(static_cast<unsigned char>(token[0]))) {
      v.type = TomlValue::Type::kString;
      v.text = std::string(token);
      return v;
    }
    if (token.find(':') != std::string_view::npos) return Error("date-times are not supported");
    std::string digits;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '_') {
        if (i == 0 || i + 1 == token.size() ||
            !std::isdigit(static_cast<unsigned char>(token[i - 1])) ||
            !std::isdigit(static_cast<unsigned char>(token[i + 1]))) {
          return Error("misplaced '_' in number '" + std::string(token) + "'");
        }
        continue;
      }
      digits += token[i];
    }
    if (digits.empty() || !(std::isdigit(static_cast<unsigned char>(digits.back())))) {
      return Error("expected a value, got '" + std::string(token) + "'");
    }
    const auto number = ParseDouble(digits);
    if (!number || !std::isfinite(*number)) {
      return Error("expected a value, got '" + std::string(token) + "'");
    }
    v.type = TomlValue::Type::kNumber;
    v.number = *number;
    v.is_integer = digits.find_first_of(".eE") == std::string::npos;
    return v;
  }

  std::string_view s_;
  const std::string& name_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

std::string_view TomlValue::TypeName() const {
  switch (type) {
    case Type::kString:
      return "a string";
    case Type::kNumber:
      return "a number";
    case Type::kBool:
      return "a boolean";
    case Type::kArray:
      return "an array";
    case Type::kTable:
      return "an inline table";
  }
  return "a value";
}

const TomlValue* TomlValue::Find(std::string_view key) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return &v;
  }
  return nullptr;
}

const TomlValue* TomlTable::Find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

Result<TomlDocument> ParseTomlLite(std::string_view text, const std::string& name) {
  // TOML is UTF-8 (toml.io §Spec); a scenario's strings reach JSON output and must be text.
  if (auto bad = FirstInvalidUtf8(text)) {
    int line = 1;
    for (size_t i = 0; i < *bad; ++i) line += text[i] == '\n';
    return InvalidArgument(name + ":" + std::to_string(line) +
                           ": expected UTF-8 text, got byte 0x" +
                           Utf8Problem(text.substr(*bad)).substr(7, 2) + " (not UTF-8)");
  }
  return Parser(text, name).Parse();
}

}  // namespace tally::scenario
