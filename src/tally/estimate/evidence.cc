#include "tally/estimate/evidence.h"

#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include "tally/base/csv.h"
#include "tally/model/figure.h"
#include "tally/model/state.h"

namespace tally::estimate {
namespace {

// The registry's categories (model/figure.h), the three New START aggregate counts and the
// deployed counts of New START's per-type tables.
constexpr std::string_view kCategories[] = {
    "deployed_strategic",
    "deployed_nonstrategic",
    "deployed",
    "reserve",
    "military_stockpile",
    "retired",
    "total_inventory",
    "new_start_warheads",
    "new_start_deployed_launchers",
    "new_start_launchers",
    "new_start_deployed_icbms",
    "new_start_deployed_slbms",
    "new_start_deployed_heavy_bombers",
};

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

Result<std::optional<double>> OptionalCount(const CsvRow& row, std::string_view column) {
  const std::string_view text = row.Get(column);
  if (text.empty()) return std::optional<double>();
  const auto v = ParseDouble(text);
  if (!v || !std::isfinite(*v) || *v < 0) {
    return FieldError(row.Where(), column, "a non-negative number", Quote(text));
  }
  return std::optional<double>(*v);
}

Result<std::string> StateCode(const CsvRow& row, std::string_view column) {
  const auto state = model::FindState(row.Get(column));
  if (!state) return FieldError(row.Where(), column, "a known state", Quote(row.Get(column)));
  return std::string(state->code);
}

Result<Date> ObservationDate(const CsvRow& row, std::string_view column) {
  auto date = Date::ParseLoose(row.Get(column));
  if (!date) {
    return FieldError(row.Where(), column, "a date YYYY, YYYY-MM or YYYY-MM-DD",
                      Quote(row.Get(column)));
  }
  return *date;
}

// The stockpile = deployed + reserve and total = stockpile + retired identities, per source,
// state and date.
Status CheckConsistency(const std::vector<Observation>& obs) {
  using Key = std::tuple<std::string, std::string, int64_t>;
  std::map<Key, std::map<std::string, const Observation*>> groups;
  for (const auto& o : obs) {
    if (o.relation != Relation::kEqual) continue;
    groups[{o.source, o.state, o.date.days()}][o.category] = &o;
  }
  for (const auto& [key, cats] : groups) {
    auto get = [&](const char* c) -> const Observation* {
      auto it = cats.find(c);
      return it == cats.end() ? nullptr : it->second;
    };
    const Observation* stockpile = get("military_stockpile");
    const Observation* deployed = get("deployed_strategic");
    const Observation* nonstrategic = get("deployed_nonstrategic");
    const Observation* reserve = get("reserve");
    if (stockpile && deployed && reserve) {
      const double sum =
          deployed->value + (nonstrategic ? nonstrategic->value : 0) + reserve->value;
      if (std::abs(sum - stockpile->value) > 0.5) {
        return InvalidArgument(stockpile->where + ": field 'value': stockpile " +
                               std::to_string(std::llround(stockpile->value)) +
                               " is not deployed_strategic + deployed_nonstrategic + reserve = " +
                               std::to_string(std::llround(sum)) + " (inconsistent categories)");
      }
    }
    const Observation* total = get("total_inventory");
    const Observation* retired = get("retired");
    if (total && stockpile && retired &&
        std::abs(stockpile->value + retired->value - total->value) > 0.5) {
      return InvalidArgument(total->where + ": field 'value': total_inventory " +
                             std::to_string(std::llround(total->value)) +
                             " is not stockpile + retired = " +
                             std::to_string(std::llround(stockpile->value + retired->value)) +
                             " (inconsistent categories)");
    }
  }
  return Status::Ok();
}

}  // namespace

std::span<const std::string_view> KnownCategories() { return kCategories; }

bool IsKnownCategory(std::string_view category) {
  for (auto c : kCategories) {
    if (c == category) return true;
  }
  return false;
}

Result<std::vector<Observation>> ParseEvidenceCsv(std::string_view text, const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(text, name));
  TALLY_RETURN_IF_ERROR(table.RequireColumns({"state", "category", "date", "kind", "relation",
                                              "value", "low", "high", "sd", "source", "note"}));
  TALLY_RETURN_IF_ERROR(
      table.RejectUnknownColumns({"state", "category", "date", "kind", "relation", "value", "low",
                                  "high", "sd", "source", "note"}));
  std::vector<Observation> out;
  for (size_t i = 0; i < table.size(); ++i) {
    const CsvRow row = table.row(i);
    Observation o;
    o.where = row.Where();
    TALLY_ASSIGN_OR_RETURN(o.state, StateCode(row, "state"));
    o.category = std::string(row.Get("category"));
    if (const auto c = model::ParseCategory(o.category)) o.category = model::CategoryName(*c);
    if (!IsKnownCategory(o.category)) {
      return FieldError(o.where, "category", "a known category (see docs/estimate.md)",
                        Quote(o.category));
    }
    TALLY_ASSIGN_OR_RETURN(o.date, ObservationDate(row, "date"));
    const auto kind = ParseSourceKind(row.Get("kind"));
    if (!kind) {
      return FieldError(o.where, "kind", "declared, inspection, independent or government",
                        Quote(row.Get("kind")));
    }
    o.kind = *kind;
    const auto relation = ParseRelation(row.Get("relation"));
    if (!relation) {
      return FieldError(o.where, "relation", "=, >=, <= or in", Quote(row.Get("relation")));
    }
    o.relation = *relation;
    TALLY_ASSIGN_OR_RETURN(auto value, OptionalCount(row, "value"));
    TALLY_ASSIGN_OR_RETURN(o.low, OptionalCount(row, "low"));
    TALLY_ASSIGN_OR_RETURN(o.high, OptionalCount(row, "high"));
    TALLY_ASSIGN_OR_RETURN(o.sd, OptionalCount(row, "sd"));
    if (o.sd && *o.sd <= 0) return FieldError(o.where, "sd", "a positive number", "0");
    if (o.low && o.high && *o.low > *o.high) {
      return FieldError(o.where, "high", "a number >= low", Quote(row.Get("high")));
    }
    if (o.relation == Relation::kBetween) {
      if (!o.low || !o.high) {
        return FieldError(o.where, o.low ? "high" : "low", "a number (relation 'in' needs both)",
                          "\"\"");
      }
      o.value = value ? *value : 0.5 * (*o.low + *o.high);
    } else {
      if (!value) return FieldError(o.where, "value", "a non-negative number", "\"\"");
      o.value = *value;
    }
    o.source = std::string(row.Get("source"));
    if (o.source.empty()) return FieldError(o.where, "source", "who said it", "\"\"");
    out.push_back(std::move(o));
  }
  TALLY_RETURN_IF_ERROR(CheckConsistency(out));
  return out;
}

