// Figure: one sourced number about one state's nuclear forces, and the vocabularies it uses.
//
// Every figure tally shows carries where it comes from: the dataset it belongs to, its source, the
// date it describes, a confidence flag and, when the source gives a range or a rounded number
// ("about 5,000"), a low/high interval around the point value. Figures are plain values: no I/O,
// copyable, independent.
//
// Categories follow the FAS accounting: deployed strategic + deployed non-strategic + reserve
// (non-deployed) = military stockpile; military stockpile + retired (awaiting dismantlement) =
// total inventory. SIPRI publishes a single "deployed" column (strategic and non-strategic
// together); that is the category kDeployed, so SIPRI's figures need not be split by guesswork.
//
// Thread safety: immutable values; the name tables are constant.
#ifndef TALLY_MODEL_FIGURE_H_
#define TALLY_MODEL_FIGURE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tally/base/date.h"

namespace tally::model {

enum class Category {
  kDeployedStrategic,
  kDeployedNonstrategic,
  kDeployed,  // all deployed warheads: strategic + non-strategic (SIPRI's column)
  kReserve,   // non-deployed, in storage; FAS "reserve", SIPRI "stored"
  kMilitaryStockpile,
  kRetired,  // retired, awaiting dismantlement
  kTotalInventory,
};

// All categories in display order (deployed strategic first, total inventory last).
std::span<const Category> AllCategories();
// The stable snake_case name used in files, flags and JSON: "deployed_strategic", ...
std::string_view CategoryName(Category c);
// A short column label for tables: "depl. strat.", ...
std::string_view CategoryLabel(Category c);
// Accepts the canonical names and a few spellings sources use ("reserve_nondeployed",
// "retired_awaiting_dismantlement", "stockpile", "total"); case-insensitive. nullopt if unknown.
std::optional<Category> ParseCategory(std::string_view text);

// How well a figure is established, from the reference data's flags.
enum class Confidence {
  kConfirmed,    // seen in the cited source
  kDerived,      // computed from other figures by arithmetic (e.g. total - stockpile)
  kEstimate,     // an analyst's estimate made for this dataset, not a source's number
  kRecalled,     // known from the primary document but not found in a searchable copy
  kUnconfirmed,  // reported second-hand, not verified against the source
};

std::span<const Confidence> AllConfidences();
std::string_view ConfidenceName(Confidence c);
std::optional<Confidence> ParseConfidence(std::string_view text);

// The pseudo-state code of world totals. Datasets that report a world total keep it as a row.
inline constexpr std::string_view kWorld = "World";

struct Figure {
  std::string dataset;      // name of the dataset the figure belongs to, e.g. "fas-sipri-2025"
  int dataset_version = 0;  // 0 = the copy compiled into tally; 1, 2, ... = store versions
  std::string state;        // a state code (model/state.h) or kWorld
  Category category = Category::kMilitaryStockpile;
  Date as_of;                  // the day the figure describes (first day of a month or year when
                               // the source gives only that)
  std::string as_of_text;      // as written in the dataset: "2025-01-13", "2025-01" or "1986"
  int64_t value = 0;           // warheads
  std::optional<int64_t> low;  // optional interval around `value`; low <= value <= high
  std::optional<int64_t> high;
  Confidence confidence = Confidence::kConfirmed;
  std::string source;  // the figure's own source, or its dataset's when the row gives none
  std::string notes;
  int line = 0;  // line in the dataset file; 0 for figures tally derived

  int year() const { return as_of.year(); }
  bool has_range() const { return low.has_value() || high.has_value(); }
  // True when `v` lies in [low, high] (a missing bound is the value itself).
  bool RangeContains(int64_t v) const {
    return v >= low.value_or(value) && v <= high.value_or(value);
  }
};

}  // namespace tally::model

#endif  // TALLY_MODEL_FIGURE_H_
