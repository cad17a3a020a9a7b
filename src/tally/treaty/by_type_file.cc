#include "tally/treaty/by_type_file.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "tally/base/csv.h"
#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/data/embedded.h"
#include "tally/model/state.h"

namespace tally::treaty {
namespace {

constexpr int64_t kMaxCount = 1'000'000;
constexpr ByTypeCategory kCategories[] = {ByTypeCategory::kIcbm, ByTypeCategory::kSlbm,
                                          ByTypeCategory::kHeavyBomber};

using Column = std::optional<int64_t> ByTypeRow::*;
struct NamedColumn {
  std::string_view name;
  Column member;
};
constexpr NamedColumn kColumns[] = {
    {"deployed", &ByTypeRow::deployed},
    {"non_deployed", &ByTypeRow::non_deployed},
    {"launchers", &ByTypeRow::launchers},
    {"deployed_launchers", &ByTypeRow::deployed_launchers},
    {"non_deployed_launchers", &ByTypeRow::non_deployed_launchers},
    {"test", &ByTypeRow::test},
    {"non_nuclear", &ByTypeRow::non_nuclear},
};

std::optional<ByTypeCategory> ParseCategory(std::string_view s) {
  for (ByTypeCategory c : kCategories) {
    if (ByTypeCategoryName(c) == s) return c;
  }
  return std::nullopt;
}

std::string Num(int64_t v) { return std::to_string(v); }

// A row that contradicts itself, by the treaty's definitions.
Status CheckRow(const ByTypeRow& r) {
  if (r.launchers && r.deployed_launchers && r.non_deployed_launchers &&
      *r.launchers != *r.deployed_launchers + *r.non_deployed_launchers) {
    return FieldError(r.where, "launchers",
                      "deployed_launchers + non_deployed_launchers (" +
                          Num(*r.deployed_launchers + *r.non_deployed_launchers) + ")",
                      Num(*r.launchers));
  }
  if (r.category != ByTypeCategory::kHeavyBomber && r.deployed && r.deployed_launchers &&
      *r.deployed != *r.deployed_launchers) {
    return FieldError(r.where, "deployed",
                      "the deployed launchers (" + Num(*r.deployed_launchers) +
                          "): a deployed missile is one in a deployed launcher",
                      Num(*r.deployed));
  }
  if (r.category == ByTypeCategory::kHeavyBomber && r.test && r.non_deployed &&
      *r.test > *r.non_deployed) {
    return FieldError(r.where, "test",
                      "at most the non-deployed bombers (" + Num(*r.non_deployed) +
                          "): test bombers are among them",
                      Num(*r.test));
  }
  return Status::Ok();
}

using ExchangeKey = std::pair<Date, std::string>;

// The rows that stand for a category in one exchange: its `all` row, else its types.
std::vector<const ByTypeRow*> CategoryRows(const std::vector<const ByTypeRow*>& rows,
                                           ByTypeCategory c) {
  std::vector<const ByTypeRow*> all, types;
  for (const ByTypeRow* r : rows) {
    if (r->category != c) continue;
    (r->system == "all" ? all : types).push_back(r);
  }
  return all.empty() ? types : all;
}

// An `all` row against its types, column by column where every type gives the column.
Status CheckTotals(const std::vector<const ByTypeRow*>& rows) {
  for (ByTypeCategory c : kCategories) {
    const ByTypeRow* all = nullptr;
    std::vector<const ByTypeRow*> types;
    for (const ByTypeRow* r : rows) {
      if (r->category != c) continue;
      if (r->system == "all") {
        all = r;
      } else {
        types.push_back(r);
      }
    }
    if (all == nullptr || types.empty()) continue;
    for (const NamedColumn& col : kColumns) {
      if (!(all->*col.member)) continue;
      int64_t sum = 0;
      bool complete = true;
      std::string lines;
      for (const ByTypeRow* t : types) {
        if (!(t->*col.member)) complete = false;
        sum += (t->*col.member).value_or(0);
        lines += (lines.empty() ? "" : ", ") + t->where;
      }
      if (complete && sum != *(all->*col.member)) {
        return FieldError(all->where, col.name,
                          "the sum of its types (" + Num(sum) + " at " + lines + ")",
                          Num(*(all->*col.member)));
      }
    }
  }
  return Status::Ok();
}

// The sum over the three categories of `count`, or the reason it is not provided.
template <typename F>
std::optional<int64_t> SumCategories(const std::vector<const ByTypeRow*>& rows, F count,
                                     std::string_view what, std::string* gap) {
  int64_t sum = 0;
  for (ByTypeCategory c : kCategories) {
    auto rs = CategoryRows(rows, c);
    if (rs.empty()) {
      *gap = std::string(what) + ": no " + std::string(ByTypeCategoryName(c)) + " row published";
      return std::nullopt;
    }
    for (const ByTypeRow* r : rs) {
      std::optional<int64_t> v = count(*r);
      if (!v) {
        *gap = std::string(what) + ": " + r->where + " (" + std::string(ByTypeCategoryName(c)) +
               " " + r->system + ") does not give it";
        return std::nullopt;
      }
      sum += *v;
    }
  }
  return sum;
}

std::optional<int64_t> LauncherCount(const ByTypeRow& r) {
  if (r.launchers) return r.launchers;
  if (r.category == ByTypeCategory::kHeavyBomber && r.deployed && r.non_deployed) {
    return *r.deployed + *r.non_deployed;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ByTypeCategoryName(ByTypeCategory c) {
  switch (c) {
    case ByTypeCategory::kIcbm:
      return "icbm";
    case ByTypeCategory::kSlbm:
      return "slbm";
    case ByTypeCategory::kHeavyBomber:
      return "heavy_bomber";
  }
  return "icbm";
}

Result<ByTypeTable> ParseByTypeCsv(std::string_view text, const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(text, name));
  TALLY_RETURN_IF_ERROR(table.RequireColumns({"as_of_date", "party", "category", "system"}));
  TALLY_RETURN_IF_ERROR(table.RejectUnknownColumns(
      {"as_of_date", "party", "category", "system", "deployed", "non_deployed", "launchers",
       "deployed_launchers", "non_deployed_launchers", "test", "non_nuclear", "confidence", "notes",
       "source"}));
  ByTypeTable out;
  out.name = name;
  std::map<std::tuple<Date, std::string, ByTypeCategory, std::string>, std::string> seen;
  for (size_t i = 0; i < table.size(); ++i) {
    CsvRow row = table.row(i);
    ByTypeRow r;
    r.where = row.Where();
    auto date = Date::Parse(row.Get("as_of_date"));
    if (!date) return row.Error("as_of_date", "a date YYYY-MM-DD that exists");
    r.as_of = *date;
    auto state = model::FindState(row.Get("party"));
    if (!state) return row.Error("party", "a state code (US RU CN FR GB IN PK IL KP) or name");
    r.party = std::string(state->code);
    auto category = ParseCategory(row.Get("category"));
    if (!category) return row.Error("category", "icbm, slbm or heavy_bomber");
    r.category = *category;
    r.system = std::string(row.Get("system"));
    if (r.system.empty()) return row.Error("system", "a system type, or all for the category");
    bool any = false;
    for (const NamedColumn& col : kColumns) {
      if (row.Get(col.name).empty()) continue;
      auto v = ParseInt64(row.Get(col.name));
      if (!v || *v < 0 || *v > kMaxCount) {
        return row.Error(col.name, "a whole number from 0 to 1,000,000, or empty (not published)");
      }
      r.*col.member = *v;
      any = true;
    }
    if (!any) return row.Error("deployed", "at least one count in the row");
    r.confidence = std::string(row.Get("confidence"));
    r.notes = std::string(row.Get("notes"));
    r.source = std::string(row.Get("source"));
    TALLY_RETURN_IF_ERROR(CheckRow(r));
    auto [it, inserted] =
        seen.emplace(std::make_tuple(r.as_of, r.party, r.category, r.system), r.where);
    if (!inserted) {
      return row.Error("system",
                       "one row per date, party, category and system (also at " + it->second + ")");
    }
    out.rows.push_back(std::move(r));
  }
  std::map<ExchangeKey, std::vector<const ByTypeRow*>> exchanges;
  for (const ByTypeRow& r : out.rows) exchanges[{r.as_of, r.party}].push_back(&r);
  for (const auto& [key, rows] : exchanges) TALLY_RETURN_IF_ERROR(CheckTotals(rows));
  return out;
}

Result<ByTypeTable> LoadByTypeFile(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseByTypeCsv(text, path);
}

Result<ByTypeTable> NewStartByType() {
  auto text = data::EmbeddedFile("new_start/by_type.csv");
  if (!text) return Internal("data/new_start/by_type.csv is not compiled into tally");
  return ParseByTypeCsv(*text, "data/new_start/by_type.csv");
}

std::vector<ByTypeSums> SumByType(const ByTypeTable& table) {
  std::vector<ExchangeKey> order;
  std::map<ExchangeKey, std::vector<const ByTypeRow*>> exchanges;
  for (const ByTypeRow& r : table.rows) {
    auto& rows = exchanges[{r.as_of, r.party}];
    if (rows.empty()) order.push_back({r.as_of, r.party});
    rows.push_back(&r);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const ExchangeKey& a, const ExchangeKey& b) { return a.first < b.first; });
  std::vector<ByTypeSums> out;
  for (const ExchangeKey& key : order) {
    const auto& rows = exchanges[key];
    ByTypeSums s;
    s.rows = rows;
    s.posture.party = key.second;
    s.posture.as_of = key.first;
    s.posture.source = table.name + " (" + std::to_string(rows.size()) + " rows, summed)";
    std::string gap;
    auto deployed = SumCategories(
        rows, [](const ByTypeRow& r) { return r.deployed; }, "deployed_delivery_vehicles", &gap);
    if (!deployed) s.gaps.push_back(gap);
    s.posture.Set("deployed_delivery_vehicles", deployed);
    s.posture.Set("deployed_warheads", std::nullopt);
    s.gaps.push_back("deployed_warheads: per-type tables give no warheads");
    for (ByTypeCategory c : kCategories) {
      ByTypeSums::Deployed& d = s.deployed[static_cast<size_t>(c)];
      const auto category_rows = CategoryRows(rows, c);
      if (category_rows.empty()) continue;
      d.from = category_rows.front();
      int64_t sum = 0;
      bool complete = true;
      for (const ByTypeRow* r : category_rows) {
        complete = complete && r->deployed.has_value();
        sum += r->deployed.value_or(0);
      }
      if (complete) d.count = sum;
    }
    auto launchers = SumCategories(rows, LauncherCount, "launchers", &gap);
    if (!launchers) s.gaps.push_back(gap);
    s.posture.Set("launchers", launchers);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<AggregateComparison> CompareWithAggregates(const Treaty& treaty, const ByTypeSums& sums,
                                                       std::span<const model::Posture> aggregates) {
  std::vector<AggregateComparison> out;
  const model::Posture* declared = nullptr;
  for (const model::Posture& a : aggregates) {
    if (a.party == sums.posture.party && a.as_of == sums.posture.as_of) declared = &a;
  }
  for (const model::Count& c : sums.posture.counts) {
    if (!c.value) continue;
    AggregateComparison cmp{c.quantity, *c.value, std::nullopt};
    if (declared != nullptr) {
      for (const model::Count& d : declared->counts) {
        const Quantity* q = treaty.FindQuantity(d.quantity);
        if (q != nullptr && q->id == c.quantity) cmp.declared = d.value;
      }
    }
    out.push_back(cmp);
  }
  return out;
}

}  // namespace tally::treaty
