// Treaty: an arms-control treaty as data — parties, dates (per treaty and per party), the
// quantities it counts and the counting rules that compute them from items, the limits on those
// quantities (or prohibitions: a limit of zero on a range band), named interpretations of the
// counting rules, and its verification regime (inspection quotas, data exchanges, notification
// deadlines). One TOML file per treaty (docs/formats/treaty-toml.md); treaty_file.h parses it.
//
// Dates: `ended` (treaty-wide) and `withdrawn` (per party) are the FIRST day the treaty no longer
// binds (New START: in force through 2026-02-04, ended 2026-02-05). A treaty without
// `entry_into_force` never entered into force.
//
// Plain value. Pointers handed out (FindQuantity, ...) point into this object and live as long as
// it does. Thread safety: immutable after loading; concurrent reads are safe.
#ifndef TALLY_TREATY_TREATY_H_
#define TALLY_TREATY_TREATY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/date.h"
#include "tally/model/item.h"

namespace tally::treaty {

// A dated event in a treaty's life that does not change its status (an extension, a ratification,
// a withdrawal notice, a purported suspension).
struct Event {
  Date date;
  std::string party;  // empty: both/all parties
  std::string what;
};

struct TreatyDates {
  Date signed_on;
  std::optional<Date> entry_into_force;  // nullopt: never entered into force
  std::optional<Date> limits_effective;  // nullopt: limits apply from entry into force
  std::optional<Date> ended;             // first day no longer in force; nullopt: open-ended
  std::string end_reason;                // "expired", "withdrawal", "superseded", "never ratified"
  std::vector<Event> events;
};

// Dates that hold for one party only; each field, when set, overrides the treaty's date for that
// party (a later accession, a withdrawal by one party).
struct PartyDates {
  std::string party;  // state code
  std::optional<Date> signed_on;
  std::optional<Date> ratified;
  std::optional<Date> entry_into_force;
  std::optional<Date> withdrawal_notice;
  std::optional<Date> withdrawn;  // first day this party is no longer bound
  std::optional<Date> suspended;  // a purported suspension: still bound, data may be missing
  std::string note;
};

// Which items a counting term selects. Empty lists mean "any".
struct Selector {
  std::vector<model::ItemKind> kinds;
  std::vector<model::ItemStatus> statuses;
  std::optional<model::Equipment> equipment;
  std::vector<std::string> systems;
  std::vector<std::string> tags_all;    // the item has every one of these tags
  std::vector<std::string> tags_none;   // the item has none of these tags
  std::optional<int64_t> range_min_km;  // inclusive
  std::optional<int64_t> range_max_km;  // inclusive

  bool Matches(const model::Item& item) const;
};

// How much a selected item contributes.
enum class TermValue {
  kOne,       // 1 per item
  kCapacity,  // the item's `capacity` (ALCMs equipped for, attributed warheads)
  kFixed,     // a fixed number per item (`fixed`)
};

// "The first `count` items of `party` count `each`" (START I: the first 150 US heavy bombers with
// long-range ALCMs count 10). Items are taken in UID order, so the result is reproducible.
struct FirstItems {
  std::string party;
  int64_t count = 0;
  int64_t each = 0;
};

struct Term {
  Selector select;
  TermValue value = TermValue::kOne;
  int64_t fixed = 1;
  std::vector<FirstItems> first;
  // Interpretations this term applies under (empty: all) and does not apply under.
  std::vector<std::string> only_under;
  std::vector<std::string> not_under;
  std::string note;

  bool AppliesUnder(std::string_view interpretation) const;
};

// A counted quantity: a sum of terms over a party's items.
struct Quantity {
  std::string id;                    // "deployed_warheads"
  std::string name;                  // human name
  std::vector<std::string> aliases;  // other column names meaning the same count
  std::vector<Term> terms;
  std::string note;

  bool IsNamed(std::string_view name) const;  // id or alias
};

struct PartyLimit {
  std::string party;
  int64_t max = 0;
};

struct Limit {
  std::string id;
  std::string quantity;  // a Quantity id
  std::string name;
  std::optional<int64_t> max;  // for every party without a per-party value
  std::vector<PartyLimit> per_party;
  std::optional<int64_t> band_low;  // SORT: each party chooses a level in [band_low, max]
  bool prohibition = false;         // a ban (max 0), e.g. INF's range band
  std::optional<Date> effective;    // overrides the treaty's limits_effective
  std::optional<Date> until;        // a phase limit that lapses (first day no longer applying)
  std::string note;

