// Status: the outcome of an operation that can fail, as a value.
//
// Every library boundary in tally returns a Status or a Result<T> (result.h) instead of throwing.
// A Status is a code plus a human-readable message that names the place of the failure, e.g.
//   forces.csv:12: field 'deployed': expected an integer, got "12a"
// The code decides what the CLI exits with and what an HTTP node answers (ExitCodeFor, below):
// one table for the whole project.
//
// Thread safety: a Status is an immutable value; copies are independent.
#ifndef TALLY_BASE_STATUS_H_
#define TALLY_BASE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>

namespace tally {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input or usage: a malformed file, flag or value
  kNotFound,            // a named thing (file, treaty, dataset, entry) does not exist
  kAlreadyExists,       // a create that would overwrite
  kFailedPrecondition,  // the system is not in a state where the operation makes sense
  kPermissionDenied,    // e.g. a secret key file readable by others
  kVerificationFailed,  // a signature, proof or commitment does not check: a finding, not a bug
  kDataLoss,            // stored data is corrupt or was tampered with
  kIoError,             // the operating system refused a read or write
  kUnavailable,         // a peer or resource could not be reached; retrying may help
  kInternal,            // a bug in tally
};

// The short lower-case name of a code, e.g. "invalid_argument"; stable, used in JSON output.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: forces.csv:12: ..." or "ok".
  std::string ToString() const;

  // Returns a copy whose message is `prefix + ": " + message()`; OK stays OK.
  Status WithContext(std::string_view prefix) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status FailedPrecondition(std::string message);
Status PermissionDenied(std::string message);
Status VerificationFailed(std::string message);
Status DataLoss(std::string message);
Status IoError(std::string message);
Status Unavailable(std::string message);
Status Internal(std::string message);

// The standard shape of an input error: "<where>: field '<field>': expected <expected>, got <got>".
// `where` is usually "file:line"; `got` is quoted by the caller when it is a raw input string.
Status FieldError(std::string_view where, std::string_view field, std::string_view expected,
                  std::string_view got);

// CLI exit codes: 0 success, 1 a finding (violation, failed verification, detected tamper),
// 2 usage or bad input, 3 an environment or internal failure.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFinding = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

// The one table from status codes to exit codes and HTTP statuses.
int ExitCodeFor(StatusCode code);
int HttpStatusFor(StatusCode code);

}  // namespace tally

// Evaluates `expr` (a Status); returns it from the enclosing function if it is not OK.
#define TALLY_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::tally::Status tally_status_ = (expr);        \
    if (!tally_status_.ok()) return tally_status_; \
  } while (0)

#endif  // TALLY_BASE_STATUS_H_
