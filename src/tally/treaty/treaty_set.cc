#include "tally/treaty/treaty_set.h"

#include <algorithm>

#include "tally/base/text.h"
#include "tally/data/embedded.h"
#include "tally/treaty/treaty_file.h"

namespace tally::treaty {

Status TreatySet::Add(Treaty treaty) {
  if (Find(treaty.id)) {
    return AlreadyExists("treaty '" + treaty.id + "' is defined twice (" + Find(treaty.id)->file +
                         " and " + treaty.file + ")");
  }
  treaties_.push_back(std::move(treaty));
  return Status::Ok();
}

Status TreatySet::AddFile(const std::string& path, bool replace) {
  TALLY_ASSIGN_OR_RETURN(Treaty t, LoadTreatyFile(path));
  if (replace) {
    for (Treaty& existing : treaties_) {
      if (existing.id == t.id) {
        existing = std::move(t);
        return Status::Ok();
      }
    }
  }
  return Add(std::move(t));
}

const Treaty* TreatySet::Find(std::string_view id) const {
  for (const Treaty& t : treaties_) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

Result<const Treaty*> TreatySet::Get(std::string_view id) const {
  if (const Treaty* t = Find(id)) return t;
  std::string known;
  std::vector<std::string> ids;
  for (const Treaty* t : All()) {
    known += known.empty() ? "" : ", ";
    known += t->id;
    ids.push_back(t->id);
  }
  return NotFound("no treaty " + QuoteText(id) + DidYouMean(id, ids) + " (known: " + known + ")");
}

std::vector<const Treaty*> TreatySet::All() const {
  std::vector<const Treaty*> out;
  for (const Treaty& t : treaties_) out.push_back(&t);
  std::stable_sort(out.begin(), out.end(), [](const Treaty* a, const Treaty* b) {
    if (a->dates.signed_on != b->dates.signed_on) return a->dates.signed_on < b->dates.signed_on;
    return a->id < b->id;
  });
  return out;
}

Result<TreatySet> LoadDefaultTreaties() {
  TreatySet set;
  for (const data::EmbeddedFileEntry& f : data::EmbeddedFilesUnder("treaties/")) {
    if (f.path.size() < 5 || f.path.substr(f.path.size() - 5) != ".toml") continue;
    TALLY_ASSIGN_OR_RETURN(Treaty t, ParseTreatyToml(f.content, std::string(f.path)));
    TALLY_RETURN_IF_ERROR(set.Add(std::move(t)));
  }
  return set;
}

}  // namespace tally::treaty