  // The ceiling for `party`, or nullopt when this limit does not bind that party.
  std::optional<int64_t> MaxFor(std::string_view party) const;
};

struct Interpretation {
  std::string id;  // "us", "conversions-not-confirmed"
  std::string name;
  std::string held_by;  // who holds it, e.g. "Russian Federation (MFA, March 2022)"
  std::string description;
  bool is_default = false;
  // The record of the items this reading counts differently from the default, as a path under
  // data/ ("new_start/disputed_items.csv"; disputed_items.h), or empty: declared aggregates can be
  // re-counted under this interpretation only with such a record.
  std::string disputed_items;
};

// Which declared sites an inspection type may be requested at, judged from the items the
// inspected party opens for the site (docs/inspections.md, "The inspection workflow on the log").
enum class SiteRule {
  kAny,              // any declared site with at least one item
  kDeployed,         // at least one deployed item (New START Type One: operating bases)
  kNonDeployedOnly,  // items, none deployed (Type Two: storage, test ranges, conversion,
                     // elimination facilities)
};
std::string_view SiteRuleName(SiteRule rule);
std::optional<SiteRule> ParseSiteRule(std::string_view name);

// The purposes an inspection can serve; the file names them in `purposes`.
// "data-confirmation", "reentry-vehicle", "non-deployed", "conversion", "elimination",
// "close-out", "baseline", "short-notice", "portal-monitoring", "challenge".
bool IsInspectionPurpose(std::string_view name);

struct InspectionQuota {
  std::string party;  // the inspecting party
  int64_t per_year = 0;
};

struct InspectionType {
  std::string id;  // "type-one"
  std::string name;
  int64_t per_year = 0;  // quota per inspecting party per treaty year; 0: no yearly quota
  std::vector<InspectionQuota> per_party;  // overrides per_year for these inspecting parties
  std::string sites;                       // which sites, in words
  std::vector<std::string> purposes;       // IsInspectionPurpose names
  SiteRule site_rule = SiteRule::kAny;
  // Items designated at the site by joint randomness: how many, of which kinds and statuses
  // (empty lists: any). 0: the type designates no items (a whole-site inspection).
  int64_t items_per_inspection = 0;
  std::vector<model::ItemKind> designate_kinds;
  std::vector<model::ItemStatus> designate_statuses;
  // Requests are allowed from entry into force + this many days (New START: 60).
  int64_t begins_days_after_entry_into_force = 0;
  // The restriction on the inspected party from the site's designation until its items are
  // designated, in words; and the hours after designation it begins (New START: within 1 hour).
  std::string pre_inspection_restriction;
  int64_t restriction_begins_hours = 0;
  std::string note;

  // The yearly quota of `inspecting_party` (per_party entry, else per_year).
  int64_t QuotaFor(std::string_view inspecting_party) const;
};

struct DataExchange {
  std::vector<std::string> as_of;  // "03-01", "09-01": month-day of each data date
  int64_t due_within_days = 0;     // after each data date
  std::optional<int64_t> initial_due_days_after_entry_into_force;
};

struct Notification {
  std::string id;  // "change-in-data"
  std::string name;
  int64_t due_within_days = 0;
  std::string note;
};

struct Regime {
  bool verification = true;  // false: no verification provisions (SORT)
  std::string summary;
  std::vector<InspectionType> inspections;
  std::optional<DataExchange> data_exchange;
  std::vector<Notification> notifications;
  std::string channel;  // e.g. "Nuclear Risk Reduction Centers"
};

// What a declaring party must open of its declaration under escrow (docs/escrow.md, "The opening
// policy"), and when. Stages are data so that a successor treaty can pace openings with its
// politics: e.g. every deployed launcher item by item at entry into force, item detail of a site
// only when it is inspected, everything at the end.
enum class OpeningTrigger {
  kEntryIntoForce,  // once, counted from the party's entry into force
  kDataExchange,    // with every data exchange (the regime's as-of dates)
  kInspection,      // when an inspection designates a site or items
  kExpiry,          // at the treaty's expiry or completion
};
enum class OpeningScope {
  kCategories,  // every item counted in the listed categories (provably complete: the opened
                // subtotals must equal the root's totals)
  kSite,        // the items at the inspected site (completeness is what the inspection checks)
  kDesignated,  // the items designated by joint randomness in an inspection
  kAll,         // every leaf, padding included (provably complete: every position opened)
};
std::string_view OpeningTriggerName(OpeningTrigger t);
std::string_view OpeningScopeName(OpeningScope s);

struct OpeningStage {
  std::string id;  // "eif-deployed"
  std::string name;
  OpeningTrigger trigger = OpeningTrigger::kEntryIntoForce;
  int64_t within_days = 0;  // the opening is due this many days after the trigger
  OpeningScope scope = OpeningScope::kAll;
  std::vector<std::string> categories;  // kCategories: quantity ids with counting terms
  std::string note;
};

struct OpeningPolicy {
  std::string summary;
  std::vector<OpeningStage> stages;  // in the order the treaty lists them
  const OpeningStage* Find(std::string_view id) const;
};

struct Treaty {
  std::string id;  // "new-start"
  std::string name;
  std::string full_name;
  bool hypothetical = false;
  std::vector<std::string> parties;  // state codes
  TreatyDates dates;
  std::vector<PartyDates> party_dates;
  std::vector<Quantity> quantities;
  std::vector<Limit> limits;
  std::vector<Interpretation> interpretations;
  Regime regime;
  std::optional<OpeningPolicy> opening;  // [escrow]; nullopt: the treaty sets no opening policy
  std::vector<std::string> sources;
  std::string notes;
  std::string file;  // where it was loaded from ("treaties/new-start.toml" or a path)

  bool HasParty(std::string_view party) const;
  const PartyDates* DatesFor(std::string_view party) const;
  const Quantity* FindQuantity(std::string_view id_or_alias) const;
  const Interpretation* FindInterpretation(std::string_view id) const;
  // The interpretation marked default, else the first; nullptr when there is none.
  const Interpretation* DefaultInterpretation() const;
  // The date limits apply from (limits_effective, else entry into force), if any.
  std::optional<Date> LimitsEffective() const;
};

}  // namespace tally::treaty

#endif  // TALLY_TREATY_TREATY_H_
