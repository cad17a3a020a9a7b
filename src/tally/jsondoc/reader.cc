#include "tally/jsondoc/reader.h"

#include <exception>
#include <set>
#include <vector>

#include "tally/base/text.h"

namespace tally::jsondoc {
namespace {

// Line and column (1-based, in bytes) of byte `pos` of `text`.
std::string Position(std::string_view text, size_t pos) {
  if (pos > text.size()) pos = text.size();
  size_t line = 1, col = 1;
  for (size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

// The library reports its reasons in its own words; these are tally's, chosen by what the text
// at the error looks like.
std::string Reason(int id, std::string_view library_text, std::string_view rest) {
  if (id == 406 || library_text.find("number overflow") != std::string_view::npos) {
    return "a number too large for a double";
  }
  if (library_text.find("ill-formed UTF-8") != std::string_view::npos) {
    return "text that is not UTF-8 in a string";
  }
  if (library_text.find("surrogate") != std::string_view::npos) {
    return "an invalid \\u escape (a lone UTF-16 surrogate)";
  }
  if (library_text.find("control character") != std::string_view::npos) {
    return "a raw control character in a string (write it as \\n, \\t or \\u00XX)";
  }
  if (library_text.find("missing or wrong low surrogate") != std::string_view::npos ||
      library_text.find("'\\u' must be followed") != std::string_view::npos) {
    return "an invalid \\u escape";
  }
  if (library_text.find("forbidden character after backslash") != std::string_view::npos) {
    return "an invalid escape after a backslash";
  }
  if (library_text.find("unexpected end of input") != std::string_view::npos ||
      library_text.find("missing closing quote") != std::string_view::npos || rest.empty()) {
    return "the document ends early (a bracket, brace or quote is not closed)";
  }
  if (library_text.find("expected end of input") != std::string_view::npos) {
    return "text after the end of the document";
  }
  if (library_text.find("object separator") != std::string_view::npos) {
    return "expected ':' after an object key";
  }
  if (library_text.find("object key") != std::string_view::npos) {
    return "expected an object key in double quotes";
  }
  if (library_text.find("'}'") != std::string_view::npos ||
      library_text.find("']'") != std::string_view::npos) {
    return "expected ',' or a closing bracket";
  }
  return "expected a JSON value";
}

template <typename J>
class BoundedSax : public nlohmann::detail::json_sax_dom_parser<J> {
  using Base = nlohmann::detail::json_sax_dom_parser<J>;

 public:
  explicit BoundedSax(J& target) : Base(target, /*allow_exceptions=*/false) {}

  bool start_object(std::size_t len) {
    if (!Enter()) return false;
    keys_.emplace_back();
    return Base::start_object(len);
  }
  bool end_object() {
    --depth_;
    keys_.pop_back();
    return Base::end_object();
  }
  bool start_array(std::size_t len) {
    if (!Enter()) return false;
    return Base::start_array(len);
  }
  bool end_array() {
    --depth_;
    return Base::end_array();
  }
  bool key(typename Base::string_t& k) {
    if (!keys_.back().insert(k).second) {
      duplicate_key_ = k;
      return false;
    }
    return Base::key(k);
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) {
    error_position_ = position;
    error_id_ = ex.id;
    error_text_ = ex.what();
    Base::parse_error(position, "", ex);
    return false;
  }

  bool too_deep() const { return too_deep_; }
  const std::string& duplicate_key() const { return duplicate_key_; }
  bool has_error() const { return error_id_ != 0; }
  size_t error_position() const { return error_position_; }
  int error_id() const { return error_id_; }
  const std::string& error_text() const { return error_text_; }

 private:
  bool Enter() {
    if (++depth_ > kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    return true;
  }
  int depth_ = 0;
  bool too_deep_ = false;
  std::vector<std::set<std::string>> keys_;
  std::string duplicate_key_;
  size_t error_position_ = 0;
  int error_id_ = 0;
  std::string error_text_;
};

// Byte offset just past the `depth`-th unquoted opening bracket (where a too-deep document is
// refused), for the error's position.
size_t OffsetOfDepth(std::string_view text, int depth) {
  int d = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '[' || c == '{') {
      if (++d > depth) return i;
    } else if (c == ']' || c == '}') {
      --d;
    }
  }
  return text.size();
}

template <typename J>
Result<J> Parse(std::string_view text, std::string_view name) {
  const std::string where(name);
  if (text.size() > kMaxJsonBytes) {
    return InvalidArgument(where + ": JSON document of " + std::to_string(text.size()) +
                           " bytes is larger than the limit of " + std::to_string(kMaxJsonBytes));
  }
  // A leading byte-order mark is allowed and skipped, as in CSV files.
  size_t skipped = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
    skipped = 3;
  }
  J root;
  BoundedSax<J> sax(root);
  bool ok = false;
  try {
    ok = J::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json,
                      /*strict=*/true);
  } catch (const std::exception&) {
    // The bounded SAX never asks for exceptions; anything here is the allocator giving up.
    return InvalidArgument(where + ": JSON document could not be read (out of memory)");
  }
  if (ok && !sax.has_error() && !sax.too_deep() && sax.duplicate_key().empty()) return root;
  if (sax.too_deep()) {
    size_t at = OffsetOfDepth(text, kMaxJsonDepth);
    return InvalidArgument(where + ":" + Position(text, at) +
                           ": invalid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) +
                           " arrays or objects");
  }
  if (!sax.duplicate_key().empty()) {
    return InvalidArgument(where + ": invalid JSON: object key " + QuoteText(sax.duplicate_key()) +
                           " appears twice");
  }
  size_t pos = sax.error_position();
  // The library reports the position one past the offending character.
  size_t at = pos == 0 ? 0 : pos - 1;
  const std::string& lib = sax.error_text();
  if (lib.find("end of input") != std::string::npos &&
      lib.find("expected end of input") == std::string::npos) {
    at = text.size();  // the document ends early: point at its end
  }
  if (at > text.size()) at = text.size();
  std::string_view rest = text.substr(at);
  (void)skipped;
  std::string got = rest.empty() ? "the end of the document" : QuoteText(rest.substr(0, 24), 24);
  return InvalidArgument(where + ":" + Position(text, at) + ": invalid JSON: " +
                         Reason(sax.error_id(), sax.error_text(), rest) + ", at " + got);
}

template <typename J>
std::string DescribeT(const J& value) {
  std::string text;
  try {
    text = value.dump(-1, ' ', false, J::error_handler_t::replace);
  } catch (const std::exception&) {
    text = "(a value that cannot be shown)";
  }
  if (text.size() <= kMaxQuotedBytes) return text;
  return text.substr(0, kMaxQuotedBytes) + "... (" + std::to_string(text.size()) + " bytes)";
}

template <typename J>
std::string KindOfT(const J& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "a value";
}

}  // namespace

Result<nlohmann::json> ParseJson(std::string_view text, std::string_view name) {
  return Parse<nlohmann::json>(text, name);
}
Result<nlohmann::ordered_json> ParseOrderedJson(std::string_view text, std::string_view name) {
  return Parse<nlohmann::ordered_json>(text, name);
}
std::string Describe(const nlohmann::json& value) { return DescribeT(value); }
std::string Describe(const nlohmann::ordered_json& value) { return DescribeT(value); }
std::string KindOf(const nlohmann::json& value) { return KindOfT(value); }
std::string KindOf(const nlohmann::ordered_json& value) { return KindOfT(value); }

}  // namespace tally::jsondoc
