#include "tally/exercise/treaty_year.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "tally/crypto/random.h"
#include "tally/data/embedded.h"
#include "tally/escrow/declaration.h"
#include "tally/escrow/inventory_generator.h"
#include "tally/escrow/notification.h"
#include "tally/escrow/statement.h"
#include "tally/inspection/actions.h"
#include "tally/inspection/ledger.h"
#include "tally/tlog/entry.h"

namespace tally::exercise {
namespace {

constexpr int64_t kDay = 86400;
constexpr std::string_view kStructure = "inventories/structure-2020-09-01.csv";

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int64_t At(Date day, int hour, int minute = 0) {
  return day.days() * kDay + hour * 3600 + minute * 60;
}

// One party's own side: its declarations (newest last) and the inventory they commit to.
struct Side {
  std::string id;
  model::Inventory inventory;
  std::vector<escrow::Declaration> declarations;
};

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
    if (!treaty_->dates.entry_into_force) {
      return FailedPrecondition(treaty_->id + " has no entry into force");
    }
    if (!treaty_->regime.data_exchange || treaty_->regime.data_exchange->as_of.empty()) {
      return FailedPrecondition(treaty_->id + " has no data exchange dates in its regime");
    }
    const Date eif = *treaty_->dates.entry_into_force;
    run_.begins = eif.AddYears(options_.year - 1);
    run_.ends = eif.AddYears(options_.year);
    TALLY_RETURN_IF_ERROR(LoadStructure());
    for (const std::string& p : options_.parties) {
      run_.source.logs.emplace_back(p, "tally.example/" + Lower(p), "memory");
      sides_.push_back(Side{p, {}, {}});
    }
    TALLY_RETURN_IF_ERROR(ScheduleDeclarations());
    ScheduleNotifications();
    TALLY_RETURN_IF_ERROR(ScheduleInspections());
    std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
      return std::tie(a.time, a.order) < std::tie(b.time, b.order);
    });
    for (Event& e : events_) TALLY_RETURN_IF_ERROR(e.run());
    return std::move(run_);
  }

 private:
  void Schedule(int64_t time, std::function<Status()> run) {
    events_.push_back(Event{time, next_order_++, std::move(run)});
  }

  Status LoadStructure() {
    auto text = data::EmbeddedFile(kStructure);
    if (!text) return Internal("the embedded force structure is missing");
    TALLY_ASSIGN_OR_RETURN(rows_, escrow::ParseForceStructureCsv(*text, std::string(kStructure)));
    return Status::Ok();
  }

  Side& SideOf(const std::string& id) {
    for (Side& s : sides_) {
      if (s.id == id) return s;
    }
    return sides_.front();
  }

  inspection::PartyLog& LogOf(const std::string& id) {
    for (inspection::PartyLog& l : run_.source.logs) {
      if (l.owner() == id) return l;
    }
    return run_.source.logs.front();
  }

  // Appends a party's entry to its own log and hands its document over.
  Status Log(const tlog::Entry& entry, const std::string& document = "") {
    auto bytes = tlog::EncodeEntry(entry);
    if (!bytes.ok()) return bytes.error();
    inspection::PartyLog& log = LogOf(entry.party);
    const size_t refused = log.refused().size();
    log.Append(std::move(*bytes));
    if (log.refused().size() != refused) return Internal(log.refused().back().reason);
    if (!document.empty()) run_.source.documents.Add(document);
    run_.source.Index();
    ++run_.entries;
    return Status::Ok();
  }

  Status Act(const Result<inspection::Action>& action, std::string_view what) {
    if (!action.ok()) {
      return Internal("treaty year: " + std::string(what) + ": " + action.error().message());
    }
    return Log(action->entry, action->document);
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
    for (Side& side : sides_) {
      for (size_t i = 0; i < dates.size(); ++i) {
        const Date as_of = dates[i];
        const Date logged = i == 0 ? run_.begins : as_of;
        Schedule(At(logged, 0), [this, &side, as_of] { return Declare(side, as_of); });
      }
    }
    return Status::Ok();
  }

  Status Declare(Side& side, Date as_of) {
    escrow::GenerateOptions g;
    g.party = side.id;
    g.as_of = as_of;
    g.seed = options_.seed;
    TALLY_ASSIGN_OR_RETURN(model::Inventory inv, escrow::GenerateInventory(rows_, g));
    // Secrets are drawn from the seed, so a run replays byte for byte; an exercise only.
    crypto::SeededRandom random("tally exercise " + std::to_string(options_.seed) + " " + side.id +
                                " " + as_of.ToString());
    escrow::DeclareOptions d;
    d.party = side.id;
    TALLY_ASSIGN_OR_RETURN(
        escrow::Declaration decl,
        escrow::Declaration::Commit(*treaty_, inv, escrow::DeclarationSecret::Generate(random), d));
    side.inventory = std::move(inv);
    tlog::Entry e{static_cast<uint16_t>(tlog::EntryKind::kDeclaration), side.id,
                  At(as_of <= run_.begins ? run_.begins : as_of, 0),
                  escrow::StatementToJson(decl.statement())};
    side.declarations.push_back(std::move(decl));
    return Log(e);
  }

  void ScheduleNotifications() {
    const int64_t days = run_.ends.days() - run_.begins.days();
    for (const Side& side : sides_) {
      for (int i = 0; i < options_.notifications_per_party; ++i) {
        int64_t event = 2 * std::uniform_int_distribution<int64_t>(1, days / 2 - 4)(random_);
        const int64_t delay = std::uniform_int_distribution<int64_t>(1, 4)(random_);
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
    const model::Item& item = side.inventory.items[pick % side.inventory.items.size()];
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

  // Sites of `side` that a type's site rule admits.
  std::vector<std::string> SitesFor(const Side& side, const treaty::InspectionType& type) const {
    std::map<std::string, std::pair<bool, bool>> facilities;  // any deployed, any item
    for (const model::Item& it : side.inventory.items) {
      auto& f = facilities[it.facility];
      f.second = true;
      if (it.status == model::ItemStatus::kDeployed) f.first = true;
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
    const int64_t from = first_exchange_.days() - run_.begins.days() + 1;
    const int64_t to = run_.ends.days() - run_.begins.days() - 2;
    std::vector<int64_t> days;
    for (int64_t d = from; d <= to; ++d) {
      if (d % 2 == 1) days.push_back(d);
    }
    if (days.size() < slots.size()) return FailedPrecondition("more inspections than days");
    std::shuffle(days.begin(), days.end(), random_);
    days.resize(slots.size());
    std::sort(days.begin(), days.end());
    std::shuffle(slots.begin(), slots.end(), random_);
    std::map<std::string, int> numbers;
    for (size_t k = 0; k < slots.size(); ++k) {
      const Slot& s = slots[k];
      const Date day = run_.begins.AddDays(days[k]);
      const std::string id = s.inspecting + "-Y" + std::to_string(options_.year) + "-" +
                             std::to_string(++numbers[s.inspecting]);
      const uint64_t pick = random_();
      Schedule(At(day, 8), [this, s, id, day, pick] {
        return Inspect(s.inspecting, s.inspected, *s.type, id, day, pick);
      });
    }
    return Status::Ok();
  }

  // One inspection, start to finish on its day (its steps come before any later event).
  Status Inspect(const std::string& r, const std::string& i, const treaty::InspectionType& type,
                 const std::string& id, Date day, uint64_t pick) {
    Side& inspected = SideOf(i);
    const std::vector<std::string> sites = SitesFor(inspected, type);
    if (sites.empty()) return Status::Ok();  // nothing of this kind to inspect
    const std::string site = sites[pick % sites.size()];
    const inspection::Actor as_r{&treaties_, &run_.source, r};
    const inspection::Actor as_i{&treaties_, &run_.source, i};
    const escrow::Declaration& decl = inspected.declarations.back();
    TALLY_RETURN_IF_ERROR(Act(
        inspection::RequestInspection(as_r, At(day, 8), {id, treaty_->id, type.id, i, site, {}}),
        id + " request"));
    run_.inspections.push_back(id);
    TALLY_RETURN_IF_ERROR(Act(inspection::OpenSite(as_i, At(day, 9), id, decl), id + " site"));
    TALLY_ASSIGN_OR_RETURN(inspection::InspectionRecord rec,
                           inspection::Replay(treaties_, run_.source, id, At(day, 9)));
    if (rec.stage == inspection::Stage::kSiteOpened) {
      const inspect::Secret sr = SecretFor(id, r), si = SecretFor(id, i);
      TALLY_RETURN_IF_ERROR(
          Act(inspection::CommitRandomness(as_r, At(day, 9, 10), id, sr), id + " commit"));
      TALLY_RETURN_IF_ERROR(
          Act(inspection::CommitRandomness(as_i, At(day, 9, 11), id, si), id + " commit"));
      TALLY_RETURN_IF_ERROR(
          Act(inspection::RevealRandomness(as_i, At(day, 9, 20), id, si), id + " reveal"));
      TALLY_RETURN_IF_ERROR(
          Act(inspection::RevealRandomness(as_r, At(day, 9, 21), id, sr), id + " reveal"));
      TALLY_RETURN_IF_ERROR(
          Act(inspection::OpenDesignated(as_i, At(day, 10), id, decl), id + " designated opening"));
      TALLY_ASSIGN_OR_RETURN(rec, inspection::Replay(treaties_, run_.source, id, At(day, 10)));
    }
    std::vector<inspection::Observation> seen;
    for (const inspection::DeclaredItem& d : rec.declared) {
      seen.push_back({d.uid, d.status, d.warheads});
    }
    return Act(inspection::RecordFindings(as_r, At(day, 12), id, std::move(seen), false),
               id + " findings");
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
  std::vector<Side> sides_;
  std::vector<Event> events_;
  uint64_t next_order_ = 0;
  Date first_exchange_;
  TreatyYearRun run_;
};

}  // namespace

Result<TreatyYearRun> RunTreatyYear(const TreatyYearOptions& options,
                                    const inspection::TreatyLookup& treaties) {
  Year year(options, treaties);
  return year.Run();
}

}  // namespace tally::exercise
