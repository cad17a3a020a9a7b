#include "tally/scenario/upload.h"

#include <gtest/gtest.h>

#include <map>

#include "tally/base/csv.h"
#include "tally/base/file.h"

namespace tally::scenario {
namespace {

ForceStructure Load() {
  const std::string dir = std::string(TALLY_SOURCE_DIR) + "/data/structure/";
  auto systems = ReadFile(dir + "systems.csv");
  auto pools = ReadFile(dir + "pools.csv");
  EXPECT_TRUE(systems.ok() && pools.ok());
  auto fs = ParseForceStructure(*systems, "systems.csv", *pools, "pools.csv");
  EXPECT_TRUE(fs.ok()) << fs.error().ToString();
  return *fs;
}

// The published orders of magnitude: US to ~3,500 deployed, Russia to ~2,550-2,800.
TEST(UploadTest, ReproducesPublishedOrdersOfMagnitude) {
  const ForceStructure fs = Load();
  auto us = ComputeUpload(fs, "US", "fas-2025");
  ASSERT_TRUE(us.ok()) << us.error().ToString();
  EXPECT_DOUBLE_EQ(us->baseline, 1670);
  EXPECT_NEAR(us->total, 3500, 50);
  ASSERT_EQ(us->systems.size(), 3u);
  EXPECT_DOUBLE_EQ(us->systems[0].added, 400);  // Minuteman III, held by the ICBM reserve
  EXPECT_EQ(us->systems[0].limited_by, "pool icbm-reserve");
  EXPECT_DOUBLE_EQ(us->systems[1].added, 950);  // Trident: 240 x 8 - 970

  auto ru22 = ComputeUpload(fs, "RU", "fas-2022");
  ASSERT_TRUE(ru22.ok());
  EXPECT_DOUBLE_EQ(ru22->baseline, 1588);
  EXPECT_NEAR(ru22->total, 2541, 1);
  auto ru25 = ComputeUpload(fs, "RU", "fas-2025");
  ASSERT_TRUE(ru25.ok());
  // FAS 2025's rounded legs (870 + 640 + 200) sum to 1,710 against its 1,718 total.
  EXPECT_DOUBLE_EQ(ru25->baseline, 1710);
  EXPECT_NEAR(ru25->total, 2824, 1);
  EXPECT_EQ(ru25->systems[2].limited_by, "pool strategic-reserve");
  for (const auto* r : {&*us, &*ru22, &*ru25}) {
    EXPECT_DOUBLE_EQ(r->timeline.front(), r->baseline);
    EXPECT_DOUBLE_EQ(r->timeline.back(), r->total);
    for (size_t m = 1; m < r->timeline.size(); ++m) EXPECT_GE(r->timeline[m], r->timeline[m - 1]);
  }
  EXPECT_EQ(UploadCases(fs, "RU"), (std::vector<std::string>{"fas-2022", "fas-2025"}));
}

// Issue 12: every other state's structure parses, names a source and a confidence on every row,
// and its warheads (assigned to systems plus pools) add up to the military stockpile that the
// shipped default dataset (data/forces/fas_sipri_2025.csv) gives for the state.
TEST(UploadTest, OtherStatesSumToTheShippedStockpile) {
  const ForceStructure fs = Load();
  auto text = ReadFile(std::string(TALLY_SOURCE_DIR) + "/data/forces/fas_sipri_2025.csv");
  ASSERT_TRUE(text.ok());
  std::string body;  // the figures, without the dataset's '#' preamble
  for (size_t at = 0; at < text->size();) {
    size_t end = text->find('\n', at);
    end = end == std::string::npos ? text->size() : end + 1;
    if ((*text)[at] != '#') body.append(*text, at, end - at);
    at = end;
  }
  auto table = CsvTable::Parse(body, "fas_sipri_2025.csv");
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  std::map<std::string, double> stockpile;
  for (size_t i = 0; i < table->size(); ++i) {
    const CsvRow row = table->row(i);
    if (row.Get("category") == "military_stockpile") {
      stockpile[std::string(row.Get("state"))] = *ParseDouble(row.Get("value"));
    }
  }
  const std::pair<const char*, const char*> cases[] = {{"FR", "fas-2025"}, {"GB", "fas-2024"},
                                                       {"CN", "fas-2025"}, {"IN", "fas-2025"},
                                                       {"PK", "fas-2025"}, {"KP", "fas-2024"}};
  for (const auto& [state, case_id] : cases) {
    SCOPED_TRACE(state);
    ASSERT_EQ(UploadCases(fs, state), (std::vector<std::string>{case_id}));
    ASSERT_TRUE(stockpile.count(state));
    double sum = 0;
    for (const auto& s : fs.systems) {
      if (s.state != state) continue;
      EXPECT_FALSE(s.source.empty()) << s.system;
      EXPECT_FALSE(s.confidence.empty()) << s.system;
      EXPECT_NE(s.source.find("http"), std::string::npos) << s.system;  // the copy read
      sum += s.loaded;
    }
    for (const auto& p : fs.pools) {
      if (p.state != state) continue;
      EXPECT_FALSE(p.source.empty()) << p.pool;
      EXPECT_FALSE(p.confidence.empty()) << p.pool;
      sum += p.warheads;
    }
    EXPECT_DOUBLE_EQ(sum, stockpile[state]);
    auto r = ComputeUpload(fs, state, case_id);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_GE(r->total, r->baseline);
    EXPECT_LE(r->total, stockpile[state]);  // never more than the stockpile
  }
  // States with no reserve figure have no upload headroom.
  for (const char* state : {"IN", "PK", "KP"}) {
    auto r = ComputeUpload(fs, state, state == std::string("KP") ? "fas-2024" : "fas-2025");
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ(r->added, 0) << state;
  }
  auto gb = ComputeUpload(fs, "GB", "fas-2024");
  ASSERT_TRUE(gb.ok());
  EXPECT_DOUBLE_EQ(gb->baseline, 120);
  EXPECT_DOUBLE_EQ(gb->total, 225);
}

TEST(UploadTest, RateOverridesChangeTheTimelineNotTheTotal) {
  const ForceStructure fs = Load();
  auto slow = ComputeUpload(fs, "US", "fas-2025", {{"Minuteman III (LGM-30G)", 10}});
  auto fast = ComputeUpload(fs, "US", "fas-2025");
  ASSERT_TRUE(slow.ok() && fast.ok());
  EXPECT_EQ(slow->total, fast->total);
  EXPECT_EQ(slow->systems[0].months_to_full, 40);
  EXPECT_GT(slow->timeline.size(), fast->timeline.size());
}

TEST(UploadTest, BadStructureFilesNameFileLineAndField) {
  const std::string pools = "state,case,pool,warheads,confidence,source,note\nUS,c,p,100,x,src,\n";
  const std::string header =
      "state,case,system,leg,as_of,launchers,warheads_loaded,max_per_launcher,capacity,"
      "upload_per_month,pools,confidence,source,note\n";
  struct Case {
    std::string row, expect;
  };
  const Case cases[] = {
      {"US,c,s,ICBM,2025,-4,4,1,,1,p,x,src,\n", "systems.csv:2: field 'launchers'"},
      {"US,c,s,ICBM,2025,4,5,1,,1,p,x,src,\n", "systems.csv:2: field 'warheads_loaded'"},
      {"US,c,s,ICBM,2025,4,4,1,,1,q,x,src,\n", "systems.csv:2: field 'pools'"},
      {"ZZ,c,s,ICBM,2025,4,4,1,,1,p,x,src,\n", "systems.csv:2: field 'state'"},
      {"US,c,s,ICBM,2025,4,4,1,,1,p,x,,\n", "systems.csv:2: field 'source'"},
  };
  for (const auto& c : cases) {
    auto fs = ParseForceStructure(header + c.row, "systems.csv", pools, "pools.csv");
    ASSERT_FALSE(fs.ok()) << c.row;
    EXPECT_NE(fs.error().message().find(c.expect), std::string::npos) << fs.error().message();
  }
  auto extra = ParseForceStructure(
      header, "systems.csv", "state,case,pool,warheads,confidence,source,note,x\n", "pools.csv");
  EXPECT_FALSE(extra.ok());
}

}  // namespace
}  // namespace tally::scenario
