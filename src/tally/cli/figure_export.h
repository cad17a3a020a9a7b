// How `tally forces` and `tally report` name and export figures: dataset references
// ("name@version"), state labels, the JSON shape of a figure and a dataset, and the CSV export
// with its metadata sidecar (docs/registry.md).
#ifndef TALLY_CLI_FIGURE_EXPORT_H_
#define TALLY_CLI_FIGURE_EXPORT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tally/model/figure.h"
#include "tally/registry/registry.h"

namespace tally::cli {

// "fas-sipri-2025" for a compiled-in dataset (version 0), "mine@2" for a stored version.
std::string Ref(std::string_view name, int version);
std::string Ref(const model::Figure& f);
// "United States" for "US"; the code itself when unknown.
std::string StateLabel(std::string_view code);

nlohmann::ordered_json FigureJson(const model::Figure& f);
nlohmann::ordered_json DatasetJson(const registry::Dataset& d);
// The datasets the figures come from, in first-seen order.
std::vector<const registry::Dataset*> DatasetsOf(const registry::Registry& r,
                                                 const std::vector<model::Figure>& figures);

// One CSV row per figure, with a header.
std::string CsvOf(const std::vector<model::Figure>& figures);
// The metadata sidecar of a CSV export: each column's meaning and every dataset's source.
std::string MetaJson(const std::string& csv_file, const registry::Registry& r,
                     const std::vector<model::Figure>& figures, const std::string& query);

}  // namespace tally::cli

#endif  // TALLY_CLI_FIGURE_EXPORT_H_
