#include "tally/exercise/treaty_year.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include "tally/base/parallel.h"
#include "tally/crypto/random.h"
#include "tally/data/embedded.h"
#include "tally/escrow/declaration.h"
#include "tally/escrow/inventory_generator.h"
#include "tally/escrow/notification.h"
#include "tally/escrow/statement.h"
#include "tally/exercise/cheat_choice.h"
#include "tally/exercise/cheat_outcomes.h"
#include "tally/inspection/actions.h"
#include "tally/inspection/ledger.h"
#include "tally/model/state.h"
#include "tally/tlog/entry.h"
#include "tally/treaty/check.h"
#include "tally/treaty/counting.h"

namespace tally::exercise {
namespace {

constexpr int64_t kDay = 86400;
// Below this many items in all, a data date's commitments cost less than starting threads.
constexpr size_t kParallelCommitItems = 20000;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int64_t At(Date day, int hour, int minute = 0) {
  return day.days() * kDay + hour * 3600 + minute * 60;
}

struct Event {
  int64_t time = 0;
  uint64_t order = 0;  // ties: scheduling order
  std::function<Status()> run;
};

class Year {
 public:
  Year(const TreatyYearOptions& o, const inspection::TreatyLookup& treaties)
      : options_(o), treaties_(treaties), random_(o.seed) {}

  Result<TreatyYearRun> Run() {
    treaty_ = treaties_(options_.treaty);
    if (!treaty_) return NotFound("unknown treaty \"" + options_.treaty + "\"");
    state_.options = &options_;
    state_.treaty = treaty_;
    state_.treaties = &treaties_;
    if (!treaty_->dates.entry_into_force) {
      return FailedPrecondition(treaty_->id + " has no entry into force");
    }
    if (!treaty_->regime.data_exchange || treaty_->regime.data_exchange->as_of.empty()) {
      return FailedPrecondition(treaty_->id + " has no data exchange dates in its regime");
    }
    const Date eif = *treaty_->dates.entry_into_force;
    if (options_.years < 1 || options_.years > 50) {
      return InvalidArgument("years: expected 1 to 50, got " + std::to_string(options_.years));
    }
    if (options_.year < 1) {
      return InvalidArgument("year: expected 1 or more, got " + std::to_string(options_.year));
    }
    run_.begins = eif.AddYears(options_.year - 1);
    run_.ends = eif.AddYears(options_.year - 1 + options_.years);
    if (ScaleRun()) {
      TALLY_RETURN_IF_ERROR(run_.source.documents.ArchiveTo(options_.documents_archive));
    }
    if (treaty_->dates.ended && run_.ends > *treaty_->dates.ended) {
      int last = 0;  // the last treaty year that ends by the treaty's end
      while (eif.AddYears(last + 1) <= *treaty_->dates.ended) ++last;
      return InvalidArgument(
          "treaty year" + std::string(options_.years > 1 ? "s " : " ") +
          std::to_string(options_.year) +
          (options_.years > 1 ? "-" + std::to_string(options_.year + options_.years - 1) : "") +
          " of " + treaty_->id + " end on " + run_.ends.ToString() +
          ", after the treaty ended on " + treaty_->dates.ended->ToString() +
          " (its treaty years are 1 to " + std::to_string(last) + ")");
    }
    TALLY_RETURN_IF_ERROR(CheckParties());
    TALLY_RETURN_IF_ERROR(LoadStructure());
    for (const std::string& p : options_.parties) {
      run_.source.logs.emplace_back(p, "tally.example/" + Lower(p), "memory");
      state_.sides.push_back(Side{p, {}, {}});
    }
    TALLY_RETURN_IF_ERROR(ScheduleDeclarations());
    ScheduleNotifications();
    TALLY_RETURN_IF_ERROR(ScheduleInspections());
    std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
      return std::tie(a.time, a.order) < std::tie(b.time, b.order);
    });
    for (Event& e : events_) TALLY_RETURN_IF_ERROR(e.run());
    if (ScaleRun()) {
      // Every later reader (the outcomes, the report) replays each inspection about once.
      std::lock_guard<std::mutex> lock(run_.source.verified->mu);
      run_.source.verified->by_key.clear();
      run_.source.verified->keep = false;
    }
    TALLY_RETURN_IF_ERROR(Outcomes());
    return std::move(run_);
  }

