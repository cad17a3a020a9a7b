#include "tally/escrow/opening_policy.h"

#include <algorithm>
#include <set>

namespace tally::escrow {
namespace {

using treaty::OpeningScope;

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Status NeedsContext(const treaty::OpeningStage& stage, const StageContext& context) {
  if (stage.scope == OpeningScope::kSite && context.site.empty()) {
    return InvalidArgument("stage '" + stage.id + "' opens the inspected site: give the site");
  }
  if (stage.scope == OpeningScope::kDesignated && context.designated.empty()) {
    return InvalidArgument("stage '" + stage.id +
                           "' opens the designated items: give the designated uids");
  }
  return Status::Ok();
}

Result<size_t> CategoryIndex(const Statement& statement, const std::string& category) {
  for (size_t c = 0; c < statement.categories.size(); ++c) {
    if (statement.categories[c] == category) return c;
  }
  return InvalidArgument("stage category '" + category + "' is not in the declaration (it has " +
                         Join(statement.categories) + ")");
}

}  // namespace

Result<std::vector<uint64_t>> StageLeaves(const Declaration& declaration,
                                          const treaty::OpeningStage& stage,
                                          const StageContext& context) {
  TALLY_RETURN_IF_ERROR(NeedsContext(stage, context));
  std::vector<Selection> selections;
  switch (stage.scope) {
    case OpeningScope::kAll:
      selections.push_back(Selection{.all = true});
      break;
    case OpeningScope::kSite:
      selections.push_back(Selection{.facility = context.site});
      break;
    case OpeningScope::kDesignated:
      // The designated items and what they carry: an inspector counting the reentry vehicles on
      // a designated missile compares them with the warhead records hosted on it.
      selections.push_back(Selection{.uids = context.designated});
      selections.push_back(Selection{.hosted_on = context.designated});
      break;
    case OpeningScope::kCategories:
      for (const std::string& c : stage.categories) {
        TALLY_ASSIGN_OR_RETURN(size_t index, CategoryIndex(declaration.statement(), c));
        // A category with nothing declared in it has nothing to open.
        if (declaration.statement().totals[index] == 0) continue;
        selections.push_back(Selection{.category = c});
      }
      break;
  }
  std::set<uint64_t> leaves;
  for (const Selection& s : selections) {
    auto some = declaration.Select(s);
    // An item that carries nothing is fine; every other selection must match.
    if (!some.ok() && !s.hosted_on.empty() &&
        some.error().code() == StatusCode::kVerificationFailed) {
      continue;
    }
    if (!some.ok()) return some.error();
    leaves.insert(some->begin(), some->end());
  }
  if (leaves.empty()) {
    return VerificationFailed("stage '" + stage.id + "' opens no leaf of this declaration");
  }
  return std::vector<uint64_t>(leaves.begin(), leaves.end());
}

Result<Bundle> OpenStage(const Declaration& declaration, const treaty::OpeningStage& stage,
                         const StageContext& context) {
  TALLY_ASSIGN_OR_RETURN(std::vector<uint64_t> leaves, StageLeaves(declaration, stage, context));
  std::string description = "stage=" + stage.id;
  if (stage.scope == OpeningScope::kSite) description += " facility=" + context.site;
  if (stage.scope == OpeningScope::kDesignated) description += " uid=" + Join(context.designated);
  return declaration.OpenLeaves(leaves, description);
}

Result<StageCoverage> CheckStage(const Statement& statement, const treaty::OpeningStage& stage,
                                 const StageContext& context, const VerifiedOpening& opening) {
  TALLY_RETURN_IF_ERROR(NeedsContext(stage, context));
  StageCoverage cover;
  cover.stage = stage.id;
  const std::string prefix = "stage '" + stage.id + "' ";
  switch (stage.scope) {
    case OpeningScope::kAll: {
      cover.complete_provably = true;
      cover.required = statement.leaves;
      cover.opened = opening.opened.size();
      if (cover.opened != cover.required) {
        return VerificationFailed(prefix + "requires every leaf: opened " +
                                  std::to_string(cover.opened) + " of " +
                                  std::to_string(cover.required));
      }
      cover.detail = "every leaf opened, padding included";
      break;
    }
    case OpeningScope::kCategories: {
      cover.complete_provably = true;
      for (const std::string& c : stage.categories) {
        TALLY_ASSIGN_OR_RETURN(size_t index, CategoryIndex(statement, c));
        const uint64_t declared = statement.totals[index];
        const uint64_t opened = opening.subtotals[index];
        cover.required += declared;
        cover.opened += opened;
        if (opened != declared) {
          return VerificationFailed(prefix + "requires every item counted in " + c +
                                    ": the opened items count " + std::to_string(opened) +
                                    " of the declared " + std::to_string(declared));
        }
      }
      cover.detail = "the opened items count the declared totals of " + Join(stage.categories);
      break;
    }
    case OpeningScope::kDesignated: {
      cover.complete_provably = true;
      std::set<std::string> opened;
      for (const OpenedLeaf& l : opening.opened) {
        if (!l.record.dummy) opened.insert(l.record.item.uid);
      }
      std::vector<std::string> missing;
      for (const std::string& uid : context.designated) {
        if (!opened.count(uid)) missing.push_back(uid);
      }
      cover.required = context.designated.size();
      cover.opened = cover.required - missing.size();
      if (!missing.empty()) {
        return VerificationFailed(prefix +
                                  "requires the designated items; not opened: " + Join(missing));
      }
      cover.detail = "every designated item opened";
      break;
    }
    case OpeningScope::kSite: {
      std::vector<std::string> elsewhere;
      for (const OpenedLeaf& l : opening.opened) {
        if (l.record.dummy) continue;
        if (l.record.item.facility == context.site) {
          ++cover.opened;
        } else if (elsewhere.size() < 5) {
          elsewhere.push_back(l.record.item.uid + " at " + l.record.item.facility);
        }
      }
      if (!elsewhere.empty()) {
        return VerificationFailed(prefix + "opens the items at " + context.site +
                                  ", but the bundles open items elsewhere: " + Join(elsewhere));
      }
      if (cover.opened == 0) {
        return VerificationFailed(prefix + "requires the items at " + context.site +
                                  "; none is opened");
      }
      cover.required = cover.opened;
      cover.detail = std::to_string(cover.opened) + " item(s) opened at " + context.site +
                     "; completeness at the site is what the inspection checks";
      break;
    }
  }
  return cover;
}

}  // namespace tally::escrow
