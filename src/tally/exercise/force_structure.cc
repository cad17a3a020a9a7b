#include "tally/exercise/force_structure.h"

#include <algorithm>

#include "tally/data/embedded.h"

namespace tally::exercise {

const std::vector<StructureFile>& EmbeddedStructureFiles() {
  static const std::vector<StructureFile> files = {
      {"inventories/structure-2020-09-01.csv", "2020-09-01",
       "the New START data exchange of 2020-09-01, split by base"},
      {"inventories/structure-cn-2025-03-12.csv", "2025-03-12",
       "FAS Nuclear Notebook 'Chinese nuclear weapons, 2025' (early 2025); per-system counts not "
       "verified: midpoints of published ranges, notional site names"},
  };
  return files;
}

uint64_t GeneratedItems(const std::vector<escrow::ForceRow>& rows, const std::string& party) {
  uint64_t n = 0;
  for (const escrow::ForceRow& f : rows) {
    if (f.party != party) continue;
    if (f.leg == "bomber") {
      n += f.deployed + f.non_deployed + f.test + f.converted;
    } else if (f.leg == "icbm_storage" || f.leg == "slbm_storage") {
      n += f.non_deployed;
    } else {
      // Each deployed missile sits in its launcher and carries its share of the row's warheads.
      n += 2 * f.deployed + f.warheads + f.non_deployed + f.test + f.converted;
    }
  }
  return n;
}

Result<ExerciseStructure> LoadExerciseStructure(const std::vector<std::string>& parties,
                                                int64_t items_scale, int64_t items_per_party) {
  if (items_scale < 1 || items_scale > 1000) {
    return InvalidArgument("items scale: expected 1 to 1000, got " + std::to_string(items_scale));
  }
  if (items_per_party < 0 || items_per_party > 1'000'000) {
    return InvalidArgument("items per party: expected 0 (off) to 1000000, got " +
                           std::to_string(items_per_party));
  }
  if (items_scale > 1 && items_per_party > 0) {
    return InvalidArgument("items scale and items per party: give one or the other");
  }
  std::vector<std::vector<escrow::ForceRow>> files;
  std::string covered;
  for (const StructureFile& f : EmbeddedStructureFiles()) {
    auto text = data::EmbeddedFile(f.path);
    if (!text)
      return Internal("the embedded force structure " + std::string(f.path) + " is missing");
    auto rows = escrow::ParseForceStructureCsv(*text, std::string(f.path));
    if (!rows.ok()) return Internal("the embedded force structure: " + rows.error().message());
    for (const escrow::ForceRow& r : *rows) {
      if (covered.find(" " + r.party + ",") == std::string::npos) covered += " " + r.party + ",";
    }
    files.push_back(std::move(*rows));
  }
  if (!covered.empty()) covered.pop_back();
  ExerciseStructure out;
  for (const std::string& party : parties) {
    size_t k = 0;
    while (k < files.size() && GeneratedItems(files[k], party) == 0) ++k;
    if (k == files.size()) {
      return NotFound("no embedded force structure for " + party +
                      " (the exercise's item-level data covers" + covered + ")");
    }
    const StructureFile& file = EmbeddedStructureFiles()[k];
    const uint64_t base = GeneratedItems(files[k], party);
    int64_t scale = items_scale;
    if (items_per_party > 0) {
      const uint64_t wanted = static_cast<uint64_t>(items_per_party);
      scale = std::max<int64_t>(1, static_cast<int64_t>((wanted + base / 2) / base));
    }
    PartyStructure p;
    p.party = party;
    p.file = std::string(file.path);
    TALLY_ASSIGN_OR_RETURN(p.as_of, Date::Parse(file.as_of));
    p.source = std::string(file.source);
    p.scale = scale;
    for (escrow::ForceRow row : files[k]) {
      if (row.party != party) continue;
      // Larger inventories for scale runs: every count of the row times the party's multiplier.
      row.deployed *= scale;
      row.non_deployed *= scale;
      row.converted *= scale;
      row.test *= scale;
      row.warheads *= scale;
      out.rows.push_back(std::move(row));
    }
    p.items = GeneratedItems(out.rows, party);
    if (p.items > escrow::kMaxGeneratedItems) {
      return InvalidArgument(party + ": " + std::to_string(p.items) +
                             " items exceed the limit of " +
                             std::to_string(escrow::kMaxGeneratedItems) + " generated items");
    }
    out.parties.push_back(std::move(p));
  }
  return out;
}

}  // namespace tally::exercise