 private:
  void Schedule(int64_t time, std::function<Status()> run) {
    events_.push_back(Event{time, next_order_++, std::move(run)});
  }

  // Two or more distinct parties, each one the treaty names.
  Status CheckParties() const {
    const std::vector<std::string>& parties = options_.parties;
    if (parties.size() < 2) {
      return InvalidArgument("parties: expected at least two, got " +
                             std::to_string(parties.size()));
    }
    std::string named;
    for (const std::string& p : treaty_->parties) named += (named.empty() ? "" : ", ") + p;
    for (size_t i = 0; i < parties.size(); ++i) {
      if (std::string e = model::StateCodeExpectation(parties[i]); !e.empty()) {
        return InvalidArgument("parties: \"" + parties[i] + "\": " + e);
      }
      if (std::find(parties.begin(), parties.begin() + i, parties[i]) != parties.begin() + i) {
        return InvalidArgument("parties: " + parties[i] + " twice");
      }
      if (std::find(treaty_->parties.begin(), treaty_->parties.end(), parties[i]) ==
          treaty_->parties.end()) {
        return InvalidArgument("parties: " + parties[i] + " is not a party of " + treaty_->id +
                               " (its parties: " + named + ")");
      }
    }
    return Status::Ok();
  }

  Status LoadStructure() {
    TALLY_ASSIGN_OR_RETURN(
        ExerciseStructure s,
        LoadExerciseStructure(options_.parties, options_.items_scale, options_.items_per_party));
    rows_ = std::move(s.rows);
    run_.structures = std::move(s.parties);
    return Status::Ok();
  }

  Side& SideOf(const std::string& id) { return state_.SideOf(id); }

  inspection::PartyLog& LogOf(const std::string& id) {
    for (inspection::PartyLog& l : run_.source.logs) {
      if (l.owner() == id) return l;
    }
    return run_.source.logs.front();
  }

  // Appends a party's entry to its own log and hands its document over (`sha256`, if not all
  // zero, is the hash the acting party computed of it).
  Status Log(const tlog::Entry& entry, std::string document = "",
             const inspection::Hash32& sha256 = {}) {
    auto bytes = tlog::EncodeEntry(entry);
    if (!bytes.ok()) return bytes.error();
    inspection::PartyLog& log = LogOf(entry.party);
    const size_t refused = log.refused().size();
    log.Append(std::move(*bytes));
    if (log.refused().size() != refused) return Internal(log.refused().back().reason);
    if (!document.empty()) {
      if (sha256 == inspection::Hash32{}) {
        run_.source.documents.Add(std::move(document));
      } else {
        run_.source.documents.Add(std::move(document), sha256);
      }
    }
    run_.source.Index();
    ++run_.entries;
    return Status::Ok();
  }

  Status Act(Result<inspection::Action> action, std::string_view what) {
    if (!action.ok()) {
      return Internal("treaty year: " + std::string(what) + ": " + action.error().message());
    }
    return Log(action->entry, std::move(action->document), action->document_sha256);
  }

  // The data dates before and inside the year: the baseline, then each exchange.
  std::vector<Date> DataDates() const {
    std::vector<Date> all;
    for (int y = run_.begins.year() - 1; y <= run_.ends.year(); ++y) {
      for (const std::string& md : treaty_->regime.data_exchange->as_of) {
        auto d = Date::Parse(std::to_string(y) + "-" + md);
        if (d.ok()) all.push_back(*d);
      }
    }
    std::sort(all.begin(), all.end());
    std::vector<Date> out;
    for (const Date& d : all) {
      if (d <= run_.begins) {
        out.assign(1, d);  // the last data date before the year: the baseline
      } else if (d < run_.ends) {
        out.push_back(d);
      }
    }
    return out;
  }

  Status ScheduleDeclarations() {
    const std::vector<Date> dates = DataDates();
    if (dates.size() < 2) return FailedPrecondition("no data date inside the treaty year");
    first_exchange_ = dates[1];
    // One event a data date for every party, in party order (as one event a party would run).
    for (size_t i = 0; i < dates.size(); ++i) {
      const Date as_of = dates[i];
      const Date logged = i == 0 ? run_.begins : as_of;
      Schedule(At(logged, 0), [this, as_of] { return DeclareAll(as_of); });
    }
    return Status::Ok();
  }

