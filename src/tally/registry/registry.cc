#include "tally/registry/registry.h"

#include <algorithm>
#include <map>
#include <set>

#include "tally/base/file.h"
#include "tally/base/text.h"
#include "tally/data/embedded.h"
#include "tally/model/state.h"
#include "tally/registry/dataset_csv.h"

namespace tally::registry {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Lower is better: confirmed, derived and estimated figures win over unconfirmed and recalled.
int Trust(model::Confidence c) {
  return c == model::Confidence::kUnconfirmed || c == model::Confidence::kRecalled ? 1 : 0;
}

}  // namespace

Result<std::string> NormalizeState(std::string_view text) {
  if (EqualsIgnoreCase(text, model::kWorld) || EqualsIgnoreCase(text, "total")) {
    return std::string(model::kWorld);
  }
  auto s = model::FindState(text);
  if (!s) {
    std::vector<std::string> names = {std::string(model::kWorld)};
    for (const auto& st : model::AllStates()) {
      names.emplace_back(st.code);
      names.emplace_back(st.name);
    }
    return InvalidArgument("unknown state " + QuoteText(text) + DidYouMean(text, names) +
                           ": expected US, RU, CN, FR, GB, IN, PK, IL, KP, ZA, World or a name");
  }
  return std::string(s->code);
}

int StateOrder(std::string_view code) {
  int i = 0;
  for (const auto& s : model::AllStates()) {
    if (s.code == code) return i;
    ++i;
  }
  return code == model::kWorld ? 1000 : 999;
}

Result<Registry> Registry::LoadEmbedded() {
  Registry r;
  for (const auto& entry : data::EmbeddedFilesUnder("forces/")) {
    if (entry.path.size() < 4 || entry.path.substr(entry.path.size() - 4) != ".csv") continue;
    const std::string name = "embedded:" + std::string(entry.path);
    auto d = ParseDatasetCsv(entry.content, name);
    if (!d) return Internal("shipped data is broken: " + d.error().message());
    d->version = 0;
    Status s = r.Add(std::move(*d));
    if (!s.ok()) return Internal("shipped data is broken: " + s.message());
  }
  return r;
}

Status Registry::Add(Dataset dataset) {
  for (auto& f : dataset.figures) {
    f.dataset = dataset.name;
    f.dataset_version = dataset.version;
  }
  auto pos = std::lower_bound(datasets_.begin(), datasets_.end(), dataset,
                              [](const Dataset& a, const Dataset& b) {
                                return std::tie(a.name, a.version) < std::tie(b.name, b.version);
                              });
  if (pos != datasets_.end() && pos->name == dataset.name && pos->version == dataset.version) {
    return AlreadyExists("dataset " + dataset.Ref() + " is already loaded (from " + pos->origin +
                         ")");
  }
  datasets_.insert(pos, std::move(dataset));
  return Status::Ok();
}

Result<std::string> Registry::AddFile(const std::string& path) {
  TALLY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  TALLY_ASSIGN_OR_RETURN(Dataset d, ParseDatasetCsv(text, path));
  int next = 0;
  for (const auto& e : datasets_) {
    if (e.name == d.name) next = std::max(next, e.version + 1);
  }
  d.version = next;
  std::string ref = d.Ref();
  TALLY_RETURN_IF_ERROR(Add(std::move(d)));
  return ref;
}

std::vector<const Dataset*> Registry::Newest() const {
  std::vector<const Dataset*> out;
  for (size_t i = 0; i < datasets_.size(); ++i) {
    if (i + 1 == datasets_.size() || datasets_[i + 1].name != datasets_[i].name) {
      out.push_back(&datasets_[i]);
    }
  }
  return out;
}

std::vector<std::string> Registry::SecondaryDatasets() const {
  std::vector<std::string> out;
  for (const Dataset* d : Newest()) {
    if (d->secondary) out.push_back(d->name);
  }
  return out;
}

Result<const Dataset*> Registry::Find(const DatasetRef& ref) const {
  const Dataset* found = nullptr;
  for (const auto& d : datasets_) {
    if (d.name != ref.name) continue;
    if (ref.version < 0 || d.version == ref.version) found = &d;  // sorted: last is newest
  }
  if (found) return found;
  std::string known;
  std::set<std::string> names;
  for (const auto& d : datasets_) names.insert(d.name);
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  if (ref.version >= 0) {
    for (const auto& d : datasets_) {
      if (d.name == ref.name) {
        return NotFound("dataset " + ref.name + "@" + std::to_string(ref.version) +
                        " does not exist (see `tally data list` for its versions)");
      }
    }
  }
  return NotFound("unknown dataset '" + ref.name + "'; known: " + known);
}

