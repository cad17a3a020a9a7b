#include <gtest/gtest.h>

#include "tally/base/csv.h"
#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/base/status.h"

namespace tally {
namespace {

TEST(StatusTest, ExitCodesFollowTheTable) {
  EXPECT_EQ(ExitCodeFor(StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(StatusCode::kVerificationFailed), 1);
  EXPECT_EQ(ExitCodeFor(StatusCode::kDataLoss), 1);
  EXPECT_EQ(ExitCodeFor(StatusCode::kInvalidArgument), 2);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
}

TEST(StatusTest, FieldErrorHasTheStandardShape) {
  Status s = FieldError("forces.csv:12", "deployed", "an integer", "\"12a\"");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "forces.csv:12: field 'deployed': expected an integer, got \"12a\"");
  EXPECT_EQ(s.WithContext("import").message(), "import: " + s.message());
}

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  TALLY_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, CarriesValueOrError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).has_value());
  EXPECT_EQ(Quarter(6).error().message(), "odd");
  EXPECT_EQ(Quarter(5).value_or(-1), -1);
}

TEST(DateTest, ParsesAndRoundTrips) {
  auto d = Date::Parse("2026-02-05");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->ToString(), "2026-02-05");
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->AddDays(30).ToString(), "2026-03-07");
  EXPECT_EQ(Date::Parse("2024-01-31")->AddMonths(1).ToString(), "2024-02-29");
  EXPECT_EQ(Date::Parse("1970-01-01")->days(), 0);
  EXPECT_EQ(Date::Parse("1945-07-16")->ToString(), "1945-07-16");
}

TEST(DateTest, RejectsImpossibleDates) {
  EXPECT_FALSE(Date::Parse("2023-02-29"));
  EXPECT_FALSE(Date::Parse("2023-13-01"));
  EXPECT_FALSE(Date::Parse("2023-1-01"));
  EXPECT_FALSE(Date::Parse(""));
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_EQ(Date::ParseLoose("2025")->ToString(), "2025-01-01");
  EXPECT_EQ(Date::ParseLoose("2025-03")->ToString(), "2025-03-01");
}

TEST(CsvTest, ParsesQuotesAndTracksLines) {
  auto t = CsvTable::Parse("a,b,c\n1,\"x, \"\"y\"\"\",3\n\n4,\"multi\nline\",6\r\n7,8,9", "t.csv");
  ASSERT_TRUE(t) << t.error().message();
  ASSERT_EQ(t->size(), 3u);
  EXPECT_EQ(t->row(0).Get("b"), "x, \"y\"");
  EXPECT_EQ(t->row(1).line(), 4);
  EXPECT_EQ(t->row(1).Get("b"), "multi\nline");
  EXPECT_EQ(t->row(2).line(), 6);
  EXPECT_EQ(*t->row(2).GetInt("c"), 9);
}

TEST(CsvTest, ErrorsNameFileLineAndField) {
  auto t = CsvTable::Parse("a,b\n1,2\n3,x\n", "p.csv");
  ASSERT_TRUE(t);
  auto v = t->row(1).GetInt("b");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message(), "p.csv:3: field 'b': expected an integer, got \"x\"");
  auto bad = CsvTable::Parse("a,b\n1,2,3\n", "q.csv");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "q.csv:2: expected 2 fields as in the header, got 3");
  EXPECT_FALSE(CsvTable::Parse("a,b\n\"open,2\n", "r.csv"));
  EXPECT_FALSE(CsvTable::Parse("", "e.csv"));
}

TEST(CsvTest, EscapeRoundTrips) {
  std::string line = CsvLine({"plain", "with,comma", "with \"quote\""});
  EXPECT_EQ(line, "plain,\"with,comma\",\"with \"\"quote\"\"\"");
  auto t = CsvTable::Parse("a,b,c\n" + line + "\n", "x");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->row(0).Get("c"), "with \"quote\"");
}

}  // namespace
}  // namespace tally
