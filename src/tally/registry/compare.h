// Comparing figures: arithmetic completion, consistency inside a dataset, and disagreements
// between datasets.
//
// DeriveMissing completes each (dataset, state, date) group by the accounting identities
//   deployed = deployed_strategic + deployed_nonstrategic
//   military_stockpile = deployed + reserve
//   total_inventory = military_stockpile + retired
// (solved for whichever single term is missing) and returns only the new figures, flagged
// kDerived, with line 0 and notes that show the sum. A group with a ranged figure derives nothing.
//
// CheckConsistency reports every identity a dataset's own figures break (both sides given),
// and world rows that differ from the sum of all nine states when all nine are given.
//
// FindDisagreements groups figures by state, category and year and reports each group where
// two or more datasets give different values. A figure of a secondary dataset (Dataset::
// secondary: a news article of February 2026 repeating the estimates of 2025) that is alone in
// its year is compared with the other datasets' figures of the year before: the latest they had
// published. Estimates of different years are never compared: that is change, not dispute.
// For a figure with a range ("about 5,000" = 4,500-5,500) the disagreement says whether the
// others' values lie inside it, and when they do not, which other categories of the same state
// and year do (the article's US and Russian "about 5,000" match total inventory, not stockpile).
//
// Pure functions over values; thread-safe.
#ifndef TALLY_REGISTRY_COMPARE_H_
#define TALLY_REGISTRY_COMPARE_H_

#include <string>
#include <vector>

#include "tally/model/figure.h"
#include "tally/registry/dataset.h"

namespace tally::registry {

std::vector<model::Figure> DeriveMissing(const std::vector<model::Figure>& figures);

struct ConsistencyIssue {
  std::string dataset;  // name@version
  std::string state;
  std::string as_of;
  std::string rule;  // "military_stockpile = deployed_strategic + deployed_nonstrategic + reserve"
  int64_t stated = 0;    // the figure the dataset gives for the left-hand side
  int64_t computed = 0;  // the right-hand side from its other figures
  int line = 0;          // line of the stated figure
};

std::vector<ConsistencyIssue> CheckConsistency(const Dataset& dataset);

// Another category of the same state and year whose value lies inside a ranged figure.
struct CategoryMatch {
  model::Category category;
  std::string dataset;
  int64_t value = 0;
};

struct Disagreement {
  std::string state;
  model::Category category;
  int year = 0;           // the year of the group
  int compared_year = 0;  // year, or year - 1 when a lone figure met the year before's figures
  std::vector<model::Figure> figures;  // one per dataset, ordered by value
  int64_t spread = 0;                  // max value - min value
  // True when every point value lies inside every ranged figure's interval: the sources differ
  // only as much as their own rounding allows.
  bool within_ranges = false;
  // For each ranged figure that excludes some other dataset's value: the categories of the
  // same state (from those datasets, same comparison year) that it does contain.
  struct RangeCheck {
    model::Figure figure;
    std::vector<model::Figure> outside;  // other datasets' figures outside its range
    std::vector<CategoryMatch> matches;  // other categories inside its range
  };
  std::vector<RangeCheck> range_checks;
};

// `figures` may mix datasets; each dataset should appear in one version only. Derived figures
// (DeriveMissing) may be included; they are compared like the others. Result ordered by state,
// category, year.
// `secondary` names the secondary datasets (Registry::SecondaryDatasets()).
std::vector<Disagreement> FindDisagreements(const std::vector<model::Figure>& figures,
                                            const std::vector<std::string>& secondary = {});

}  // namespace tally::registry

#endif  // TALLY_REGISTRY_COMPARE_H_
