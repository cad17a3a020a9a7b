#include "tally/exercise/cheat_outcomes.h"

#include <algorithm>
#include <tuple>

#include "tally/escrow/notification.h"
#include "tally/exercise/detection_model.h"
#include "tally/inspection/workflow.h"

namespace tally::exercise {
namespace {

constexpr int64_t kDay = 86400;

}  // namespace

Side& YearState::SideOf(const std::string& id) {
  for (Side& s : sides) {
    if (s.id == id) return s;
  }
  return sides.front();
}

const Side& YearState::SideOf(const std::string& id) const {
  for (const Side& s : sides) {
    if (s.id == id) return s;
  }
  return sides.front();
}

bool IsMissile(const model::Item& it) {
  return it.kind == model::ItemKind::kIcbm || it.kind == model::ItemKind::kSlbm;
}

std::vector<std::string> SitesFor(const Side& side, const treaty::InspectionType& type) {
  std::map<std::string, std::pair<bool, bool>> facilities;  // any deployed, any item
  // Items come grouped by facility: the map is searched once a group, not once an item.
  const std::string* last = nullptr;
  std::pair<bool, bool>* f = nullptr;
  for (const model::Item& it : side.inventory.items) {
    if (!last || it.facility != *last) {
      f = &facilities[it.facility];
      last = &it.facility;
    }
    f->second = true;
    if (it.status == model::ItemStatus::kDeployed) f->first = true;
  }
  std::vector<std::string> out;
  for (const auto& [name, f] : facilities) {
    const bool ok = type.site_rule == treaty::SiteRule::kDeployed          ? f.first
                    : type.site_rule == treaty::SiteRule::kNonDeployedOnly ? f.second && !f.first
                                                                           : f.second;
    if (ok) out.push_back(name);
  }
  return out;
}

bool Designable(const treaty::InspectionType& type, const model::Item& it) {
  return (type.designate_kinds.empty() ||
          std::find(type.designate_kinds.begin(), type.designate_kinds.end(), it.kind) !=
              type.designate_kinds.end()) &&
         (type.designate_statuses.empty() ||
          std::find(type.designate_statuses.begin(), type.designate_statuses.end(), it.status) !=
              type.designate_statuses.end());
}

namespace {

// Every inspecting party's inspections of each type this year, under DetectionModel.
Result<double> PhysicalDetection(const YearState& state, const Cheat& cheat, std::string& model) {
  const Side& side = state.SideOf(cheat.party);
  // (inspector, type, treaty year): site rounds start afresh each treaty year.
  std::map<std::tuple<std::string, std::string, int>, uint64_t> visits;
  for (const auto& [id, info] : state.infos) {
    if (info.inspected == cheat.party) {
      ++visits[{info.inspecting, info.type_id, info.treaty_year}];
    }
  }
  double miss = 1.0;
  std::map<std::string, uint64_t> per_type;  // "N Type One by US over S sites" across years
  for (const auto& [key, n] : visits) {
    const treaty::InspectionType* type = nullptr;
    for (const auto& t : state.treaty->regime.inspections) {
      if (t.id == std::get<1>(key)) type = &t;
    }
    if (!type) continue;
    std::vector<SiteCount> sites;
    for (const std::string& site : SitesFor(side, *type)) {
      SiteCount count{site, 0, 0};
      uint64_t defective_anywhere = 0;
      for (const model::Item& it : side.physical.items) {
        if (it.facility != site) continue;
        const bool defective = cheat.kind == CheatKind::kOverloadedMissile
                                   ? side.overloaded.count(it.uid) > 0
                                   : side.hidden.count(it.uid) > 0;
        if (defective) ++defective_anywhere;
        if (side.hidden.count(it.uid)) continue;  // not declared: never a candidate
        if (Designable(*type, it)) {
          ++count.items;
          if (defective) ++count.cheats;
        }
      }
      if (type->items_per_inspection == 0 || count.items == 0) {
        count = SiteCount{site, 1, defective_anywhere > 0 ? 1u : 0u};  // inspected whole
      }
      sites.push_back(count);
    }
    TALLY_ASSIGN_OR_RETURN(
        double p,
        YearDetectionProbability(
            sites, n, std::max<uint64_t>(1, static_cast<uint64_t>(type->items_per_inspection))));
    miss *= 1.0 - p;
    per_type[type->name + " by " + std::get<0>(key) + " over " + std::to_string(sites.size()) +
             " sites"] += n;
  }
  for (const auto& [what, n] : per_type) {
    model += (model.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  }
  model += "; distinct sites, uniform designation (exercise/detection_model.h)";
  return 1.0 - miss;
}

// Late notifications as the partner finds them: each notification entry of the party, sent
// when its log says, against the treaty's deadline.
Status LateNotifications(const YearState& state, const TreatyYearRun& run, const Cheat& cheat,
                         CheatOutcome& out) {
  const inspection::PartyLog* log = nullptr;
  for (const inspection::PartyLog& l : run.source.logs) {
    if (l.owner() == cheat.party) log = &l;
  }
  if (!log) return Status::Ok();
  std::vector<escrow::Notification> list;
  std::vector<std::string> where;
  for (const inspection::NotificationRef& ref : log->notifications()) {
    escrow::Notification n;
    n.type = escrow::ParseNotificationType(ref.type).value_or(escrow::NotificationType::kMovement);
    n.party = cheat.party;
    n.uid = ref.uid;
    n.event = ref.event;
    n.notified = Date::FromDays(ref.logged->entry.time / kDay);
    list.push_back(std::move(n));
    where.push_back(ref.logged->Where());
  }
  TALLY_ASSIGN_OR_RETURN(auto statuses, escrow::CheckDeadlines(*state.treaty, list, run.ends));
  int64_t late = 0;
  for (size_t k = 0; k < statuses.size(); ++k) {
    if (!statuses[k].late) continue;
    out.applied = late + 1;
    if (late++ == 0) {
      out.caught = true;
      out.by = "the notification deadlines (" + statuses[k].deadline.rule + ")";
      out.when = statuses[k].notification->notified;
      out.evidence = where[k];
      out.finding = "the movement of " + list[k].uid + " on " + list[k].event.ToString() +
                    " was notified " + std::to_string(statuses[k].days_late) + " days late";
    }
  }
  if (late > 1) out.finding += " (" + std::to_string(late) + " late notifications in all)";
  return Status::Ok();
}

}  // namespace

// For each cheat: caught or not, by what and when, with the entry that shows it, beside the
// probability the regime had of catching it.
std::string ForkModel() {
  return "certain while the partner compares what the cheater's node shows it with a witness's "
         "view: two checkpoints of one size under one key with two roots are a fork";
}

Result<std::vector<CheatOutcome>> CheatOutcomes(const YearState& state, const TreatyYearRun& run) {
  std::vector<CheatOutcome> outcomes;
  // Each inspection replayed from the logs when a cheat first asks for it: only the cheater's
  // inspections are read, up to the one that caught it (a scale run clears the verified bundles
  // after each inspection, so every replay here verifies its bundles again).
  std::map<std::string, inspection::InspectionRecord> replayed;
  auto record_of = [&](const std::string& id) -> Result<const inspection::InspectionRecord*> {
    auto it = replayed.find(id);
    if (it == replayed.end()) {
      TALLY_ASSIGN_OR_RETURN(inspection::InspectionRecord rec,
                             inspection::Replay(*state.treaties, run.source, id, 0));
      it = replayed.emplace(id, std::move(rec)).first;
    }
    return &it->second;
  };
  for (const Cheat& cheat : state.options->cheats) {
    CheatOutcome out;
    out.cheat = cheat;
    out.probability = 1.0;
    switch (cheat.kind) {
      case CheatKind::kOverloadedMissile:
      case CheatKind::kHiddenReserve: {
        const bool overload = cheat.kind == CheatKind::kOverloadedMissile;
        const std::string wanted = overload ? "warheads" : "unknown";
        for (const std::string& id : run.inspections) {
          const InspectionInfo& info = state.infos.at(id);
          if (info.inspected != cheat.party || out.caught) continue;
          const Side& cheater = state.SideOf(cheat.party);
          const std::set<std::string>& own = overload ? cheater.overloaded : cheater.hidden;
          if (own.empty()) break;  // not applied: nothing to find
          TALLY_ASSIGN_OR_RETURN(const inspection::InspectionRecord* rec, record_of(id));
          for (const inspection::Discrepancy& d : rec->discrepancies) {
            if (d.kind != wanted || !own.count(d.uid)) continue;
            out.caught = true;
            out.by = "inspection " + id + " (" + info.type_name + " at " + info.site + ")";
            out.finding = d.what;
            out.when = info.findings_day;
            out.evidence = info.findings_where;
            break;
          }
        }
        out.applied = static_cast<int64_t>(
            (overload ? state.SideOf(cheat.party).overloaded : state.SideOf(cheat.party).hidden)
                .size());
        if (out.applied == 0) {
          out.not_applied = overload ? "no deployed missile of " + cheat.party +
                                           " has room for one more reentry vehicle"
                                     : cheat.party + " has no storage site holding two items";
          out.probability = 0;
          break;
        }
        TALLY_ASSIGN_OR_RETURN(out.probability, PhysicalDetection(state, cheat, out.model));
        break;
      }
      case CheatKind::kRefuseReveal:
        for (const std::string& id : run.inspections) {
          if (out.caught) break;
          if (state.infos.at(id).inspected != cheat.party) continue;
          TALLY_ASSIGN_OR_RETURN(const inspection::InspectionRecord* rec, record_of(id));
          for (const inspection::ProceduralViolation& v : rec->procedural) {
            if (v.party != cheat.party || v.kind != "refused-reveal") continue;
            const InspectionInfo& info = state.infos.at(id);
            out.caught = true;
            out.by = "inspection " + id + " (" + info.type_name + " at " + info.site + ")";
            out.finding = v.what;
            out.when = info.findings_day;
            out.evidence = info.findings_where;
            break;
          }
        }
        out.model = "certain: a missing reveal is on the record once the 24-hour deadline passes";
        out.applied = (state.refusals.count(cheat.party) ? state.refusals.at(cheat.party) : 0);
        if (out.applied == 0) {
          out.not_applied = "no inspection of " + cheat.party + " drew randomness";
          out.probability = 0;
        }
        break;
      case CheatKind::kSwapDeclaration:
        if (!state.swap_inspection.empty()) {
          out.caught = !state.swap_refusal.empty();
          out.by = "the replay of inspection " + state.swap_inspection +
                   " (the site opening against the declaration the request pinned)";
          out.finding = state.swap_refusal.empty() ? "the opening against the swapped declaration "
                                                     "was accepted"
                                                   : state.swap_refusal;
          out.when = state.infos.at(state.swap_inspection).day;
          out.evidence = state.swap_where + " (the second declaration)";
        }
        out.model = "certain: the request pins the declaration the inspector saw";
        out.applied = state.swap_inspection.empty() ? 0 : 1;
        if (out.applied == 0) {
          out.not_applied = cheat.party + " was never inspected";
          out.probability = 0;
        }
        break;
      case CheatKind::kForkedLog:
        // Shown by the cheater's node to one party and not another: there is no fork without
        // nodes. The node run (node_run.h) fills this outcome in when it stages the fork.
        out.not_applied = "a split view is shown by a node: run with the nodes (not --in-process)";
        out.probability = 0;
        out.model = ForkModel();
        break;
      case CheatKind::kLateNotification:
        TALLY_RETURN_IF_ERROR(LateNotifications(state, run, cheat, out));
        out.model = "certain: the log dates each notification, the treaty dates its deadline";
        if (out.applied == 0) {
          out.not_applied = cheat.party + " logged no notification";
          out.probability = 0;
        }
        break;
    }
    outcomes.push_back(std::move(out));
  }
  return outcomes;
}

}  // namespace tally::exercise
