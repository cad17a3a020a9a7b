#include "tally/base/date.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "tally/base/text.h"

namespace tally {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days, valid for the whole int range we use.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m;
  unsigned d;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool ParseDigits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::string Quote(std::string_view s) { return QuoteText(s); }

}  // namespace

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

Result<Date> Date::FromCivil(int year, int month, int day) {
  if (year < 1 || year > 9999) return InvalidArgument("year out of range: " + std::to_string(year));
  if (month < 1 || month > 12)
    return InvalidArgument("month out of range: " + std::to_string(month));
  if (day < 1 || day > DaysInMonth(year, month)) {
    return InvalidArgument("no such day: " + std::to_string(year) + "-" + std::to_string(month) +
                           "-" + std::to_string(day));
  }
  return Date(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

Result<Date> Date::Parse(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text.substr(0, 4), y) ||
      !ParseDigits(text.substr(5, 2), m) || !ParseDigits(text.substr(8, 2), d)) {
    return InvalidArgument("expected a date YYYY-MM-DD, got " + Quote(text));
  }
  auto date = FromCivil(y, m, d);
  if (!date) {
    if (m < 1 || m > 12 || y < 1) {
      return InvalidArgument("the date " + Quote(text) + " does not exist (month " +
                             std::to_string(m) + ")");
    }
    return InvalidArgument("the date " + Quote(text) + " does not exist (" +
                           std::string(text.substr(0, 7)) + " has " +
                           std::to_string(DaysInMonth(y, m)) + " days)");
  }
  return date;
}

Result<Date> Date::ParseFlag(std::string_view flag, std::string_view text) {
  auto d = Parse(text);
  if (d) return d;
  return InvalidArgument(std::string(flag) + ": " + d.error().message());
}

Result<Date> Date::ParseLoose(std::string_view text) {
  int y = 0, m = 0;
  if (text.size() == 4 && ParseDigits(text, y)) return FromCivil(y, 1, 1);
  if (text.size() == 7 && text[4] == '-' && ParseDigits(text.substr(0, 4), y) &&
      ParseDigits(text.substr(5, 2), m)) {
    auto date = FromCivil(y, m, 1);
    if (!date) return InvalidArgument("expected a real month, got " + Quote(text));
    return date;
  }
  if (text.size() == 10) return Parse(text);
  return InvalidArgument("expected a date YYYY-MM-DD, YYYY-MM or YYYY, got " + Quote(text));
}

int Date::year() const { return static_cast<int>(CivilFromDays(days_).y); }
int Date::month() const { return static_cast<int>(CivilFromDays(days_).m); }
int Date::day() const { return static_cast<int>(CivilFromDays(days_).d); }

double Date::DecimalYear() const {
  const int y = year();
  const int64_t start = DaysFromCivil(y, 1, 1);
  const double length = IsLeapYear(y) ? 366.0 : 365.0;
  return y + static_cast<double>(days_ - start) / length;
}

Date Date::AddMonths(int n) const {
  const Civil c = CivilFromDays(days_);
  int64_t total = c.y * 12 + (c.m - 1) + n;
  int64_t y = total / 12;
  int64_t m0 = total % 12;
  if (m0 < 0) {
    m0 += 12;
    y -= 1;
  }
  const int month = static_cast<int>(m0) + 1;
  const int year = static_cast<int>(y);
  const unsigned day = std::min<unsigned>(c.d, static_cast<unsigned>(DaysInMonth(year, month)));
  return Date(DaysFromCivil(y, static_cast<unsigned>(month), day));
}

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.y), c.m, c.d);
  return buf;
}

}  // namespace tally