Result<std::vector<model::Figure>> Registry::Select(const FigureFilter& filter) const {
  std::vector<const Dataset*> chosen;
  if (filter.datasets.empty()) {
    chosen = Newest();
  } else {
    for (const auto& ref : filter.datasets) {
      TALLY_ASSIGN_OR_RETURN(const Dataset* d, Find(ref));
      if (std::find(chosen.begin(), chosen.end(), d) == chosen.end()) chosen.push_back(d);
    }
  }
  std::vector<std::string> states;
  for (const auto& s : filter.states) {
    TALLY_ASSIGN_OR_RETURN(std::string code, NormalizeState(s));
    states.push_back(code);
  }
  std::vector<model::Figure> out;
  for (const Dataset* d : chosen) {
    for (const auto& f : d->figures) {
      if (!states.empty()) {
        if (std::find(states.begin(), states.end(), f.state) == states.end()) continue;
      } else if (!filter.include_world && f.state == model::kWorld) {
        continue;
      }
      if (!filter.categories.empty() &&
          std::find(filter.categories.begin(), filter.categories.end(), f.category) ==
              filter.categories.end()) {
        continue;
      }
      if (filter.year && f.year() != *filter.year) continue;
      if (filter.from && f.as_of < *filter.from) continue;
      if (filter.to && f.as_of > *filter.to) continue;
      out.push_back(f);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const model::Figure& a, const model::Figure& b) {
    return std::make_tuple(a.dataset, a.dataset_version, StateOrder(a.state), a.category, a.as_of) <
           std::make_tuple(b.dataset, b.dataset_version, StateOrder(b.state), b.category, b.as_of);
  });
  return out;
}

Result<std::vector<model::Figure>> Registry::Latest(const FigureFilter& filter) const {
  TALLY_ASSIGN_OR_RETURN(auto figures, Select(filter));
  // A secondary source repeats others' estimates; it is "latest" only when asked for by name.
  if (filter.datasets.empty()) {
    std::erase_if(figures, [this](const model::Figure& f) {
      auto d = Find({f.dataset, f.dataset_version});
      return d.ok() && (*d)->secondary;
    });
  }
  std::map<std::string, Date> published;
  for (const auto& d : datasets_) published[d.Ref()] = d.published;
  auto ref = [](const model::Figure& f) {
    return f.dataset + "@" + std::to_string(f.dataset_version);
  };
  std::map<std::pair<int, model::Category>, model::Figure> best;
  std::map<std::pair<int, model::Category>, std::string> best_state;
  for (auto& f : figures) {
    auto key = std::make_pair(StateOrder(f.state), f.category);
    auto it = best.find(key);
    if (it == best.end()) {
      best.emplace(key, f);
      continue;
    }
    const model::Figure& b = it->second;
    auto rank = [&](const model::Figure& x) {
      return std::make_tuple(-Trust(x.confidence), x.as_of, published[ref(x)]);
    };
    if (rank(f) > rank(b)) it->second = f;
  }
  std::vector<model::Figure> out;
  for (auto& [k, f] : best) out.push_back(std::move(f));
  return out;
}

Result<const Dataset*> Registry::CurrentSnapshot() const {
  const Dataset* best = nullptr;
  Date best_date;
  for (const Dataset* d : Newest()) {
    std::set<std::string> stockpile, total;
    bool all_exact = true;
    Date latest;
    for (const auto& f : d->figures) {
      if (f.state == model::kWorld) continue;
      bool wanted = f.category == model::Category::kMilitaryStockpile ||
                    f.category == model::Category::kTotalInventory;
      if (!wanted) continue;
      if (f.confidence != model::Confidence::kConfirmed || f.has_range()) all_exact = false;
      (f.category == model::Category::kMilitaryStockpile ? stockpile : total).insert(f.state);
      latest = std::max(latest, f.as_of);
    }
    int nine = 0;
    for (const auto& s : model::AllStates()) {
      const std::string code(s.code);
      nine += s.nuclear_armed_today && stockpile.count(code) && total.count(code);
    }
    if (nine < 9 || !all_exact) continue;
    if (!best || std::tie(latest, d->published) > std::tie(best_date, best->published)) {
      best = d;
      best_date = latest;
    }
  }
  if (!best) {
    return NotFound(
        "no dataset gives confirmed stockpile and total-inventory figures for all nine states");
  }
  return best;
}

}  // namespace tally::registry
