// Logger: structured logs, one JSON object per line on stderr (docs/formats/node-api.md, "Logs").
//
//   {"ts":"2026-12-01T10:00:00.123Z","level":"info","event":"listening","addr":"127.0.0.1:8401"}
// Every line has ts (UTC, milliseconds), level (debug|info|warn|error) and event (a stable
// snake_case name); the other members depend on the event. Values are escaped by nlohmann-json,
// so an attacker-chosen string (a path, a header) cannot forge a line.
// Thread safety: Log may be called from any thread; lines never interleave.
#ifndef TALLY_SERVER_LOGGER_H_
#define TALLY_SERVER_LOGGER_H_

#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tally::server {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

class Logger {
 public:
  using Value = std::variant<std::string, std::string_view, const char*, int64_t, uint64_t, int,
                             double, bool>;
  using Field = std::pair<std::string_view, Value>;

  explicit Logger(std::FILE* out = stderr, LogLevel min_level = LogLevel::kInfo)
      : out_(out), min_level_(min_level) {}

  void Log(LogLevel level, std::string_view event, std::initializer_list<Field> fields = {});
  void Info(std::string_view event, std::initializer_list<Field> fields = {}) {
    Log(LogLevel::kInfo, event, fields);
  }
  void Warn(std::string_view event, std::initializer_list<Field> fields = {}) {
    Log(LogLevel::kWarn, event, fields);
  }
  void Error(std::string_view event, std::initializer_list<Field> fields = {}) {
    Log(LogLevel::kError, event, fields);
  }
  bool Enabled(LogLevel level) const { return level >= min_level_; }

 private:
  std::FILE* out_;
  LogLevel min_level_;
  std::mutex mu_;
};

}  // namespace tally::server

#endif  // TALLY_SERVER_LOGGER_H_
