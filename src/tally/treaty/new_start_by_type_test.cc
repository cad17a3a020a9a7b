// data/new_start/by_type.csv (the State Department's per-type New START figures, as published)
// cross-checked against data/new_start/aggregates.csv (the aggregate figures, from other
// publications): two sourced files that must agree wherever both give a count.
//
// Rules, as data/new_start/README.md states them:
// - Per exchange date and party, the deployed check applies when each of the three categories
//   (icbm, slbm, heavy_bomber) has rows and every row that is used has `deployed`; the sum must
//   equal `deployed_icbm_slbm_hb`.
// - The launcher check applies likewise with each category's launcher count: `launchers` for ICBMs
//   and SLBMs; for heavy bombers `launchers` (deployed and non-deployed heavy bombers) or, where
//   only the split is published, `deployed + non_deployed`. The sum must equal
//   `deployed_and_nondeployed_launchers`.
// - A category with a row for system `all` (the category total as published) is counted from that
//   row; where its per-type rows all give a column that the `all` row gives, they must sum to it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "tally/base/csv.h"
#include "tally/data/embedded.h"

namespace tally::treaty {
namespace {

using Key = std::pair<std::string, std::string>;  // as_of_date, party (as written in the files)

struct TypeRow {
  std::string where;
  std::string category;
  std::string system;
  std::map<std::string, std::optional<int64_t>> counts;
};

const char* const kCounts[] = {"deployed",           "non_deployed",           "launchers",
                               "deployed_launchers", "non_deployed_launchers", "test",
                               "non_nuclear"};
const char* const kCategories[] = {"icbm", "slbm", "heavy_bomber"};

CsvTable Load(const char* path) {
  auto text = data::EmbeddedFile(path);
  EXPECT_TRUE(text.has_value()) << path << " is not embedded (data/ glob in src/tally/data)";
  auto table = CsvTable::Parse(text.value_or(""), path);
  EXPECT_TRUE(table.ok()) << table.error().ToString();
  return table.ok() ? *table : *CsvTable::Parse("x\n", path);
}

std::map<Key, std::vector<TypeRow>> ByExchange(const CsvTable& t) {
  std::map<Key, std::vector<TypeRow>> out;
  for (size_t i = 0; i < t.size(); ++i) {
    CsvRow r = t.row(i);
    TypeRow row{r.Where(), std::string(r.Get("category")), std::string(r.Get("system")), {}};
    for (const char* c : kCounts) {
      auto v = r.GetOptionalInt(c);
      EXPECT_TRUE(v.ok()) << v.error().ToString();
      row.counts[c] = v.ok() ? *v : std::nullopt;
    }
    out[{std::string(r.Get("as_of_date")), std::string(r.Get("party"))}].push_back(row);
  }
  return out;
}

// The rows that stand for `category` in an exchange: its `all` row if it has one, else its types.
std::vector<const TypeRow*> CategoryRows(const std::vector<TypeRow>& rows,
                                         const std::string& category) {
  std::vector<const TypeRow*> all, types;
  for (const TypeRow& r : rows) {
    if (r.category != category) continue;
    (r.system == "all" ? all : types).push_back(&r);
  }
  return all.empty() ? types : all;
}

std::optional<int64_t> LauncherCount(const TypeRow& r) {
  if (r.counts.at("launchers")) return r.counts.at("launchers");
  if (r.category == "heavy_bomber" && r.counts.at("deployed") && r.counts.at("non_deployed")) {
    return *r.counts.at("deployed") + *r.counts.at("non_deployed");
  }
  return std::nullopt;
}

// The exchange's sum of `count` over all three categories, or nullopt if any part is unpublished.
template <typename F>
std::optional<int64_t> ExchangeSum(const std::vector<TypeRow>& rows, F count) {
  int64_t sum = 0;
  for (const char* cat : kCategories) {
    auto rs = CategoryRows(rows, cat);
    if (rs.empty()) return std::nullopt;
    for (const TypeRow* r : rs) {
      std::optional<int64_t> v = count(*r);
      if (!v) return std::nullopt;
      sum += *v;
    }
  }
  return sum;
}

TEST(NewStartByTypeTest, EveryRowIsWellFormedAndSourced) {
  CsvTable t = Load("new_start/by_type.csv");
  ASSERT_GT(t.size(), 0u);
  EXPECT_TRUE(t.RejectUnknownColumns({"as_of_date", "party", "category", "system", "deployed",
                                      "non_deployed", "launchers", "deployed_launchers",
                                      "non_deployed_launchers", "test", "non_nuclear", "confidence",
                                      "notes", "source"})
                  .ok());
  const std::regex url(R"(\(https?://[^ )]+\))");
  const std::regex date(R"(^\d{4}-\d{2}-\d{2}$)");
  const std::regex published(R"(published|publication date not shown)");
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::string> seen;
  for (size_t i = 0; i < t.size(); ++i) {
    CsvRow r = t.row(i);
    std::string source(r.Get("source"));
    EXPECT_TRUE(std::regex_search(source, url)) << r.Where() << ": " << source;
    EXPECT_TRUE(std::regex_search(source, published)) << r.Where() << ": " << source;
    EXPECT_TRUE(std::regex_match(std::string(r.Get("as_of_date")), date)) << r.Where();
    EXPECT_THAT(std::string(r.Get("party")),
                ::testing::AnyOf("United States", "Russian Federation"))
        << r.Where();
    EXPECT_THAT(std::string(r.Get("category")), ::testing::AnyOf("icbm", "slbm", "heavy_bomber"))
        << r.Where();
    EXPECT_FALSE(r.Get("system").empty()) << r.Where();
    EXPECT_FALSE(r.Get("confidence").empty()) << r.Where();
    auto key = std::make_tuple(std::string(r.Get("as_of_date")), std::string(r.Get("party")),
                               std::string(r.Get("category")), std::string(r.Get("system")));
    EXPECT_TRUE(seen.emplace(key, r.Where()).second) << r.Where() << " repeats " << seen[key];
    bool any = false;
    for (const char* c : kCounts) any = any || !r.Get(c).empty();
    EXPECT_TRUE(any) << r.Where() << ": a row with no count";
  }
}

// Within a row: deployed launchers + non-deployed launchers = launchers where all three are given;
// a deployed missile sits in a deployed launcher (New START's definition), so the counts match.
// Test heavy bombers are part of the non-deployed ones (the Air Staff, via Air Force Magazine).
TEST(NewStartByTypeTest, RowsAreInternallyConsistent) {
  CsvTable t = Load("new_start/by_type.csv");
  for (const auto& [key, rows] : ByExchange(t)) {
    for (const TypeRow& r : rows) {
      const auto& c = r.counts;
      if (c.at("launchers") && c.at("deployed_launchers") && c.at("non_deployed_launchers")) {
        EXPECT_EQ(*c.at("launchers"), *c.at("deployed_launchers") + *c.at("non_deployed_launchers"))
            << r.where;
      }
      if (c.at("deployed") && c.at("deployed_launchers")) {
        EXPECT_EQ(*c.at("deployed"), *c.at("deployed_launchers")) << r.where;
      }
      if (r.category == "heavy_bomber" && c.at("test") && c.at("non_deployed")) {
        EXPECT_LE(*c.at("test"), *c.at("non_deployed")) << r.where;
      }
    }
  }
}

// A category's `all` row against its per-type rows, column by column where all of them give it.
TEST(NewStartByTypeTest, CategoryTotalsEqualTheSumOfTheirTypes) {
  CsvTable t = Load("new_start/by_type.csv");
  int checked = 0;
  for (const auto& [key, rows] : ByExchange(t)) {
    for (const char* cat : kCategories) {
      const TypeRow* all = nullptr;
      std::vector<const TypeRow*> types;
      for (const TypeRow& r : rows) {
        if (r.category != cat) continue;
        if (r.system == "all") {
          all = &r;
        } else {
          types.push_back(&r);
        }
      }
      if (all == nullptr || types.empty()) continue;
      for (const char* c : kCounts) {
        if (!all->counts.at(c)) continue;
        int64_t sum = 0;
        bool complete = true;
        for (const TypeRow* r : types) {
          if (!r->counts.at(c)) complete = false;
          sum += r->counts.at(c).value_or(0);
        }
        if (!complete) continue;
        EXPECT_EQ(sum, *all->counts.at(c)) << all->where << ": " << c;
        ++checked;
      }
    }
  }
  // 2014-09-01: 251 MM-III + 56 Peacekeeper non-deployed = 307 ICBMs of all types.
  EXPECT_GE(checked, 1);
}

TEST(NewStartByTypeTest, PerTypeCountsSumToThePublishedAggregates) {
  CsvTable types = Load("new_start/by_type.csv");
  CsvTable agg = Load("new_start/aggregates.csv");
  std::map<Key, CsvRow> aggregates;
  for (size_t i = 0; i < agg.size(); ++i) {
    CsvRow r = agg.row(i);
    aggregates.emplace(Key{std::string(r.Get("as_of_date")), std::string(r.Get("party"))}, r);
  }
  int deployed_checks = 0, launcher_checks = 0;
  for (const auto& [key, rows] : ByExchange(types)) {
    auto a = aggregates.find(key);
    ASSERT_NE(a, aggregates.end())
        << rows.front().where << ": no aggregate row for " << key.first << " " << key.second;
    auto deployed = ExchangeSum(rows, [](const TypeRow& r) { return r.counts.at("deployed"); });
    if (deployed) {
      auto want = a->second.GetInt("deployed_icbm_slbm_hb");
      ASSERT_TRUE(want.ok()) << want.error().ToString();
      EXPECT_EQ(*deployed, *want) << key.first << " " << key.second << " deployed";
      ++deployed_checks;
    }
    auto launchers = ExchangeSum(rows, LauncherCount);
    if (launchers) {
      auto want = a->second.GetInt("deployed_and_nondeployed_launchers");
      ASSERT_TRUE(want.ok()) << want.error().ToString();
      EXPECT_EQ(*launchers, *want) << key.first << " " << key.second << " launchers";
      ++launcher_checks;
    }
  }
  // The exchanges complete enough to check (README): deployed 2017-03-01 and 2020-09-01;
  // launchers 2019-09-01 and 2020-09-01. Fewer means a row lost a count.
  EXPECT_GE(deployed_checks, 2);
  EXPECT_GE(launcher_checks, 2);
}

}  // namespace
}  // namespace tally::treaty
