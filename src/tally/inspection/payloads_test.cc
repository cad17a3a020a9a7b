// The canonical payloads: exact bytes, round trips and the strict parser's messages.
#include "tally/inspection/payloads.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tally::inspection {
namespace {

using ::testing::HasSubstr;

Citation Seen(uint64_t size, uint8_t fill) {
  Citation c;
  c.size = size;
  c.root.fill(fill);
  return c;
}

TEST(PayloadsTest, CanonicalBytes) {
  const std::string zeros(64, '0');
  EXPECT_EQ(EncodeRequest({"RU-2020-1", "new-start", "type-one", "US", "Minot AFB", Seen(7, 0)}),
            R"({"format":"tally-inspection-request/2","inspected":"US","inspection":"RU-2020-1",)"
            R"("seen":{"root":")" +
                zeros +
                R"(","size":7},"site":"Minot AFB","treaty":"new-start","type":"type-one"})");
  Hash32 h;
  h.fill(0xab);
  std::string ab;
  for (int i = 0; i < 32; ++i) ab += "ab";
  // No leaf positions on the public log: the hash of the partner-only bundle only.
  EXPECT_EQ(EncodeOpening({"x", OpeningPhase::kDesignated, h, Seen(3, 0)}),
            R"({"bundle_sha256":")" + ab +
                R"(","format":"tally-inspection-opening/2","inspection":"x","phase":"designated",)"
                R"("seen":{"root":")" +
                zeros + R"(","size":3}})");
  EXPECT_EQ(RoundId("RU-1"), "tally/inspection/RU-1/items");
  EXPECT_TRUE(IdBelongsTo("RU-1", "RU"));
  EXPECT_FALSE(IdBelongsTo("RU-1", "US"));
  EXPECT_FALSE(IdBelongsTo("RU", "RU"));
  EXPECT_FALSE(IdBelongsTo("RUS-1", "RU"));
}

TEST(PayloadsTest, RoundTrips) {
  Hash32 h;
  h.fill(7);
  const Request r{"RU-1", "new-start", "type-one", "US", "Minot AFB", Seen(12, 9)};
  EXPECT_EQ(*ParseRequest(EncodeRequest(r), "t"), r);
  const Opening o{"RU-1", OpeningPhase::kSite, h, Seen(4, 1)};
  EXPECT_EQ(*ParseOpening(EncodeOpening(o), "t"), o);
  const RandomnessCommit c{"RU-1", RoundId("RU-1"), h, Seen(5, 2)};
  EXPECT_EQ(*ParseCommit(EncodeCommit(c), "t"), c);
  const RandomnessReveal v{"RU-1", RoundId("RU-1"), h, Seen(6, 3)};
  EXPECT_EQ(*ParseReveal(EncodeReveal(v), "t"), v);
  const Finding f{"RU-1", h, Seen(7, 4)};
  EXPECT_EQ(*ParseFinding(EncodeFinding(f), "t"), f);
  const Findings d{"RU-1", {{"A", "deployed", 1}, {"B", "non_deployed", 0}}};
  EXPECT_EQ(*ParseFindings(EncodeFindings(d), "t"), d);
}

TEST(PayloadsTest, StrictParsingNamesTheField) {
  const std::string req =
      EncodeRequest({"RU-1", "new-start", "type-one", "US", "Minot AFB", Seen(1, 0)});
  struct Case {
    std::string text;
    std::string want;
  };
  std::string extra = req;
  extra.insert(1, R"("color":"red",)");
  std::string bad_party = req;
  bad_party.replace(bad_party.find("\"US\""), 4, "\"U S\"");
  std::string upper = req;
  upper.replace(upper.find("\"root\":\"") + 8, 2, "AB");
  std::string seen_extra = req;
  seen_extra.insert(seen_extra.find("\"size\""), R"("x":1,)");
  const std::string v2 = R"({"format":"tally-inspection-request/2")";
  const std::vector<Case> cases = {
      {"[]", "e: field '(payload)': expected a JSON object, got an array"},
      {"{", "e:1:2: invalid JSON"},
      {std::string(100, '[') + std::string(100, ']'), "expected a JSON object at most 4 levels"},
      {extra, "e: field 'color': expected a known key, got an unknown key"},
      {bad_party, "e: field 'inspected': expected a party code"},
      {upper, "e: field 'seen.root': expected 64 lower-case hex digits"},
      {seen_extra, "e: field 'seen.x': expected a known key"},
      {R"({"format":"tally-inspection-request/1"})",
       "e: field 'format': expected \"tally-inspection-request/2\""},
      {v2 + R"(,"inspection":5})", "e: field 'inspection': expected a string, got 5"},
      {v2 + R"(,"inspection":"a b"})", "e: field 'inspection': expected an inspection id"},
      {v2 + R"(,"inspection":"a"})",
       "e: field 'treaty': expected a value, got nothing (the key is required)"},
  };
  for (const Case& c : cases) {
    auto r = ParseRequest(c.text, "e");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_THAT(r.error().message(), HasSubstr(c.want)) << c.text;
  }
  const std::string seen = R"(,"seen":{"root":")" + std::string(64, '0') + R"(","size":1})";
  auto o = ParseOpening(
      R"({"bundle_sha256":"AB","format":"tally-inspection-opening/2","inspection":"x","phase":"site")" +
          seen + "}",
      "e");
  EXPECT_THAT(o.error().message(), HasSubstr("field 'bundle_sha256': expected 64 lower-case hex"));
  // The first version's leaf positions are refused: one accepted encoding.
  o = ParseOpening(R"({"bundle_sha256":")" + std::string(64, '0') +
                       R"(","format":"tally-inspection-opening/2","inspection":"x","leaves":[4],)"
                       R"("phase":"site")" +
                       seen + "}",
                   "e");
  EXPECT_THAT(o.error().message(), HasSubstr("field 'leaves': expected a known key"));
  auto c = ParseCommit(
      R"({"commitment":")" + std::string(64, '0') +
          R"(","format":"tally-inspection-commit/2","inspection":"x","round":"other")" + seen + "}",
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
