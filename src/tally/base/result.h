// Result<T>: a T or the Status that explains why there is none.
//
// The member names follow C++23 std::expected (has_value, value, error, operator*, operator->),
// so that a later toolchain can make Result an alias. g++ 12 in C++20 mode has no std::expected.
// value() on an error is a bug in the caller and aborts; it never throws.
#ifndef TALLY_BASE_RESULT_H_
#define TALLY_BASE_RESULT_H_

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "tally/base/status.h"

namespace tally {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<T, Status>, "use Status for operations without a value");

 public:
  Result(const T& value) : data_(value) {}        // NOLINT: implicit by design, as std::expected
  Result(T&& value) : data_(std::move(value)) {}  // NOLINT
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    if (std::get<Status>(data_).ok()) {
      data_ = Status(StatusCode::kInternal, "Result constructed from an OK status");
    }
  }

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  bool ok() const { return has_value(); }

  T& value() & {
    Check();
    return std::get<0>(data_);
  }
  const T& value() const& {
    Check();
    return std::get<0>(data_);
  }
  T&& value() && {
    Check();
    return std::get<0>(std::move(data_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; an OK Status when there is a value.
  Status error() const { return has_value() ? Status() : std::get<Status>(data_); }
  Status status() const { return error(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void Check() const {
    if (!has_value()) {
      std::fprintf(stderr, "tally: Result::value() on error: %s\n",
                   std::get<Status>(data_).ToString().c_str());
      std::abort();
    }
  }
  std::variant<T, Status> data_;
};

}  // namespace tally

#define TALLY_CONCAT_INNER_(a, b) a##b
#define TALLY_CONCAT_(a, b) TALLY_CONCAT_INNER_(a, b)

// TALLY_ASSIGN_OR_RETURN(auto x, Expr()); declares x from a Result or returns its error.
#define TALLY_ASSIGN_OR_RETURN(lhs, expr) \
  TALLY_ASSIGN_OR_RETURN_IMPL_(TALLY_CONCAT_(tally_result_, __LINE__), lhs, expr)
#define TALLY_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.has_value()) return tmp.error();          \
  lhs = std::move(tmp).value()

#endif  // TALLY_BASE_RESULT_H_
