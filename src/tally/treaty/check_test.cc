#include "tally/treaty/check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tally/treaty/posture_file.h"
#include "tally/treaty/treaty_set.h"

namespace tally::treaty {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto set = LoadDefaultTreaties();
    ASSERT_TRUE(set.ok()) << set.error().ToString();
    treaties_ = std::move(*set);
    new_start_ = *treaties_.Get("new-start");
  }
  static model::Posture P(const char* party, const char* date, int64_t dv, int64_t wh, int64_t l) {
    model::Posture p;
    p.party = party;
    p.as_of = D(date);
    p.Set("deployed_delivery_vehicles", dv);
    p.Set("deployed_warheads", wh);
    p.Set("launchers", l);
    return p;
  }
  TreatySet treaties_;
  const Treaty* new_start_ = nullptr;
};

TEST_F(CheckTest, ReplayOfThePublishedTable) {
  auto rows = NewStartAggregates();
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 50u);
  int compliant = 0, pending = 0, no_data = 0;
  for (const CheckResult& r : CheckAll(*new_start_, *rows)) {
    EXPECT_NE(r.verdict, Verdict::kViolation) << r.source;
    if (r.date < D("2018-02-05")) {
      EXPECT_EQ(r.verdict, Verdict::kLimitsNotYetEffective) << r.source;
      ++pending;
    } else if (r.party == "RU" && r.date == D("2023-03-01")) {
      EXPECT_EQ(r.verdict, Verdict::kNoData);  // "not provided" is not zero
      for (const LimitResult& l : r.limits) EXPECT_FALSE(l.counted.has_value());
      ++no_data;
    } else {
      EXPECT_EQ(r.verdict, Verdict::kCompliant) << r.source;
      ++compliant;
    }
  }
  EXPECT_EQ(pending, 28);
  EXPECT_EQ(compliant, 21);
  EXPECT_EQ(no_data, 1);
}

// START I: the 1990 MOU predates signature (not in force); Russia's statement of the day the final
// limits applied is within the two limits it gives, and the limits it leaves out make it no_data.
TEST_F(CheckTest, ReplayOfTheStartITable) {
  const Treaty& start1 = **treaties_.Get("start-i");
  auto rows = StartIAggregates();
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  std::vector<CheckResult> rs = CheckAll(start1, *rows);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].verdict, Verdict::kNotInForce);
  EXPECT_EQ(rs[1].verdict, Verdict::kNotInForce);
  const CheckResult& ru = rs[2];
  EXPECT_EQ(ru.party, "RU");
  EXPECT_EQ(ru.verdict, Verdict::kNoData);
  for (const LimitResult& l : ru.limits) {
    EXPECT_TRUE(l.effective) << l.limit->id;
    if (l.limit->id == "delivery-vehicles") {
      EXPECT_EQ(l.margin, 1600 - 1136);
    }
    if (l.limit->id == "accountable-warheads") {
      EXPECT_EQ(l.margin, 6000 - 5518);
    }
    if (l.counted) {
      EXPECT_TRUE(*l.ok) << l.limit->id;
    }
  }
  EXPECT_EQ(WorstVerdict(rs), Verdict::kNoData);
}

// The forces of the 1990 MOU, held after entry into force: pending before 2001-12-05, a violation
// with the published margins from that day (the seven-year limits have no phase-in in the file).
TEST_F(CheckTest, StartIPhasedLimitsApplyFrom2001_12_05) {
  const Treaty& start1 = **treaties_.Get("start-i");
  auto rows = StartIAggregates();
  ASSERT_TRUE(rows.ok());
  const model::Posture& ussr = (*rows)[1];
  CheckResult before = Check(start1, ussr, {.date = D("2001-12-04")});
  EXPECT_EQ(before.verdict, Verdict::kLimitsNotYetEffective);
  for (const LimitResult& l : before.limits) EXPECT_FALSE(l.effective) << l.limit->id;
  CheckResult after = Check(start1, ussr, {.date = D("2001-12-05")});
  EXPECT_EQ(after.verdict, Verdict::kViolation);
  std::map<std::string, int64_t> margins;
  for (const LimitResult& l : after.limits) {
    if (l.margin) margins[l.limit->id] = *l.margin;
  }
  EXPECT_EQ(margins["delivery-vehicles"], 1600 - 2500);
  EXPECT_EQ(margins["accountable-warheads"], 6000 - 10271);
  EXPECT_EQ(margins["ballistic-missile-warheads"], 4900 - 9416);
  EXPECT_EQ(margins["heavy-icbm-warheads"], 1540 - 3080);
  EXPECT_EQ(margins["mobile-icbm-warheads"], 1100 - 618);
  EXPECT_EQ(margins.count("throw-weight"), 0u);  // not provided, not zero
  // After expiry (2009-12-05) nothing is checked any more.
  EXPECT_EQ(Check(start1, ussr, {.date = D("2009-12-05")}).verdict, Verdict::kNotInForce);
}