  // Each party's declaration for `as_of`: the inventories made in party order, the commitments
  // computed side by side (each depends only on its party's items and seeded secret; the
  // expensive part at scale), then logged in party order, so the logs do not depend on threads.
  Status DeclareAll(Date as_of) {
    const size_t n = state_.sides.size();
    std::vector<model::Inventory> inventories(n);
    for (size_t s = 0; s < n; ++s) {
      TALLY_ASSIGN_OR_RETURN(inventories[s], Prepare(state_.sides[s], as_of));
    }
    std::vector<std::optional<Result<escrow::Declaration>>> sealed(n);
    size_t items = 0;
    for (const model::Inventory& inv : inventories) items += inv.items.size();
    ParallelChunks(n, items < kParallelCommitItems ? n : 1, [&](size_t, size_t begin, size_t end) {
      for (size_t s = begin; s < end; ++s) {
        sealed[s].emplace(Seal(state_.sides[s], inventories[s], as_of));
      }
    });
    const int64_t time = At(as_of <= run_.begins ? run_.begins : as_of, 0);
    for (size_t s = 0; s < n; ++s) {
      if (!sealed[s]->ok()) return sealed[s]->error();
      TALLY_RETURN_IF_ERROR(
          Record(state_.sides[s], std::move(inventories[s]), **std::move(sealed[s]), time));
    }
    return Status::Ok();
  }

  // The inventory `side` declares for `as_of` (its cheats applied), with the compliance rows.
  Result<model::Inventory> Prepare(Side& side, Date as_of) {
    // The generator draws from the seed alone and only stamps the date, so each party's items
    // are generated once and restamped at each data date.
    auto generated = generated_.find(side.id);
    if (generated == generated_.end()) {
      escrow::GenerateOptions g;
      g.party = side.id;
      g.as_of = as_of;
      g.seed = options_.seed;
      TALLY_ASSIGN_OR_RETURN(model::Inventory first, escrow::GenerateInventory(rows_, g));
      generated = generated_.emplace(side.id, std::move(first)).first;
    }
    // After the first data date the declared items are the last declaration's (unless a swap
    // replaced it): taken over instead of copied again from the generated ones.
    const bool same_items = !side.declarations.empty() && side.dropped.empty();
    model::Inventory inv = same_items ? std::move(side.inventory) : generated->second;
    inv.as_of = as_of;
    if (!side.chose_cheats) ChooseCheats(options_.cheats, options_.seed, inv, side);
    model::Inventory physical;
    if (!side.declarations.empty()) {
      // The same items and the same cheats as at the last data date: only the date moves.
      physical = std::move(side.physical);
      physical.as_of = as_of;
    } else {
      physical = inv;
      // Overloaded: one more reentry vehicle on the missile than the declaration shows.
      for (const model::Item& it : inv.items) {
        if (!side.overloaded.count(it.uid)) continue;
        for (const model::Item& rv : inv.items) {
          if (rv.kind == model::ItemKind::kWarhead && rv.host == it.uid) {
            model::Item extra = rv;
            extra.uid = rv.uid + "-X";
            physical.items.push_back(std::move(extra));
            break;
          }
        }
      }
      side.hosted.clear();
      for (const model::Item& it : physical.items) {
        if (it.kind == model::ItemKind::kWarhead && !it.host.empty()) ++side.hosted[it.host];
      }
    }
    std::erase_if(inv.items, [&](const model::Item& it) { return side.hidden.count(it.uid) > 0; });
    TALLY_RETURN_IF_ERROR(Compliance(side.id, as_of, inv, physical, same_items));
    side.physical = std::move(physical);
    return inv;
  }

  // Commits `inv` as `side`'s declaration for `as_of` and logs it at `time`.
  Status Commit(Side& side, model::Inventory inv, Date as_of, int64_t time) {
    TALLY_ASSIGN_OR_RETURN(escrow::Declaration decl, Seal(side, inv, as_of));
    return Record(side, std::move(inv), std::move(decl), time);
  }

