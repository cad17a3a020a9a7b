#include "tally/cli/figure_export.h"

#include <filesystem>
#include <set>

#include "tally/base/csv.h"
#include "tally/model/state.h"

namespace tally::cli {

using model::Figure;
using nlohmann::ordered_json;

std::string Ref(std::string_view name, int version) {
  return version == 0 ? std::string(name) : std::string(name) + "@" + std::to_string(version);
}
std::string Ref(const Figure& f) { return Ref(f.dataset, f.dataset_version); }

std::string StateLabel(std::string_view code) {
  if (code == model::kWorld) return "World";
  auto s = model::FindState(code);
  return s ? std::string(s->name) : std::string(code);
}

ordered_json FigureJson(const Figure& f) {
  ordered_json j;
  j["dataset"] = f.dataset;
  j["version"] = f.dataset_version;
  j["state"] = f.state;
  j["state_name"] = StateLabel(f.state);
  j["category"] = model::CategoryName(f.category);
  j["as_of"] = f.as_of_text;
  j["as_of_date"] = f.as_of.ToString();
  j["value"] = f.value;
  j["low"] = f.low ? ordered_json(*f.low) : ordered_json(nullptr);
  j["high"] = f.high ? ordered_json(*f.high) : ordered_json(nullptr);
  j["confidence"] = model::ConfidenceName(f.confidence);
  j["source"] = f.source;
  j["notes"] = f.notes;
  j["line"] = f.line;
  return j;
}

ordered_json DatasetJson(const registry::Dataset& d) {
  ordered_json j;
  j["name"] = d.name;
  j["version"] = d.version;
  j["title"] = d.title;
  j["publisher"] = d.publisher;
  j["published"] = d.published.ToString();
  j["source"] = d.source;
  j["url"] = d.url;
  j["edition"] = d.edition;
  j["notes"] = d.notes;
  j["origin"] = d.origin;
  j["content_hash"] = d.content_hash;
  j["imported_at"] = d.imported_at;
  return j;
}

// The datasets the figures come from, in first-seen order.
std::vector<const registry::Dataset*> DatasetsOf(const registry::Registry& r,
                                                 const std::vector<Figure>& figures) {
  std::vector<const registry::Dataset*> out;
  std::set<std::string> seen;
  for (const auto& f : figures) {
    if (!seen.insert(Ref(f)).second) continue;
    auto d = r.Find({f.dataset, f.dataset_version});
    if (d.ok()) out.push_back(*d);
  }
  return out;
}

std::string CsvOf(const std::vector<Figure>& figures) {
  std::string out = CsvLine({"dataset", "version", "state", "category", "as_of", "value", "low",
                             "high", "confidence", "source", "notes"}) +
                    "\n";
  for (const auto& f : figures) {
    out += CsvLine({f.dataset, std::to_string(f.dataset_version), f.state,
                    std::string(model::CategoryName(f.category)), f.as_of_text,
                    std::to_string(f.value), f.low ? std::to_string(*f.low) : "",
                    f.high ? std::to_string(*f.high) : "",
                    std::string(model::ConfidenceName(f.confidence)), f.source, f.notes}) +
           "\n";
  }
  return out;
}

// The metadata sidecar of a CSV export (docs/registry.md): what each column means and where
// every number comes from, in the spirit of Our World in Data's downloads.
std::string MetaJson(const std::string& csv_file, const registry::Registry& r,
                     const std::vector<Figure>& figures, const std::string& query) {
  ordered_json j;
  j["file"] = std::filesystem::path(csv_file).filename().string();
  j["generated_by"] = std::string("tally ") + TALLY_VERSION;
  j["query"] = query;
  j["rows"] = figures.size();
  j["unit"] = "nuclear warheads";
  ordered_json cols = ordered_json::array();
  auto col = [&](const char* name, const char* what) {
    cols.push_back({{"name", name}, {"description", what}});
  };
  col("dataset", "name of the dataset the figure belongs to (see datasets below)");
  col("version", "dataset version: 0 = compiled into tally, 1, 2, ... = store versions");
  col("state", "state code (US, RU, CN, FR, GB, IN, PK, IL, KP, ZA) or World");
  col("category",
      "deployed_strategic, deployed_nonstrategic, deployed, reserve, military_stockpile, "
      "retired or total_inventory");
  col("as_of", "the date the figure describes: YYYY, YYYY-MM or YYYY-MM-DD");
  col("value", "number of warheads");
  col("low", "lower end of the source's range, if any");
  col("high", "upper end of the source's range, if any");
  col("confidence", "confirmed, derived, estimate, recalled or unconfirmed");
  col("source", "citation of the figure");
  col("notes", "remarks from the dataset");
  j["columns"] = cols;
  ordered_json ds = ordered_json::array();
  for (const auto* d : DatasetsOf(r, figures)) ds.push_back(DatasetJson(*d));
  j["datasets"] = ds;
  return j.dump(2) + "\n";
}

}  // namespace tally::cli
