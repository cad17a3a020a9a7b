#include "tally/escrow/store.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "tally/base/file.h"
#include "tally/escrow/inventory_stream.h"
#include "tally/jsondoc/reader.h"
#include "tally/treaty/inventory_file.h"

namespace tally::escrow {
namespace {

namespace fs = std::filesystem;

std::string InventoryName(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  return ext == ".json" ? "inventory.json" : "inventory.csv";
}

// Commits an inventory file's text: CSV rows stream straight into the declaration when they can
// (inventory_stream.h: no CsvTable or model::Items for a million rows), and everything else,
// including every invalid file, goes through the inventory parser and Declaration::Commit, whose
// errors name the file, line and field.
Result<Declaration> CommitText(std::string text, const std::string& path, std::optional<Date> as_of,
                               const treaty::Treaty& treaty, DeclarationSecret secret,
                               const DeclareOptions& options) {
  if (InventoryName(path) == "inventory.csv") {
    // The fast path gives the text back only by failing; keep a copy for that case only if it
    // is small (a large one is re-read from the file).
    std::string keep = text.size() < (size_t{1} << 20) ? text : std::string();
    auto fast = CommitInventoryCsv(std::move(text), path, as_of, treaty, secret, options);
    if (fast) return std::move(*fast);
    if (keep.empty()) {
      TALLY_ASSIGN_OR_RETURN(keep, ReadFile(path));
    }
    text = std::move(keep);
  }
  TALLY_ASSIGN_OR_RETURN(model::Inventory inventory, treaty::ParseInventory(text, path, as_of));
  std::string().swap(text);
  return Declaration::Commit(treaty, inventory, std::move(secret), options);
}

}  // namespace

Result<Statement> ReadStatement(const std::string& path) {
  std::string file = path;
  std::error_code ec;
  if (fs::is_directory(path, ec)) file = (fs::path(path) / "declaration.json").string();
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  return StatementFromJson(text, file);
}

Result<Declaration> CreateStore(const std::string& dir, const treaty::Treaty& treaty,
                                const std::string& inventory_path, const StoreOptions& options,
                                crypto::RandomSource& random) {
  std::error_code ec;
  if (fs::exists(dir, ec)) return AlreadyExists(dir + ": already exists; choose a new --out");
  DeclarationSecret secret = DeclarationSecret::Generate(random);
  const std::string partial = dir + ".partial";
  fs::remove_all(partial, ec);
  TALLY_RETURN_IF_ERROR(MakeDirectories(partial));
  fs::permissions(partial, fs::perms::owner_all, fs::perm_options::replace, ec);
  // The secret is written before committing (Commit takes ownership of it) but inside .partial,
  // which is removed on every failure below.
  Status saved = secret.Save((fs::path(partial) / "secret.key").string());
  auto fail = [&](Status s) {
    fs::remove_all(partial, ec);
    return s;
  };
  if (!saved.ok()) return fail(saved);
  // The copy goes in first, so that the text need not stay in memory during the commit.
  auto text = ReadFile(inventory_path);
  if (!text.ok()) return fail(text.error());
  Status copied =
      WriteFileAtomic((fs::path(partial) / InventoryName(inventory_path)).string(), *text, 0600);
  if (!copied.ok()) return fail(copied);
  auto d = CommitText(std::move(*text), inventory_path, options.as_of, treaty, std::move(secret),
                      options.declare);
  if (!d.ok()) return fail(d.error());
  nlohmann::ordered_json o;
  o["party"] = d->statement().party;
  o["interpretation"] = d->statement().interpretation;
  o["as_of"] = options.as_of ? options.as_of->ToString() : std::string();
  o["pad_to"] = options.declare.pad_to ? nlohmann::ordered_json(*options.declare.pad_to)
                                       : nlohmann::ordered_json(nullptr);
  o["salt_order"] = options.declare.salt_order;
  o["inventory"] = InventoryName(inventory_path);
  for (const auto& [name, content, mode] :
       {std::tuple<std::string, std::string, unsigned>{"options.json", o.dump(2) + "\n", 0600},
        {"declaration.json", StatementToJson(d->statement()) + "\n", 0644}}) {
    Status s = WriteFileAtomic((fs::path(partial) / name).string(), content, mode);
    if (!s.ok()) return fail(s);
  }
  fs::rename(partial, dir, ec);
  if (ec) return fail(IoError(dir + ": " + ec.message()));
  TALLY_RETURN_IF_ERROR(SyncDirectory(fs::path(dir).parent_path().empty()
                                          ? std::string(".")
                                          : fs::path(dir).parent_path().string()));
  return d;
}

Result<Declaration> OpenStore(const std::string& dir, const treaty::Treaty& treaty) {
  const fs::path p(dir);
  TALLY_ASSIGN_OR_RETURN(Statement st, ReadStatement((p / "declaration.json").string()));
  TALLY_ASSIGN_OR_RETURN(std::string options_text, ReadFile((p / "options.json").string()));
  auto parsed = jsondoc::ParseJson(options_text, (p / "options.json").string());
  if (!parsed) return DataLoss(parsed.error().message());
  nlohmann::json o = std::move(*parsed);
  StoreOptions opt;
  try {
    opt.declare.party = o.at("party").get<std::string>();
    opt.declare.interpretation = o.at("interpretation").get<std::string>();
    if (!o.at("pad_to").is_null()) opt.declare.pad_to = o.at("pad_to").get<uint64_t>();
    opt.declare.salt_order = o.at("salt_order").get<bool>();
    const std::string as_of = o.at("as_of").get<std::string>();
    if (!as_of.empty()) {
      auto d = Date::Parse(as_of);
      if (!d) return DataLoss((p / "options.json").string() + ": bad as_of");
      opt.as_of = *d;
    }
    const std::string inv = o.at("inventory").get<std::string>();
    if (inv != "inventory.csv" && inv != "inventory.json") throw std::runtime_error("inventory");
    TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile((p / inv).string()));
    if (st.treaty != treaty.id) {
      return InvalidArgument(dir + ": declared under " + st.treaty + ", not " + treaty.id);
    }
    TALLY_ASSIGN_OR_RETURN(DeclarationSecret secret,
                           DeclarationSecret::Load((p / "secret.key").string()));
    TALLY_ASSIGN_OR_RETURN(Declaration d, CommitText(std::move(text), (p / inv).string(), opt.as_of,
                                                     treaty, std::move(secret), opt.declare));
    if (StatementToJson(d.statement()) != StatementToJson(st)) {
      return DataLoss(dir + ": the stored inventory and secret no longer give the declared root " +
                      merkle::HashToBase64(st.root) + " (the store was altered)");
    }
    return d;
  } catch (const std::exception& e) {
    return DataLoss((p / "options.json").string() + ": malformed (" + e.what() + ")");
  }
}

}  // namespace tally::escrow
