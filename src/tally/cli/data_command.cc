// `tally data import|list|export`: the datasets tally knows and the store that keeps imports.
#include <signal.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tally/base/file.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/data/embedded.h"
#include "tally/registry/dataset_csv.h"
#include "tally/registry/registry.h"
#include "tally/store/store.h"

namespace tally::cli {
namespace {

using nlohmann::ordered_json;

struct DataOptions {
  std::string store;
  std::string file;
  std::string ref;
  std::string output;
  bool json = false;
};

// Crash tests set TALLY_FAILPOINT=store-import-before-commit to kill the process between
// writing a dataset and committing it (tests/e2e/data_test.cc); nothing else reads it.
std::function<void()> FailpointFromEnv() {
  const char* fp = std::getenv("TALLY_FAILPOINT");
  if (fp && std::string_view(fp) == "store-import-before-commit") {
    return [] { raise(SIGKILL); };
  }
  return nullptr;
}

ordered_json InfoJson(const store::VersionInfo& v) {
  return {
      {"name", v.name},           {"version", v.version},           {"title", v.title},
      {"publisher", v.publisher}, {"published", v.published},       {"figures", v.figures},
      {"origin", v.origin},       {"content_hash", v.content_hash}, {"imported_at", v.imported_at}};
}

int RunImport(Context& ctx, const DataOptions& o) {
  auto content = ReadFile(o.file);
  if (!content) return Fail(ctx, content.error());
  // Parse before touching the store: bad input must not even create the store file.
  auto parsed = registry::ParseDatasetCsv(*content, o.file);
  if (!parsed) return Fail(ctx, parsed.error());
  const std::string path = StorePath(o.store);
  auto opened = store::Store::Open(path, store::OpenMode::kReadWrite);
  if (!opened) return Fail(ctx, opened.error());
  store::ImportOptions options;
  options.origin = o.file;
  options.before_commit = FailpointFromEnv();
  auto result = (*opened)->Import(*content, options);
  if (!result) return Fail(ctx, result.error());
  const auto& v = result->info;
  if (o.json) {
    ordered_json j = InfoJson(v);
    j["already_present"] = result->already_present;
    j["store"] = path;
    *ctx.out << j.dump(2) << "\n";
  } else if (result->already_present) {
    *ctx.out << "already in the store as " << v.name << "@" << v.version << " (identical content, "
             << v.content_hash << ", imported " << v.imported_at << " from " << v.origin
             << "); nothing written\n";
  } else {
    *ctx.out << "imported " << v.name << "@" << v.version << ": " << v.figures << " figures, "
             << v.content_hash << ", into " << path << "\n";
  }
  return kExitOk;
}

int RunList(Context& ctx, const DataOptions& o) {
  auto embedded = registry::Registry::LoadEmbedded();
  if (!embedded) return Fail(ctx, embedded.error());
  std::vector<store::VersionInfo> rows;
  for (const auto& d : embedded->datasets()) {
    store::VersionInfo v;
    v.name = d.name;
    v.version = 0;
    v.title = d.title;
    v.publisher = d.publisher;
    v.published = d.published.ToString();
    v.origin = d.origin;
    v.figures = static_cast<int>(d.figures.size());
    rows.push_back(std::move(v));
  }
  const std::string path = StorePath(o.store);
  bool have_store = FileExists(path);
  if (have_store) {
    auto opened = store::Store::Open(path, store::OpenMode::kReadOnly);
    if (!opened) return Fail(ctx, opened.error());
    auto stored = (*opened)->List();
    if (!stored) return Fail(ctx, stored.error());
    rows.insert(rows.end(), stored->begin(), stored->end());
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.version) < std::tie(b.name, b.version);
  });
  if (o.json) {
    ordered_json j;
    j["store"] = path;
    j["store_exists"] = have_store;
    ordered_json arr = ordered_json::array();
    for (const auto& v : rows) arr.push_back(InfoJson(v));
    j["datasets"] = arr;
    *ctx.out << j.dump(2) << "\n";
    return kExitOk;
  }
  TextTable t({"dataset", "version>", "figures>", "published", "title", "from"});
  for (const auto& v : rows) {
    std::string from =
        v.version == 0 ? "compiled in"
                       : v.origin + ", " + v.imported_at + ", " + v.content_hash.substr(0, 7 + 12);
    t.AddRow(
        {v.name, std::to_string(v.version), std::to_string(v.figures), v.published, v.title, from});
  }
  t.Print(*ctx.out);
  *ctx.out << "\nstore: " << path << (have_store ? "" : " (none yet)") << "\n";
  return kExitOk;
}

int RunExport(Context& ctx, const DataOptions& o) {
  auto ref = registry::ParseDatasetRef(o.ref);
  if (!ref) return Fail(ctx, ref.error());
  auto r = store::LoadRegistry(StorePath(o.store));
  if (!r) return Fail(ctx, r.error());
  auto d = r->Find(*ref);
  if (!d) return Fail(ctx, d.error());
  std::string content;
  if ((*d)->version == 0) {
    // The compiled-in file as shipped, byte for byte.
    std::string_view path = (*d)->origin;
    if (path.substr(0, 9) == "embedded:") path.remove_prefix(9);
    auto bytes = data::EmbeddedFile(path);
    content = bytes ? std::string(*bytes) : registry::FormatDatasetCsv(**d);
  } else {
    auto opened = store::Store::Open(StorePath(o.store), store::OpenMode::kReadOnly);
    if (!opened) return Fail(ctx, opened.error());
    auto bytes = (*opened)->Content((*d)->name, (*d)->version);
    if (!bytes) return Fail(ctx, bytes.error());
    content = std::move(*bytes);
  }
  if (o.output.empty()) {
    *ctx.out << content;
    return kExitOk;
  }
  Status s = WriteFileAtomic(o.output, content);
  return s.ok() ? kExitOk : Fail(ctx, s);
}

}  // namespace

void AddDataCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DataOptions>();
  CLI::App* data = app.add_subcommand(
      "data", "Datasets: import a dataset file into the store, list every dataset and version");
  data->require_subcommand(1);
  auto store_flag = [o](CLI::App* sub) {
    sub->add_option("--store", o->store,
                    "SQLite store (default $TALLY_STORE, else $XDG_DATA_HOME/tally/tally.db or "
                    "~/.local/share/tally/tally.db)");
  };
  CLI::App* import = data->add_subcommand(
      "import",
      "Import a dataset file (docs/formats/dataset-csv.md) as the next version of its name: "
      "all or nothing, never overwriting; identical content is not imported twice");
  import->add_option("FILE", o->file, "Dataset CSV file")->required();
  import->add_flag("--json", o->json, "Print one JSON document");
  store_flag(import);
  import->callback([&ctx, o] { RunImport(ctx, *o);
});

CLI::App* list = data->add_subcommand(
    "list", "List the compiled-in datasets (version 0) and every stored version");
list->add_flag("--json", o->json, "Print one JSON document");
store_flag(list);
list->callback([&ctx, o] { RunList(ctx, *o); });

CLI::App* exp = data->add_subcommand(
    "export", "Print a dataset version's file exactly as it was imported (or shipped)");
exp->add_option("DATASET", o->ref, "name or name@VERSION")->required();
exp->add_option("-o,--output", o->output, "Write to FILE instead of stdout");
store_flag(exp);
exp->callback([&ctx, o] { RunExport(ctx, *o); });
}  // namespace tally::cli

}  // namespace tally::cli
