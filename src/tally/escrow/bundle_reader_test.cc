#include "tally/escrow/bundle_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "tally/base/file.h"

namespace tally::escrow {
namespace {

std::string Seed(const std::string& name) {
  return ReadFile(std::string(TALLY_SOURCE_DIR) + "/fuzz/corpus/opening_bundle/" + name).value();
}

// The fast reader reads what tally writes, to the same bundle as the document reader.
TEST(BundleReaderTest, ReadsBundlesAsTheDocumentReaderDoes) {
  for (const char* name : {"icbm.json", "all.json"}) {
    const std::string text = Seed(name);
    auto fast = FastBundleFromJson(text);
    ASSERT_TRUE(fast.has_value()) << name;
    auto document = BundleFromJsonDocument(text, name);
    ASSERT_TRUE(document.ok()) << document.error().message();
    EXPECT_EQ(BundleToJson(*fast), BundleToJson(*document)) << name;
    EXPECT_EQ(BundleToJson(*fast), text) << name;  // and tally's own output round-trips
  }
}

// What it does not handle it declines, and BundleFromJson still gives the document reader's
// answer: escapes, a repeated key whose last value is wrong, trailing text, floats, a missing
// field.
TEST(BundleReaderTest, DeclinesWhatItDoesNotHandle) {
  const std::string icbm = Seed("icbm.json");
  EXPECT_FALSE(FastBundleFromJson(Seed("escaped.json")).has_value());
  EXPECT_TRUE(BundleFromJson(Seed("escaped.json"), "e.json").ok());
  EXPECT_FALSE(FastBundleFromJson(Seed("repeated_key.json")).has_value());
  EXPECT_FALSE(BundleFromJson(Seed("repeated_key.json"), "r.json").ok());
  EXPECT_FALSE(FastBundleFromJson(icbm + "x").has_value());
  std::string floaty = icbm;
  floaty.replace(floaty.find("\"leaves\": 16"), 12, "\"leaves\": 16.0");
  EXPECT_FALSE(FastBundleFromJson(floaty).has_value());
  auto r = BundleFromJson(floaty, "f.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("declaration.leaves"), std::string::npos);
  std::string missing = icbm;
  missing.replace(missing.find("\"format\""), 8, "\"formal\"");
  EXPECT_FALSE(FastBundleFromJson(missing).has_value());
  EXPECT_FALSE(BundleFromJson(missing, "m.json").ok());
}

}  // namespace
}  // namespace tally::escrow