  // `inv` committed as `side`'s next declaration. Reads only `side`'s id and count of
  // declarations and the treaty: safe beside another party's Seal.
  Result<escrow::Declaration> Seal(const Side& side, const model::Inventory& inv,
                                   Date as_of) const {
    // Secrets are drawn from the seed, so a run replays byte for byte; an exercise only.
    crypto::SeededRandom random("tally exercise " + std::to_string(options_.seed) + " " + side.id +
                                " " + as_of.ToString() + " " +
                                std::to_string(side.declarations.size()));
    escrow::DeclareOptions d;
    d.party = side.id;
    return escrow::Declaration::Commit(*treaty_, inv, escrow::DeclarationSecret::Generate(random),
                                       d);
  }

  // Takes `decl` as `side`'s declaration of `inv` and logs its statement at `time`.
  Status Record(Side& side, model::Inventory inv, escrow::Declaration decl, int64_t time) {
    side.inventory = std::move(inv);
    sites_.clear();
    tlog::Entry e{static_cast<uint16_t>(tlog::EntryKind::kDeclaration), side.id, time,
                  escrow::StatementToJson(decl.statement())};
    side.declarations.push_back(std::move(decl));
    // Only the last two can still be opened against (the newest, and the one a pending refusal
    // or a swap pinned the day before); and any a refusing inspection pinned.
    std::set<size_t> keep;
    for (const auto& [id, index] : pinned_) keep.insert(index);
    for (size_t k = 0; k + 2 < side.declarations.size(); ++k) {
      if (!keep.count(k)) side.declarations[k].reset();
    }
    return Log(e);
  }

  int64_t AmountOf(const std::string& party, CheatKind kind) const {
    return CheatAmount(options_.cheats, party, kind);
  }

  // The treaty's limits counted on what was declared and on what is there.
  // `same_items`: the items declared and held are those of the party's last data date, whose
  // counts (which depend on the items, not the date) are taken again.
  Status Compliance(const std::string& party, Date as_of, const model::Inventory& declared,
                    const model::Inventory& physical, bool same_items) {
    auto counted = counted_.find(party);
    if (!same_items || counted == counted_.end()) {
      TALLY_ASSIGN_OR_RETURN(model::Posture d, treaty::CountInventory(*treaty_, declared, party));
      TALLY_ASSIGN_OR_RETURN(model::Posture a, treaty::CountInventory(*treaty_, physical, party));
      counted = counted_.insert_or_assign(party, std::make_pair(std::move(d), std::move(a))).first;
    }
    model::Posture d = counted->second.first, a = counted->second.second;
    d.as_of = as_of;
    a.as_of = as_of;
    treaty::CheckOptions at;
    at.date = as_of;
    const treaty::CheckResult cd = treaty::Check(*treaty_, d, at);
    const treaty::CheckResult ca = treaty::Check(*treaty_, a, at);
    ComplianceRow row{party,
                      as_of,
                      std::string(treaty::VerdictName(cd.verdict)),
                      std::string(treaty::VerdictName(ca.verdict)),
                      {}};
    for (size_t k = 0; k < cd.limits.size() && k < ca.limits.size(); ++k) {
      const treaty::LimitResult& ld = cd.limits[k];
      row.limits.push_back(LimitCount{ld.limit->name, ld.max, ld.counted.value_or(0),
                                      ca.limits[k].counted.value_or(0)});
    }
    run_.compliance.push_back(std::move(row));
    return Status::Ok();
  }

  void ScheduleNotifications() {
    const int64_t days = run_.ends.days() - run_.begins.days();
    for (const Side& side : state_.sides) {
      const int64_t late = AmountOf(side.id, CheatKind::kLateNotification);
      for (int i = 0; i < options_.notifications_per_party; ++i) {
        int64_t event = 2 * std::uniform_int_distribution<int64_t>(1, days / 2 - 4)(random_);
        int64_t delay = std::uniform_int_distribution<int64_t>(1, 4)(random_);
        // Late: ten days after the event, past New START's five (and landing on an even day).
        if (i < late) delay = 10;
        const uint64_t pick = random_();
        const std::string party = side.id;
        Schedule(At(run_.begins.AddDays(event + delay), 0),
                 [this, party, event, delay, pick] { return Notify(party, event, delay, pick); });
      }
    }
  }