TEST_F(CheckTest, ExceedingALimitAfter2018IsAViolationWithTheRightMargin) {
  CheckResult r = Check(*new_start_, P("RU", "2022-09-01", 540, 1600, 759));
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  ASSERT_EQ(r.limits.size(), 3u);
  EXPECT_EQ(r.limits[1].counted, 1600);
  EXPECT_EQ(r.limits[1].margin, -50);
  EXPECT_EQ(r.limits[1].ok, false);
  EXPECT_EQ(r.limits[0].margin, 160);
  EXPECT_EQ(r.limits[0].ok, true);
  EXPECT_EQ(VerdictExitCode(r.verdict), 1);
}

TEST_F(CheckTest, BeforeTheLimitsDateMarginsButNoViolation) {
  CheckResult r = Check(*new_start_, P("US", "2011-02-05", 882, 1800, 1124));
  EXPECT_EQ(r.verdict, Verdict::kLimitsNotYetEffective);
  EXPECT_EQ(r.limits[0].margin, -182);
  EXPECT_FALSE(r.limits[0].effective);
  EXPECT_EQ(VerdictExitCode(r.verdict), 0);
}

TEST_F(CheckTest, OutsideTheTreatysLife) {
  EXPECT_EQ(Check(*new_start_, P("US", "2010-06-01", 1, 1, 1)).verdict, Verdict::kNotInForce);
  EXPECT_EQ(Check(*new_start_, P("US", "2026-02-05", 900, 2000, 900)).verdict,
            Verdict::kNotInForce);
  EXPECT_EQ(Check(*new_start_, P("US", "2026-02-04", 900, 2000, 900)).verdict, Verdict::kViolation);
  EXPECT_EQ(Check(*new_start_, P("CN", "2020-01-01", 1, 1, 1)).verdict, Verdict::kNotAParty);
  const Treaty& salt2 = **treaties_.Get("salt-ii");
  model::Posture p;
  p.party = "US";
  p.as_of = D("1982-01-01");
  p.Set("sndv", 5000);
  EXPECT_EQ(Check(salt2, p).verdict, Verdict::kNotInForce);
}

TEST_F(CheckTest, MissingIsNeverZero) {
  model::Posture p = P("US", "2020-09-01", 675, 1457, 800);
  p.counts[1].value = std::nullopt;
  CheckResult r = Check(*new_start_, p);
  EXPECT_EQ(r.verdict, Verdict::kNoData);
  EXPECT_FALSE(r.limits[1].ok.has_value());
  // ...but an exceeded limit is still a violation.
  p.counts[0].value = 701;
  EXPECT_EQ(Check(*new_start_, p).verdict, Verdict::kViolation);
}

TEST_F(CheckTest, DateOverrideAndAliases) {
  model::Posture p;
  p.party = "US";
  p.as_of = D("2011-01-01");
  p.Set("deployed_icbm_slbm_hb", 701);
  p.Set("warheads_on_deployed", 1000);
  p.Set("deployed_and_nondeployed_launchers", 700);
  EXPECT_EQ(Check(*new_start_, p).verdict, Verdict::kNotInForce);
  CheckResult r = Check(*new_start_, p, CheckOptions{D("2019-01-01")});
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.limits[0].margin, -1);
}

TEST_F(CheckTest, PerPartyLimitsAndPhases) {
  const Treaty& salt1 = **treaties_.Get("salt-i");
  model::Posture p;
  p.party = "RU";
  p.as_of = D("1975-01-01");
  p.Set("icbm_launchers", 1610);
  p.Set("slbm_launchers", 740);
  p.Set("modern_ssbns", 62);
  CheckResult r = Check(salt1, p);
  EXPECT_EQ(r.verdict, Verdict::kCompliant);
  EXPECT_EQ(r.limits[0].max, 1618);
  p.party = "US";
  r = Check(salt1, p);
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.limits[0].margin, 1054 - 1610);

  const Treaty& tri = **treaties_.Get("trilateral-example");
  model::Posture cn;
  cn.party = "CN";
  cn.as_of = D("2036-01-01");
  cn.Set("deployed_delivery_vehicles", 300);
  cn.Set("deployed_warheads", 1100);
  cn.Set("launchers", 400);
  cn.Set("total_warheads", 1400);
  r = Check(tri, cn);
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.limits[1].max, 1000);
  EXPECT_EQ(r.limits[1].margin, -100);
}

TEST_F(CheckTest, WorstVerdict) {
  std::vector<CheckResult> rs(2);
  rs[0].verdict = Verdict::kCompliant;
  rs[1].verdict = Verdict::kNoData;
  EXPECT_EQ(WorstVerdict(rs), Verdict::kNoData);
  rs[0].verdict = Verdict::kViolation;
  EXPECT_EQ(WorstVerdict(rs), Verdict::kViolation);
  EXPECT_EQ(VerdictName(Verdict::kLimitsNotYetEffective), "limits_not_yet_effective");
}

}  // namespace
}  // namespace tally::treaty
