// Registry: every dataset tally knows, side by side, and the queries over their figures.
//
// The registry holds datasets by name and version: the defaults compiled into tally (version 0,
// LoadEmbedded), files loaded for one run (AddFile) and store versions (store/store.h adds
// them). Queries never mix versions of one dataset: a filter names datasets as "name" (its newest
// version) or "name@N"; without names it takes the newest version of every dataset.
//
// Errors: LoadEmbedded fails only if the shipped data is broken (a bug, kInternal, message names
// embedded:<path>:<line>); AddFile returns the parser's file:line: field errors (kInvalidArgument)
// or the read error (kIoError / kNotFound); Add returns kAlreadyExists for a name@version it
// already holds; queries return kNotFound for a dataset they do not know (naming the known ones)
// and kInvalidArgument for an unknown state.
//
// Ownership: the registry owns its datasets; pointers it returns live until the next Add.
// Thread safety: const methods may run concurrently; Add/AddFile need exclusive access.
#ifndef TALLY_REGISTRY_REGISTRY_H_
#define TALLY_REGISTRY_REGISTRY_H_

#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/model/figure.h"
#include "tally/registry/dataset.h"

namespace tally::registry {

// Which figures a query wants. Empty lists mean "all".
struct FigureFilter {
  std::vector<std::string> states;  // state codes or names ("US", "Russia", "World")
  std::vector<model::Category> categories;
  std::vector<DatasetRef> datasets;  // empty = newest version of every dataset
  std::optional<int> year;           // figures whose as_of falls in this year
  std::optional<Date> from;          // as_of >= from
  std::optional<Date> to;            // as_of <= to
  bool include_world = true;         // World rows when `states` is empty
};

class Registry {
 public:
  Registry() = default;

  // The datasets under data/forces/ compiled into tally, each version 0.
  static Result<Registry> LoadEmbedded();

  // Takes `dataset` as is (its version included). kAlreadyExists if name@version is present.
  Status Add(Dataset dataset);
  // Parses a dataset file and adds it as the next version of its name for this run only (it is
  // not stored; see `tally data import` for that). Returns the ref it was added as.
  Result<std::string> AddFile(const std::string& path);

  // All datasets, every version, ordered by name then version.
  const std::vector<Dataset>& datasets() const { return datasets_; }
  // The newest version of each name, ordered by name.
  std::vector<const Dataset*> Newest() const;
  // kNotFound naming the known datasets when absent.
  Result<const Dataset*> Find(const DatasetRef& ref) const;

  // The figures matching `filter`, ordered by dataset, state (model/state.h order, World last),
  // category, date. States are normalised to codes.
  Result<std::vector<model::Figure>> Select(const FigureFilter& filter) const;

  // For each state x category among the figures matching `filter`, the one with the latest
  // as_of; ties go to the dataset published last. A figure flagged unconfirmed or recalled is
  // chosen only when no confirmed, derived or estimated one exists, and secondary datasets
  // (news articles) take part only when the filter names them.
  Result<std::vector<model::Figure>> Latest(const FigureFilter& filter) const;

  // Names of the datasets whose newest version is secondary (for FindDisagreements).
  std::vector<std::string> SecondaryDatasets() const;

  // The dataset that describes "today": among the newest versions, the one with the latest
  // as_of (then the latest published) that gives confirmed point figures (no range) for the
  // military stockpile and the total inventory of all nine nuclear-armed states. kNotFound when
  // no dataset qualifies.
  Result<const Dataset*> CurrentSnapshot() const;

 private:
  std::vector<Dataset> datasets_;
};

// Normalises a state name or code to its code ("Russia" -> "RU", "world" -> "World").
// kInvalidArgument naming the text when unknown.
Result<std::string> NormalizeState(std::string_view text);

// Sort key of a state code in the usual analysts' order; World sorts last.
int StateOrder(std::string_view code);

}  // namespace tally::registry

#endif  // TALLY_REGISTRY_REGISTRY_H_