  Status Notify(const std::string& party, int64_t event, int64_t delay, uint64_t pick) {
    const Side& side = SideOf(party);
    if (side.inventory.items.empty()) return Status::Ok();
    // A refusing party's inspection is designated the day after its request (an even day, when
    // movements happen): keep that day's movements away from the site, so the only breach on the
    // record is the refusal.
    const Date event_day = run_.begins.AddDays(event);
    std::set<std::string> blocked;
    for (const auto& [id, pinned] : pinned_) {
      const InspectionInfo& info = state_.infos[id];
      if (info.inspected == party && info.day.AddDays(1) == event_day) blocked.insert(info.site);
    }
    const size_t count = side.inventory.items.size();
    size_t at = pick % count;
    for (size_t tries = 0; tries < count && blocked.count(side.inventory.items[at].facility);
         ++tries) {
      at = (at + 1) % count;
    }
    if (blocked.count(side.inventory.items[at].facility)) return Status::Ok();
    const model::Item& item = side.inventory.items[at];
    escrow::Notification n;
    n.type = escrow::NotificationType::kMovement;
    n.party = party;
    n.uid = item.uid;
    n.event = run_.begins.AddDays(event);
    n.notified = n.event.AddDays(delay);
    n.detail = "within " + item.facility;
    return Log(tlog::Entry{static_cast<uint16_t>(tlog::EntryKind::kNotification), party,
                           At(*n.notified, 0), escrow::NotificationToJson(n)});
  }

  Status ScheduleInspections() {
    // Every inspection gets an odd day of its own after the first data exchange.
    struct Slot {
      std::string inspecting, inspected;
      const treaty::InspectionType* type;
    };
    std::vector<Slot> slots;
    for (const std::string& r : options_.parties) {
      for (const std::string& i : options_.parties) {
        if (r == i) continue;
        for (const auto& type : treaty_->regime.inspections) {
          const int64_t quota = type.QuotaFor(r);
          const int64_t share = quota / static_cast<int64_t>(options_.parties.size() - 1);
          for (int64_t n = 0; n < share; ++n) slots.push_back({r, i, &type});
        }
      }
    }
    // Each treaty year has its quotas; the first year's inspections start after its first
    // data exchange.
    const Date eif = *treaty_->dates.entry_into_force;
    std::vector<std::pair<int64_t, Slot>> planned;  // (day offset, slot)
    std::map<int64_t, int> year_of_day;
    for (int y = 0; y < options_.years; ++y) {
      const Date year_begins = eif.AddYears(options_.year - 1 + y);
      const Date year_ends = eif.AddYears(options_.year + y);
      Date first = y == 0 ? first_exchange_ : year_begins;
      // In the first treaty year, not before the regime's inspections may begin.
      for (const auto& type : treaty_->regime.inspections) {
        const Date may = eif.AddDays(type.begins_days_after_entry_into_force);
        if (first < may) first = may;
      }
      const int64_t from = first.days() - run_.begins.days() + 1;
      const int64_t to = year_ends.days() - run_.begins.days() - 2;
      std::vector<int64_t> days;
      for (int64_t d = from; d <= to; ++d) {
        if (d % 2 == 1) days.push_back(d);
      }
      if (days.size() < slots.size()) return FailedPrecondition("more inspections than days");
      std::shuffle(days.begin(), days.end(), random_);
      days.resize(slots.size());
      std::sort(days.begin(), days.end());
      std::vector<Slot> year_slots = slots;
      std::shuffle(year_slots.begin(), year_slots.end(), random_);
      for (size_t k = 0; k < year_slots.size(); ++k) {
        planned.emplace_back(days[k], year_slots[k]);
        year_of_day[days[k]] = options_.year + y;
      }
    }
    std::map<std::string, int> numbers, as_inspected;
    for (const auto& [offset, s] : planned) {
      const Date day = run_.begins.AddDays(offset);
      const int treaty_year = year_of_day[offset];
      const std::string key = s.inspecting + "-Y" + std::to_string(treaty_year);
      const std::string id = key + "-" + std::to_string(++numbers[key]);
      const uint64_t pick = random_();
      const int nth = ++as_inspected[s.inspected];
      const bool swap =
          nth == 1 && HasCheat(options_.cheats, s.inspected, CheatKind::kSwapDeclaration);
      Schedule(At(day, 8), [this, s, id, day, treaty_year, pick, swap] {
        return Inspect(s.inspecting, s.inspected, *s.type, id, day, treaty_year, pick, swap);
      });
      // A refusing party's inspection goes on after the reveal deadline, the next (even) day;
      // whether it refuses is known once its site is open (a whole site draws no randomness).
      if (AmountOf(s.inspected, CheatKind::kRefuseReveal) > 0) {
        Schedule(At(day.AddDays(1), 8, 30), [this, s, id, day] {
          return AfterDeadline(s.inspecting, s.inspected, id, day.AddDays(1));
        });
      }
    }
    return Status::Ok();
  }

