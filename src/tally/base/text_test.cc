#include "tally/base/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tally {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("plain ascii"));
  EXPECT_TRUE(IsUtf8("Zoë, Ж, 中, \xF0\x9F\x98\x80"));
}

TEST(Utf8, RefusesIllFormedText) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("x\xED\xA0\x80"), 1u);     // surrogate U+D800
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("\xE2\x82"), 0u);          // cut short
  EXPECT_EQ(FirstInvalidUtf8("\x80"), 0u);              // lone continuation
}

TEST(QuoteText, EscapesAndBounds) {
  EXPECT_EQ(QuoteText("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(QuoteText(std::string("a\0b", 3)), "\"a\\x00b\"");
  EXPECT_EQ(QuoteText("a\xff"), "\"a\\xff\"");
  const std::string big(1 << 20, 'x');
  const std::string q = QuoteText(big);
  EXPECT_LT(q.size(), 120u);
  EXPECT_NE(q.find("(1048576 bytes)"), std::string::npos);
  // A cut never splits a character.
  std::string euros;
  for (int i = 0; i < 40; ++i) euros += "\xE2\x82\xAC";
  EXPECT_TRUE(IsUtf8(QuoteText(euros)));
}

TEST(Utf8Problem, NamesTheByteAndOffset) {
  EXPECT_EQ(Utf8Problem("fine"), "");
  EXPECT_EQ(Utf8Problem("ab\xfe"), "byte 0xfe (not UTF-8) at offset 2 of \"ab\\xfe\"");
}

TEST(BoundMessage, CutsLongMessages) {
  EXPECT_EQ(BoundMessage("short"), "short");
  const std::string m = BoundMessage(std::string(3 << 20, 'y'));
  EXPECT_LE(m.size(), kMaxMessageBytes);
  EXPECT_NE(m.find("message cut"), std::string::npos);
}

TEST(DidYouMean, SuggestsCloseIdsOnly) {
  const std::vector<std::string> ids = {"new-start", "inf", "start-i", "trilateral"};
  EXPECT_EQ(DidYouMean("new-strat", ids), "; did you mean 'new-start'?");
  EXPECT_EQ(DidYouMean("NEW-START", ids), "; did you mean 'new-start'?");
  EXPECT_EQ(DidYouMean("salt", ids), "");
  const std::vector<std::string> cols = {"confidence", "state"};
  EXPECT_EQ(DidYouMean("confidnce", cols), "; did you mean 'confidence'?");
}

}  // namespace
}  // namespace tally
