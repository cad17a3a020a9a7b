#include "tally/tlog/tile.h"

#include <gtest/gtest.h>

#include "tally/tlog/entry.h"

namespace tally::tlog {
namespace {

TEST(TilePath, EncodesAsTheSpec) {
  EXPECT_EQ(EncodeTileIndex(0), "000");
  EXPECT_EQ(EncodeTileIndex(999), "999");
  EXPECT_EQ(EncodeTileIndex(1000), "x001/000");
  EXPECT_EQ(EncodeTileIndex(1234067), "x001/x234/067");
  EXPECT_EQ(TilePath({0, 273, 112}), "tile/0/273.p/112");
  EXPECT_EQ(TilePath({1, 1, 17}), "tile/1/001.p/17");
  EXPECT_EQ(TilePath({kEntriesLevel, 1234067, 256}), "tile/entries/x001/x234/067");
  for (const TileId& id :
       {TileId{0, 0, 256}, TileId{2, 1234067, 5}, TileId{kEntriesLevel, 1000, 255},
        TileId{63, ~uint64_t{0} / 1000, 256}}) {
    auto back = ParseTilePath(TilePath(id));
    ASSERT_TRUE(back.ok()) << TilePath(id);
    EXPECT_EQ(*back, id);
  }
  for (const char* bad :
       {"tile/0/1", "tile/00/001", "tile/0/x000/001", "tile/0/001.p/0", "tile/0/001.p/256",
        "tile/0/001.p/07", "tile/64/001", "tile/0/x1/001", "tiles/0/001", "tile/entries/001.p/"}) {
    EXPECT_FALSE(ParseTilePath(bad).ok()) << bad;
  }
}

TEST(TileWidth, MatchesTheSpecExample) {
  // Size 70,000: 273 full level-0 tiles + 273.p/112; tile/1/000 + 001.p/17; tile/2/000.p/1.
  EXPECT_EQ(TileWidthAt(0, 272, 70000), 256);
  EXPECT_EQ(TileWidthAt(0, 273, 70000), 112);
  EXPECT_EQ(TileWidthAt(0, 274, 70000), 0);
  EXPECT_EQ(TileWidthAt(1, 0, 70000), 256);
  EXPECT_EQ(TileWidthAt(1, 1, 70000), 17);
  EXPECT_EQ(TileWidthAt(2, 0, 70000), 1);
  EXPECT_EQ(TileWidthAt(3, 0, 70000), 0);
  EXPECT_EQ(TileWidthAt(1, 0, 256), 1);
}

TEST(EntryBundle, RoundTripsAndRejectsDamage) {
  std::vector<std::string> entries = {"", "a", std::string(300, 'x'), std::string(65535, 'y')};
  const std::string data = EncodeEntryBundle(entries);
  auto back = ParseEntryBundle(data, 4, "b");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, entries);
  EXPECT_FALSE(ParseEntryBundle(data, 3, "b").ok());
  EXPECT_FALSE(ParseEntryBundle(data, 5, "b").ok());
  EXPECT_FALSE(ParseEntryBundle(data.substr(0, data.size() - 1), 4, "b").ok());
  EXPECT_FALSE(ParseEntryBundle(data + "z", 4, "b").ok());
}

TEST(HashTile, ChecksLength) {
  std::vector<merkle::Hash> h(3, merkle::EmptyRoot());
  const std::string data = EncodeHashTile(h);
  EXPECT_TRUE(ParseHashTile(data, 3, "t").ok());
  EXPECT_FALSE(ParseHashTile(data, 2, "t").ok());
  EXPECT_FALSE(ParseHashTile(data.substr(1), 3, "t").ok());
}

TEST(Entry, EncodesCanonicallyAndRejectsDamage) {
  Entry e{static_cast<uint16_t>(EntryKind::kNotification), "US", 1767225600, "hello"};
  auto bytes = EncodeEntry(e);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->size(), kEntryFixedSize + 2 + 5);
  EXPECT_EQ(bytes->substr(0, 7), std::string("tly\x01\x00\x03\x02", 7));
  auto back = DecodeEntry(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, e);
  Entry neg{static_cast<uint16_t>(EntryKind::kFinding), "RU", -86400, ""};
  EXPECT_EQ(*DecodeEntry(*EncodeEntry(neg)), neg);
  EXPECT_FALSE(DecodeEntry(bytes->substr(0, bytes->size() - 1)).ok());
  EXPECT_FALSE(DecodeEntry(*bytes + "x").ok());
  EXPECT_FALSE(DecodeEntry("raw line").ok());
  EXPECT_FALSE(EncodeEntry({0, "US", 0, ""}).ok());
  EXPECT_FALSE(EncodeEntry({1, "", 0, ""}).ok());
  EXPECT_FALSE(EncodeEntry({1, "U S", 0, ""}).ok());
  EXPECT_FALSE(EncodeEntry({1, "US", 0, std::string(65535, 'x')}).ok());
  EXPECT_TRUE(EncodeEntry({1, "US", 0, std::string(65535 - kEntryFixedSize - 2, 'x')}).ok());
  EXPECT_EQ(*KindFromName("declaration"), 2);
  EXPECT_EQ(*KindFromName("700"), 700);
  EXPECT_FALSE(KindFromName("nonsense").ok());
  EXPECT_EQ(*KindName(3), "notification");
  EXPECT_FALSE(KindName(700).has_value());
}

}  // namespace
}  // namespace tally::tlog