  // The site for an inspection: uniformly among the declared sites the type admits that this
  // inspecting party has not visited with this type this year (all again once all are visited).
  std::string ChooseSite(const std::string& r, const Side& inspected,
                         const treaty::InspectionType& type, int treaty_year, uint64_t pick) {
    // A side's sites change only with its declaration: computed once per declaration and type.
    auto [cached, fresh] = sites_.try_emplace(inspected.id + " " + type.id);
    if (fresh) cached->second = SitesFor(inspected, type);
    const std::vector<std::string>& sites = cached->second;
    if (sites.empty()) return "";
    std::set<std::string>& seen =
        visited_[r + " " + inspected.id + " " + type.id + " " + std::to_string(treaty_year)];
    std::vector<std::string> open;
    for (const std::string& site : sites) {
      if (!seen.count(site)) open.push_back(site);
    }
    if (open.empty()) {
      seen.clear();
      open = sites;
    }
    const std::string site = open[pick % open.size()];
    seen.insert(site);
    return site;
  }

  // One inspection, start to finish on its day (its steps come before any later event), unless
  // the inspected party refuses to reveal: AfterDeadline finishes it.
  Status Inspect(const std::string& r, const std::string& i, const treaty::InspectionType& type,
                 const std::string& id, Date day, int treaty_year, uint64_t pick, bool swap) {
    Side& inspected = SideOf(i);
    const std::string site = ChooseSite(r, inspected, type, treaty_year, pick);
    if (site.empty()) return Status::Ok();  // nothing of this kind to inspect
    const inspection::Actor as_r{&treaties_, &run_.source, r};
    const inspection::Actor as_i{&treaties_, &run_.source, i};
    TALLY_RETURN_IF_ERROR(Act(
        inspection::RequestInspection(as_r, At(day, 8), {id, treaty_->id, type.id, i, site, {}}),
        id + " request"));
    run_.inspections.push_back(id);
    state_.infos[id] = InspectionInfo{r, i, type.id, type.name, site, day, treaty_year, "", day};
    const size_t pinned = inspected.declarations.size() - 1;
    if (swap) TALLY_RETURN_IF_ERROR(SwapDeclaration(inspected, id, site, day));
    const escrow::Declaration& decl = *inspected.declarations[pinned];
    if (!swap || !state_.swap_refusal.empty()) {
      TALLY_RETURN_IF_ERROR(Act(inspection::OpenSite(as_i, At(day, 9), id, decl), id + " site"));
    }
    TALLY_ASSIGN_OR_RETURN(inspection::InspectionRecord rec,
                           inspection::Replay(treaties_, run_.source, id, At(day, 9)));
    if (rec.stage == inspection::Stage::kSiteOpened) {
      const inspect::Secret sr = SecretFor(id, r), si = SecretFor(id, i);
      TALLY_RETURN_IF_ERROR(
          Act(inspection::CommitRandomness(as_r, At(day, 9, 10), id, sr), id + " commit"));
      TALLY_RETURN_IF_ERROR(
          Act(inspection::CommitRandomness(as_i, At(day, 9, 11), id, si), id + " commit"));
      if (state_.refusals[i] < AmountOf(i, CheatKind::kRefuseReveal)) {
        ++state_.refusals[i];
        pinned_[id] = pinned;
        return Status::Ok();
      }
      TALLY_RETURN_IF_ERROR(
          Act(inspection::RevealRandomness(as_i, At(day, 9, 20), id, si), id + " reveal"));
      TALLY_RETURN_IF_ERROR(
          Act(inspection::RevealRandomness(as_r, At(day, 9, 21), id, sr), id + " reveal"));
      TALLY_RETURN_IF_ERROR(
          Act(inspection::OpenDesignated(as_i, At(day, 10), id, decl), id + " designated opening"));
      TALLY_ASSIGN_OR_RETURN(rec, inspection::Replay(treaties_, run_.source, id, At(day, 10)));
    }
    return Findings(as_r, inspected, id, rec, At(day, 12));
  }

