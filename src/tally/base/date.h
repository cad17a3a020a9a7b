// Date: a proleptic Gregorian calendar day, the unit of treaty time.
//
// Treaty time is not wall-clock time: data dates (1 March / 1 September), deadlines (5 days),
// limits-effective dates. A Date is a count of days since 1970-01-01 (negative before), so that
// comparisons and day arithmetic are integer operations. Parse accepts exactly "YYYY-MM-DD";
// ParseLoose also accepts "YYYY-MM" (first of month) and "YYYY" (1 January), as sources often
// give only a year.
#ifndef TALLY_BASE_DATE_H_
#define TALLY_BASE_DATE_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "tally/base/result.h"

namespace tally {

class Date {
 public:
  constexpr Date() = default;  // 1970-01-01
  static constexpr Date FromDays(int64_t days_since_epoch) { return Date(days_since_epoch); }
  // Returns an error for an impossible day (2023-02-29, month 13, ...).
  static Result<Date> FromCivil(int year, int month, int day);
  static Result<Date> Parse(std::string_view text);
  static Result<Date> ParseLoose(std::string_view text);
  // Parse for a command-line flag: errors read "--date: the date \"2026-02-30\" does not exist
  // (2026-02 has 28 days)" or "--date: expected a date YYYY-MM-DD, got ...".
  static Result<Date> ParseFlag(std::string_view flag, std::string_view text);

  int64_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // Fractional year for charts and interpolation: 2020-07-02 is about 2020.5.
  double DecimalYear() const;

  Date AddDays(int64_t n) const { return Date(days_ + n); }
  // Same day of month n months later, clamped to the month's last day (Jan 31 + 1 = Feb 28/29).
  Date AddMonths(int n) const;
  Date AddYears(int n) const { return AddMonths(12 * n); }

  std::string ToString() const;  // "YYYY-MM-DD"

  friend constexpr auto operator<=>(Date a, Date b) = default;

 private:
  constexpr explicit Date(int64_t d) : days_(d) {}
  int64_t days_ = 0;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

}  // namespace tally

#endif  // TALLY_BASE_DATE_H_
