#include "tally/tlog/checkpoint.h"

namespace tally::tlog {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 80)) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') {
      out += '?';
    } else {
      out += c;
    }
  }
  if (s.size() > 80) out += "...";
  return out + "\"";
}

}  // namespace

Result<uint64_t> ParseDecimal(std::string_view text, std::string_view where, std::string_view field,
                              uint64_t max) {
  const auto bad = [&] {
    return FieldError(where, field, "a decimal number without leading zeros", Quote(text));
  };
  if (text.empty() || text.size() > 20) return bad();
  if (text.size() > 1 && text[0] == '0') return bad();
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad();
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (max - d) / 10) {
      return FieldError(where, field, "at most " + std::to_string(max), Quote(text));
    }
    v = v * 10 + d;
  }
  return v;
}

std::string Checkpoint::Format() const {
  std::string out = origin + "\n" + std::to_string(size) + "\n" + merkle::HashToBase64(root) + "\n";
  for (const auto& e : extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgument("checkpoint: expected lines ending in a newline");
  }
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    const size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.size() < 3) {
    return InvalidArgument("checkpoint: expected at least 3 lines (origin, size, root), got " +
                           std::to_string(lines.size()));
  }
  Checkpoint c;
  if (lines[0].empty())
    return FieldError("checkpoint line 1", "origin", "a non-empty line", "\"\"");
  c.origin = std::string(lines[0]);
  TALLY_ASSIGN_OR_RETURN(
      c.size, ParseDecimal(lines[1], "checkpoint line 2", "size", (uint64_t{1} << 63) - 1));
  auto root = merkle::HashFromBase64(lines[2], "checkpoint line 3: field 'root'");
  if (!root.ok()) {
    return FieldError("checkpoint line 3", "root", "base64 of a 32-byte hash", Quote(lines[2]));
  }
  c.root = *root;
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return FieldError("checkpoint line " + std::to_string(i + 1), "extension", "a non-empty line",
                        "\"\"");
    }
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

}  // namespace tally::tlog