  Status AfterDeadline(const std::string& r, const std::string& i, const std::string& id,
                       Date day) {
    auto pinned = pinned_.find(id);
    if (pinned == pinned_.end()) return Status::Ok();  // inspected whole: nothing to reveal
    Side& inspected = SideOf(i);
    const inspection::Actor as_r{&treaties_, &run_.source, r};
    const inspection::Actor as_i{&treaties_, &run_.source, i};
    const escrow::Declaration& decl = *inspected.declarations[pinned->second];
    TALLY_RETURN_IF_ERROR(
        Act(inspection::RevealRandomness(as_r, At(day, 8, 30), id, SecretFor(id, r)),
            id + " reveal after the deadline"));
    TALLY_RETURN_IF_ERROR(
        Act(inspection::OpenDesignated(as_i, At(day, 9), id, decl), id + " designated opening"));
    TALLY_ASSIGN_OR_RETURN(inspection::InspectionRecord rec,
                           inspection::Replay(treaties_, run_.source, id, At(day, 9)));
    return Findings(as_r, inspected, id, rec, At(day, 10));
  }

  // What the inspectors see: the designated items as they physically are, and at a whole site
  // every item there, declared or not.
  Status Findings(const inspection::Actor& as_r, const Side& inspected, const std::string& id,
                  const inspection::InspectionRecord& rec, int64_t time) {
    std::vector<inspection::Observation> seen;
    for (const inspection::DeclaredItem& d : rec.declared) {
      auto hosted = inspected.hosted.find(d.uid);
      seen.push_back({d.uid, d.status, hosted == inspected.hosted.end() ? 0 : hosted->second});
    }
    bool unlisted = false;
    if (rec.whole_site) {
      // What is there but not on the list the inspectors were given: hidden items, and an item a
      // swapped declaration left out — unless the swap was refused and the site opened against
      // the real declaration, which lists it (it is then observed once, as declared).
      std::set<std::string> listed;
      for (const inspection::Observation& o : seen) listed.insert(o.uid);
      for (const model::Item& it : inspected.physical.items) {
        if (it.facility == rec.request.site && !listed.count(it.uid) &&
            (inspected.hidden.count(it.uid) || inspected.dropped.count(it.uid))) {
          auto hosted = inspected.hosted.find(it.uid);
          seen.push_back({it.uid, std::string(model::ItemStatusName(it.status)),
                          hosted == inspected.hosted.end() ? 0 : hosted->second});
          unlisted = true;
        }
      }
    }
    // The findings list each uid once, in ascending byte order.
    std::sort(seen.begin(), seen.end(),
              [](const inspection::Observation& a, const inspection::Observation& b) {
                return a.uid < b.uid;
              });
    TALLY_RETURN_IF_ERROR(Act(inspection::RecordFindings(as_r, time, id, std::move(seen), unlisted),
                              id + " findings"));
    const inspection::PartyLog& log = LogOf(as_r.me);
    state_.infos[id].findings_where = log.entries().back().Where();
    state_.infos[id].findings_day = Date::FromDays(time / kDay);
    // The inspection is over: no step of the year replays it again, so in a scale run the
    // bundles its replays verified need not stay parsed (the year would otherwise hold every
    // visited site's items parsed, once per inspection), nor its documents in memory (about
    // 200 MB a treaty year at 100,000 items a party); a later reader verifies them again, once,
    // from the archive. A year at the public sizes keeps them: the report's replays reuse them.
    if (ScaleRun()) {
      {
        std::lock_guard<std::mutex> lock(run_.source.verified->mu);
        run_.source.verified->by_key.clear();
      }
      TALLY_RETURN_IF_ERROR(run_.source.documents.ArchiveHeld());
    }
    return Status::Ok();
  }

