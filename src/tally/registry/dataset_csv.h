// The dataset file: a '#' preamble of metadata, then one figure per CSV row.
//
//   # tally-dataset: 1
//   # name: fas-sipri-2025
//   # title: Status of World Nuclear Forces, early 2025
//   # publisher: Federation of American Scientists (FAS); SIPRI
//   # published: 2025-06-16
//   # source: FAS Nuclear Notebooks 2025; SIPRI Yearbook 2025
//   state,category,as_of,value,low,high,confidence,source,notes
//   US,deployed_strategic,2025-01,1670,,,confirmed,,~400 ICBM ~970 SLBM ~300 bomber bases
//
// Byte-level specification: docs/formats/dataset-csv.md.
//
// ParseDatasetCsv validates everything a figure promises: a known state (or World), a known
// category and confidence, a date (YYYY, YYYY-MM or YYYY-MM-DD), a non-negative integer value,
// low <= value <= high, a source (the row's or the preamble's), and no two rows for the same
// state, category and date. Errors are kInvalidArgument in the shape
//   fas.csv:12: field 'value': expected a non-negative integer, got "12a"
// and the parser stops at the first one. It never throws and never reads files itself.
//
// FormatDatasetCsv writes the canonical form of a Dataset; parsing it gives the same Dataset.
#ifndef TALLY_REGISTRY_DATASET_CSV_H_
#define TALLY_REGISTRY_DATASET_CSV_H_

#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/registry/dataset.h"

namespace tally::registry {

// `file_name` is what errors call the document. The returned dataset has version 0 and
// origin = file_name; the caller (store, registry) sets them otherwise.
Result<Dataset> ParseDatasetCsv(std::string_view text, const std::string& file_name);

std::string FormatDatasetCsv(const Dataset& dataset);

}  // namespace tally::registry

#endif  // TALLY_REGISTRY_DATASET_CSV_H_
