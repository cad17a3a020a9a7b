#include "tally/jsondoc/reader.h"

#include <gtest/gtest.h>

#include <string>

namespace tally::jsondoc {
namespace {

TEST(ParseJson, ReadsADocument) {
  auto j = ParseJson(R"({"a": [1, 2.5, "x"], "b": null})", "doc.json");
  ASSERT_TRUE(j.ok()) << j.error().message();
  EXPECT_EQ((*j)["a"][2], "x");
}

TEST(ParseJson, RefusesDeepNestingWithoutCrashing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto j = ParseJson(deep, "d.json");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(j.error().message(),
            "d.json:1:65: invalid JSON: nested deeper than 64 arrays or objects");
  const std::string objects = [] {
    std::string s;
    for (int i = 0; i < 50000; ++i) s += "{\"a\":";
    return s + "1" + std::string(50000, '}');
  }();
  EXPECT_FALSE(ParseOrderedJson(objects, "o.json").ok());
  // At the limit it is still accepted.
  EXPECT_TRUE(ParseJson(std::string(64, '[') + std::string(64, ']'), "ok.json").ok());
}

TEST(ParseJson, SpeaksTallysWordsWithLineAndColumn) {
  auto j = ParseJson("{\n  \"a\": tru\n}", "p.json");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().message().rfind("p.json:2:", 0), 0u) << j.error().message();
  EXPECT_EQ(j.error().message().find("json.exception"), std::string::npos);
  EXPECT_EQ(j.error().message().find("syntax error"), std::string::npos);

  auto overflow = ParseJson("[-1e99999]", "n.json");
  ASSERT_FALSE(overflow.ok());
  EXPECT_NE(overflow.error().message().find("n.json:1:"), std::string::npos);
  EXPECT_NE(overflow.error().message().find("too large"), std::string::npos)
      << overflow.error().message();

  auto early = ParseJson("{\"a\": [1, 2", "e.json");
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.error().message().find("ends early"), std::string::npos)
      << early.error().message();
}

TEST(ParseJson, RefusesNonUtf8AndDuplicateKeys) {
  auto bad = ParseJson("{\"note\": \"a\xff\"}", "u.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("not UTF-8"), std::string::npos) << bad.error().message();
  EXPECT_NE(bad.error().message().find("u.json:1:"), std::string::npos);

  auto surrogate = ParseJson(R"(["\ud800"])", "s.json");
  EXPECT_FALSE(surrogate.ok());

  auto dup = ParseJson(R"({"a": 1, "a": 2})", "k.json");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message().find("\"a\" appears twice"), std::string::npos);
}

TEST(ParseJson, BoundsWhatItQuotes) {
  const std::string text = "[\"" + std::string(200000, 'x') + "\" junk]";
  auto j = ParseJson(text, "big.json");
  ASSERT_FALSE(j.ok());
  EXPECT_LT(j.error().message().size(), 300u);
}

TEST(Describe, IsBounded) {
  nlohmann::json big = std::string(10000, 'z');
  EXPECT_LT(Describe(big).size(), 120u);
  EXPECT_EQ(KindOf(nlohmann::json(1.5)), "a number");
  EXPECT_EQ(KindOf(nlohmann::json(2)), "an integer");
}

}  // namespace
}  // namespace tally::jsondoc
