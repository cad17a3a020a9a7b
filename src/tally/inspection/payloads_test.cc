// The canonical payloads: exact bytes, round trips and the strict parser's messages.
#include "tally/inspection/payloads.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tally::inspection {
namespace {

using ::testing::HasSubstr;

TEST(PayloadsTest, CanonicalBytes) {
  EXPECT_EQ(EncodeRequest({"RU-2020-1", "new-start", "type-one", "US", "Minot AFB"}),
            R"({"format":"tally-inspection-request/1","inspected":"US","inspection":"RU-2020-1",)"
            R"("site":"Minot AFB","treaty":"new-start","type":"type-one"})");
  Hash32 h;
  h.fill(0xab);
  std::string ab;
  for (int i = 0; i < 32; ++i) ab += "ab";
  EXPECT_EQ(EncodeOpening({"x", OpeningPhase::kDesignated, h, {3, 17}}),
            R"({"bundle_sha256":")" + ab +
                R"(","format":"tally-inspection-opening/1","inspection":"x","leaves":[3,17],)"
                R"("phase":"designated"})");
  EXPECT_EQ(RoundId("RU-1"), "tally/inspection/RU-1/items");
}

TEST(PayloadsTest, RoundTrips) {
  Hash32 h;
  h.fill(7);
  const Request r{"RU-1", "new-start", "type-one", "US", "Minot AFB"};
  EXPECT_EQ(*ParseRequest(EncodeRequest(r), "t"), r);
  const Opening o{"RU-1", OpeningPhase::kSite, h, {0, 5, 9}};
  EXPECT_EQ(*ParseOpening(EncodeOpening(o), "t"), o);
  const RandomnessCommit c{"RU-1", RoundId("RU-1"), h};
  EXPECT_EQ(*ParseCommit(EncodeCommit(c), "t"), c);
  const RandomnessReveal v{"RU-1", RoundId("RU-1"), h};
  EXPECT_EQ(*ParseReveal(EncodeReveal(v), "t"), v);
  const Finding f{"RU-1", h, 2};
  EXPECT_EQ(*ParseFinding(EncodeFinding(f), "t"), f);
  const Findings d{"RU-1", {{"A", "deployed", 1}, {"B", "non_deployed", 0}}};
  EXPECT_EQ(*ParseFindings(EncodeFindings(d), "t"), d);
}

TEST(PayloadsTest, StrictParsingNamesTheField) {
  const std::string req = EncodeRequest({"RU-1", "new-start", "type-one", "US", "Minot AFB"});
  struct Case {
    std::string text;
    std::string want;
  };
  std::string extra = req;
  extra.insert(1, R"("color":"red",)");
  std::string bad_party = req;
  bad_party.replace(bad_party.find("\"US\""), 4, "\"U S\"");
  const std::vector<Case> cases = {
      {"[]", "e: field '(payload)': expected a JSON object, got an array"},
      {"{", "e: not valid JSON"},
      {extra, "e: field 'color': expected a known key, got an unknown key"},
      {bad_party, "e: field 'inspected': expected a party code"},
      {R"({"format":"tally-inspection-request/2"})", "e: field 'format'"},
      {R"({"format":"tally-inspection-request/1","inspection":5})",
       "e: field 'inspection': expected a string, got 5"},
      {R"({"format":"tally-inspection-request/1","inspection":"a b"})",
       "e: field 'inspection': expected an inspection id"},
      {R"({"format":"tally-inspection-request/1","inspection":"a"})",
       "e: field 'treaty': expected a value, got nothing (the key is required)"},
  };
  for (const Case& c : cases) {
    auto r = ParseRequest(c.text, "e");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_THAT(r.error().message(), HasSubstr(c.want)) << c.text;
  }
  auto o = ParseOpening(
      R"({"bundle_sha256":"AB","format":"tally-inspection-opening/1","inspection":"x","leaves":[],"phase":"site"})",
      "e");
  EXPECT_THAT(o.error().message(), HasSubstr("field 'bundle_sha256': expected 64 lower-case hex"));
  o = ParseOpening(
      R"({"bundle_sha256":")" + std::string(64, '0') +
          R"(","format":"tally-inspection-opening/1","inspection":"x","leaves":[4,4],"phase":"site"})",
      "e");
  EXPECT_THAT(o.error().message(), HasSubstr("field 'leaves[1]': expected a leaf position above"));
  o = ParseOpening(
      R"({"bundle_sha256":")" + std::string(64, '0') +
          R"(","format":"tally-inspection-opening/1","inspection":"x","leaves":[-1],"phase":"site"})",
      "e");
  EXPECT_THAT(o.error().message(), HasSubstr("field 'leaves[0]': expected an integer"));
  auto c =
      ParseCommit(R"({"commitment":")" + std::string(64, '0') +
                      R"(","format":"tally-inspection-commit/1","inspection":"x","round":"other"})",
                  "e");
  EXPECT_THAT(c.error().message(),
              HasSubstr("field 'round': expected \"tally/inspection/x/items\", got \"other\""));
  auto f = ParseFindings(
      R"({"format":"tally-inspection-findings/1","inspection":"x","observed":[{"uid":"A","status":"ready","warheads":1}]})",
      "e");
  EXPECT_THAT(f.error().message(),
              HasSubstr("field 'observed[0].status': expected an item status"));
  f = ParseFindings(
      R"({"format":"tally-inspection-findings/1","inspection":"x","observed":[{"uid":"B","status":"deployed","warheads":1},{"uid":"A","status":"deployed","warheads":1}]})",
      "e");
  EXPECT_THAT(f.error().message(),
              HasSubstr("field 'observed[1].uid': expected uids in ascending"));
  f = ParseFindings(
      R"({"format":"tally-inspection-findings/1","inspection":"x","observed":[{"uid":"B","status":"deployed"}]})",
      "e");
  EXPECT_THAT(f.error().message(), HasSubstr("field 'observed[0].warheads': expected a value"));
}

}  // namespace
}  // namespace tally::inspection
