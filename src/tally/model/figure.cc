#include "tally/model/figure.h"

#include <cctype>
#include <string>

namespace tally::model {
namespace {

constexpr Category kCategories[] = {
    Category::kDeployedStrategic, Category::kDeployedNonstrategic, Category::kDeployed,
    Category::kReserve,           Category::kMilitaryStockpile,    Category::kRetired,
    Category::kTotalInventory,
};

constexpr Confidence kConfidences[] = {
    Confidence::kConfirmed, Confidence::kDerived,     Confidence::kEstimate,
    Confidence::kRecalled,  Confidence::kUnconfirmed,
};

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::span<const Category> AllCategories() { return kCategories; }

std::string_view CategoryName(Category c) {
  switch (c) {
    case Category::kDeployedStrategic:
      return "deployed_strategic";
    case Category::kDeployedNonstrategic:
      return "deployed_nonstrategic";
    case Category::kDeployed:
      return "deployed";
    case Category::kReserve:
      return "reserve";
    case Category::kMilitaryStockpile:
      return "military_stockpile";
    case Category::kRetired:
      return "retired";
    case Category::kTotalInventory:
      return "total_inventory";
  }
  return "unknown";
}

std::string_view CategoryLabel(Category c) {
  switch (c) {
    case Category::kDeployedStrategic:
      return "depl. strat.";
    case Category::kDeployedNonstrategic:
      return "depl. non-strat.";
    case Category::kDeployed:
      return "deployed";
    case Category::kReserve:
      return "reserve";
    case Category::kMilitaryStockpile:
      return "stockpile";
    case Category::kRetired:
      return "retired";
    case Category::kTotalInventory:
      return "total";
  }
  return "?";
}

std::optional<Category> ParseCategory(std::string_view text) {
  const std::string key = Lower(text);
  for (Category c : kCategories) {
    if (key == CategoryName(c)) return c;
  }
  struct Alias {
    std::string_view name;
    Category category;
  };
  static constexpr Alias kAliases[] = {
      {"reserve_nondeployed", Category::kReserve},
      {"nondeployed", Category::kReserve},
      {"stored", Category::kReserve},
      {"stockpile", Category::kMilitaryStockpile},
      {"retired_awaiting_dismantlement", Category::kRetired},
      {"total", Category::kTotalInventory},
      {"total_inventory_incl_retired", Category::kTotalInventory},
  };
  for (const auto& a : kAliases) {
    if (key == a.name) return a.category;
  }
  return std::nullopt;
}

std::span<const Confidence> AllConfidences() { return kConfidences; }

std::string_view ConfidenceName(Confidence c) {
  switch (c) {
    case Confidence::kConfirmed:
      return "confirmed";
    case Confidence::kDerived:
      return "derived";
    case Confidence::kEstimate:
      return "estimate";
    case Confidence::kRecalled:
      return "recalled";
    case Confidence::kUnconfirmed:
      return "unconfirmed";
  }
  return "unknown";
}

std::optional<Confidence> ParseConfidence(std::string_view text) {
  const std::string key = Lower(text);
  for (Confidence c : kConfidences) {
    if (key == ConfidenceName(c)) return c;
  }
  return std::nullopt;
}

}  // namespace tally::model