  bool ScaleRun() const { return options_.items_scale > 1 || options_.items_per_party > 0; }

  // The swap: after the request, a second declaration for the same data date with one item at
  // the site left out, and the site opened against it. The replay must refuse that opening.
  Status SwapDeclaration(Side& side, const std::string& id, const std::string& site, Date day) {
    model::Inventory swapped = side.inventory;
    std::set<std::string> hosts;
    for (const model::Item& it : swapped.items) hosts.insert(it.host);
    auto drop =
        std::find_if(swapped.items.begin(), swapped.items.end(), [&](const model::Item& it) {
          return it.facility == site && it.kind != model::ItemKind::kWarhead &&
                 !hosts.count(it.uid);
        });
    if (drop != swapped.items.end()) {
      side.dropped.insert(drop->uid);
      swapped.items.erase(drop);
    }
    const Date as_of = side.inventory.as_of;
    TALLY_RETURN_IF_ERROR(Commit(side, std::move(swapped), as_of, At(day, 8, 30)));
    state_.swap_where = LogOf(side.id).entries().back().Where();
    const inspection::Actor as_i{&treaties_, &run_.source, side.id};
    auto attempt = inspection::OpenSite(as_i, At(day, 8, 40), id, *side.declarations.back());
    state_.swap_inspection = id;
    if (attempt.ok()) {
      state_.swap_refusal.clear();
      // Not caught: the run says so.
      return Log(attempt->entry, std::move(attempt->document), attempt->document_sha256);
    }
    state_.swap_refusal = attempt.error().message();
    return Status::Ok();
  }

  // For each cheat: caught or not, by what and when (cheat_outcomes.h).
  Status Outcomes() {
    TALLY_ASSIGN_OR_RETURN(run_.outcomes, CheatOutcomes(state_, run_));
    return Status::Ok();
  }

  // Each party's fresh secret for a round, reproducible from the seed (an exercise only).
  inspect::Secret SecretFor(const std::string& id, const std::string& party) const {
    crypto::SeededRandom random("tally exercise secret " + std::to_string(options_.seed) + " " +
                                id + " " + party);
    inspect::Secret s;
    random.Fill(s);
    return s;
  }

  const TreatyYearOptions& options_;
  const inspection::TreatyLookup& treaties_;
  const treaty::Treaty* treaty_ = nullptr;
  std::mt19937_64 random_;
  std::vector<escrow::ForceRow> rows_;
  std::map<std::string, model::Inventory> generated_;  // per party, as of its first data date
  // Per party: the counts of its declared and physical items at its last data date.
  std::map<std::string, std::pair<model::Posture, model::Posture>> counted_;
  std::vector<Event> events_;
  uint64_t next_order_ = 0;
  Date first_exchange_;
  TreatyYearRun run_;
  std::map<std::string, std::set<std::string>> visited_;  // "R I type" -> sites this round
  std::map<std::string, size_t> pinned_;  // refusing inspections: the declaration pinned
  std::map<std::string, std::vector<std::string>> sites_;  // "I type" -> SitesFor, this declaration
  YearState state_;  // the sides and inspections, as the outcomes read them
};

}  // namespace

int DefaultTreatyYear(const treaty::Treaty& treaty) {
  if (!treaty.dates.entry_into_force) return 1;
  const Date eif = *treaty.dates.entry_into_force;
  const Date structure = *Date::Parse(EmbeddedStructureFiles().front().as_of);
  // The first year that begins after `d` (its baseline is the last data date before it).
  auto year_after = [&](Date d) {
    int y = 1;
    while (eif.AddYears(y - 1) <= d) ++y;
    return y;
  };
  if (eif <= structure && (!treaty.dates.ended || structure < *treaty.dates.ended)) {
    return year_after(structure);
  }
  if (treaty.dates.limits_effective && eif < *treaty.dates.limits_effective) {
    int y = 1;
    while (eif.AddYears(y) <= *treaty.dates.limits_effective) ++y;
    return y;  // the year that begins on or just before the limits bind
  }
  return 1;
}

Result<TreatyYearRun> RunTreatyYear(const TreatyYearOptions& options,
                                    const inspection::TreatyLookup& treaties) {
  Year year(options, treaties);
  return year.Run();
}

}  // namespace tally::exercise