Result<std::vector<Observation>> ParseNewStartAggregates(std::string_view text,
                                                         const std::string& name) {
  TALLY_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Parse(text, name));
  TALLY_RETURN_IF_ERROR(
      table.RequireColumns({"as_of_date", "party", "deployed_icbm_slbm_hb", "warheads_on_deployed",
                            "deployed_and_nondeployed_launchers"}));
  static constexpr std::pair<std::string_view, std::string_view> kColumns[] = {
      {"deployed_icbm_slbm_hb", "new_start_deployed_launchers"},
      {"warheads_on_deployed", "new_start_warheads"},
      {"deployed_and_nondeployed_launchers", "new_start_launchers"},
  };
  std::vector<Observation> out;
  for (size_t i = 0; i < table.size(); ++i) {
    const CsvRow row = table.row(i);
    TALLY_ASSIGN_OR_RETURN(std::string state, StateCode(row, "party"));
    auto date = Date::Parse(row.Get("as_of_date"));
    if (!date) {
      return FieldError(row.Where(), "as_of_date", "a date YYYY-MM-DD",
                        Quote(row.Get("as_of_date")));
    }
    for (const auto& [column, category] : kColumns) {
      TALLY_ASSIGN_OR_RETURN(auto value, OptionalCount(row, column));
      if (!value) continue;
      Observation o;
      o.state = state;
      o.category = std::string(category);
      o.date = *date;
      o.kind = SourceKind::kDeclared;
      o.value = *value;
      o.source = row.Has("source") && !row.Get("source").empty()
                     ? std::string(row.Get("source"))
                     : "New START aggregate data exchange";
      o.where = row.Where();
      out.push_back(std::move(o));
    }
  }
  return out;
}

}  // namespace tally::estimate
