// Dataset: a named, sourced set of figures, as published once by one publisher.
//
// A dataset is the unit tally versions and never overwrites: "fas-sipri-2025" is FAS's and
// SIPRI's early-2025 estimates, "article-2026-02-05" the figures of the news article tally
// started from. Version 0 is the copy compiled into tally (data/forces/); the store numbers the
// versions a user imports 1, 2, ... per name (store/store.h), so "fas-sipri-2025@2" names one
// exact content. The file format is docs/formats/dataset-csv.md (dataset_csv.h parses it).
//
// Plain value: copyable, no I/O, no shared state.
#ifndef TALLY_REGISTRY_DATASET_H_
#define TALLY_REGISTRY_DATASET_H_

#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/model/figure.h"

namespace tally::registry {

struct Dataset {
  std::string name;       // [a-z0-9][a-z0-9._-]*, e.g. "fas-sipri-2025"
  std::string title;      // "Status of World Nuclear Forces, early 2025"
  std::string publisher;  // "Federation of American Scientists (FAS); SIPRI"
  Date published;         // when the publisher released it
  std::string source;     // citation; each figure may name its own instead
  std::string url;        // optional
  std::string edition;    // optional: the publisher's own label ("update of 2025-10-31")
  std::string notes;      // optional
  // A secondary source (a news article) repeats others' estimates without an as-of date of its
  // own: its figures carry its publication date and are compared with the latest estimates
  // published before it (registry/compare.h). Preamble "# kind: secondary"; default "estimates".
  bool secondary = false;
  int version = 0;  // 0 = compiled into tally; 1, 2, ... = store versions

  // Provenance of this version (empty for compiled-in datasets unless the loader sets them).
  std::string origin;        // file name or "embedded:forces/fas_sipri_2025.csv"
  std::string content_hash;  // "sha256:<hex>" of the exact bytes, set by the store
  std::string imported_at;   // RFC 3339 UTC time of the store import

  std::vector<model::Figure> figures;

  // "name@version", the form --dataset accepts.
  std::string Ref() const { return name + "@" + std::to_string(version); }
};

// A dataset reference as a user writes it: "name" (the newest version) or "name@N".
struct DatasetRef {
  std::string name;
  int version = -1;  // -1 = the newest
};

// Parses "name" or "name@N" (N >= 0). Errors are kInvalidArgument naming the text.
Result<DatasetRef> ParseDatasetRef(std::string_view text);

// True when `name` is a valid dataset name: 1-64 chars of [a-z0-9._-], starting alphanumeric.
bool IsValidDatasetName(std::string_view name);

}  // namespace tally::registry

#endif  // TALLY_REGISTRY_DATASET_H_
