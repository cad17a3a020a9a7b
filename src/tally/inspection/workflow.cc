#include "tally/inspection/workflow.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/escrow/categories.h"
#include "tally/escrow/statement.h"
#include "tally/inspect/joint_randomness.h"
#include "tally/inspect/sampler.h"
#include "tally/inspection/citation.h"
#include "tally/merkle/hash.h"

namespace tally::inspection {
namespace {

constexpr uint16_t K(tlog::EntryKind k) { return static_cast<uint16_t>(k); }

// What step an applied entry is, by its kind (and an opening's phase).
std::string StepName(const LoggedEntry& e) {
  switch (static_cast<tlog::EntryKind>(e.entry.kind)) {
    case tlog::EntryKind::kInspectionRequest:
      return "request";
    case tlog::EntryKind::kOpening: {
      auto o = ParseOpening(e.entry.payload, e.Where());
      if (!o.ok()) return "opening";
      return o->phase == OpeningPhase::kSite ? "site opening" : "designated opening";
    }
    case tlog::EntryKind::kRandomnessCommit:
      return "commitment";
    case tlog::EntryKind::kRandomnessReveal:
      return "reveal";
    case tlog::EntryKind::kFinding:
      return "findings";
    default:
      return std::string(tlog::KindName(e.entry.kind).value_or("entry"));
  }
}

// The "inspection" member of an inspection payload, or "" (not an inspection payload).
std::string InspectionOf(const std::string& payload) {
  if (payload.size() < 2 || payload.front() != '{') return "";
  auto j = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return "";
  auto it = j.find("inspection");
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

const treaty::InspectionType* FindType(const treaty::Treaty& t, std::string_view id) {
  for (const auto& it : t.regime.inspections) {
    if (it.id == id) return &it;
  }
  return nullptr;
}

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string Join(const std::vector<uint64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

std::string TimeText(int64_t t) {
  char buf[16];
  int64_t rest = t % 86400;
  if (rest < 0) rest += 86400;
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return DayOf(t).ToString() + buf;
}

// An entry's payload parsed as `parse` does, errors naming the entry (its Where()). An entry of
// the source's logs never changes, so its payload is parsed once for every replay of the source;
// the pending entry is not the source's and is parsed each time.
template <typename T>
Result<T> PayloadOf(const ReplaySource& source, const LoggedEntry* pending, const LoggedEntry& e,
                    Result<T> (*parse)(std::string_view, std::string_view)) {
  ReplaySource::Derived* derived = source.derived.get();
  if (!derived || &e == pending) return parse(e.entry.payload, e.Where());
  {
    std::lock_guard<std::mutex> lock(derived->mu);
    auto it = derived->payloads.find(&e);
    if (it != derived->payloads.end()) {
      if (const Result<T>* parsed = std::get_if<Result<T>>(&it->second)) return *parsed;
    }
  }
  Result<T> parsed = parse(e.entry.payload, e.Where());
  std::lock_guard<std::mutex> lock(derived->mu);
  derived->payloads.emplace(&e, parsed);
  return parsed;
}

// The payload of an inspection entry parses: a malformed entry is named as such, whatever step
// it would have been.
Status PayloadParses(const ReplaySource& source, const LoggedEntry* pending, const LoggedEntry& e) {
  switch (static_cast<tlog::EntryKind>(e.entry.kind)) {
    case tlog::EntryKind::kOpening:
      return PayloadOf(source, pending, e, ParseOpening).status();
    case tlog::EntryKind::kRandomnessCommit:
      return PayloadOf(source, pending, e, ParseCommit).status();
    case tlog::EntryKind::kRandomnessReveal:
      return PayloadOf(source, pending, e, ParseReveal).status();
    case tlog::EntryKind::kFinding:
      return PayloadOf(source, pending, e, ParseFinding).status();
    default:
      return Status::Ok();
  }
}

// A step's entry once it checked.
struct Taken {
  const LoggedEntry* e = nullptr;
  explicit operator bool() const { return e != nullptr; }
};

// The verification state shared by the steps.
struct Replayer {
  const treaty::Treaty* treaty = nullptr;
  const treaty::InspectionType* type = nullptr;
  const ReplaySource* source = nullptr;
  const LoggedEntry* pending_entry = nullptr;  // the entry a party is about to log, if any
  // Handed over with a pending entry; hashed only when the source lacks a document the replay
  // asks for, since most replays find every bundle in the source or the verified cache.
  const std::vector<std::string>* pending_documents = nullptr;
  std::vector<Hash32> pending_hashes;
  const PartyLog* inspecting_log = nullptr;  // R
  const PartyLog* inspected_log = nullptr;   // I
  const LoggedEntry* request_entry = nullptr;
  InspectionRecord rec;
  std::optional<escrow::Statement> statement;
  Hash32 statement_digest{};  // SHA-256 of the statement's canonical text
  std::optional<escrow::Counter> counter;
  std::shared_ptr<const ReplaySource::VerifiedBundle> site_opening;
  int64_t deadline = 0;
  std::string round;

  Taken site, r_commit, i_commit, i_reveal, r_reveal, designated_opening, finding;
  Hash32 r_commitment{}, i_commitment{};
  Hash32 r_secret{}, i_secret{};
  bool whole_site_mode = false;
  std::set<const LoggedEntry*> used;  // entries applied or already rejected

  const std::string& R() const { return rec.inspecting; }
  const std::string& I() const { return rec.request.inspected; }

  template <typename T>
  Result<T> Payload(const LoggedEntry& e, Result<T> (*parse)(std::string_view, std::string_view)) {
    return PayloadOf(*source, pending_entry, e, parse);
  }

  void Reject(const LoggedEntry& e, const Status& why) {
    rec.rejected.push_back({e.log, e.index, e.entry.party, why.message(), why.code()});
  }

  // The entry's time and citation against the entry it answers on the other log.
  Status Answers(const LoggedEntry& e, const Citation& seen, const PartyLog& other,
                 const LoggedEntry& answered, std::string_view what) {
    TALLY_RETURN_IF_ERROR(CheckCitation(seen, other, e));
    if (!Holds(seen, answered)) {
      return VerificationFailed(e.Where() + " cites " + other.owner() + "'s log at size " +
                                std::to_string(seen.size) + ", which does not hold " +
                                std::string(what) + " (" + answered.Where() +
                                "): it was logged before it");
    }
    if (e.entry.time < answered.entry.time) {
      return VerificationFailed(e.Where() + " is dated " + TimeText(e.entry.time) + ", before " +
                                std::string(what) + " it answers (" +
                                TimeText(answered.entry.time) + ")");
    }
    return Status::Ok();
  }

  const std::string* FindDocument(const Hash32& sha256) {
    if (const std::string* d = source->documents.Find(sha256)) return d;
    if (!pending_documents) return nullptr;
    if (pending_hashes.empty()) {
      for (const std::string& d : *pending_documents) pending_hashes.push_back(crypto::Sha256Of(d));
    }
    for (size_t i = 0; i < pending_hashes.size(); ++i) {
      if (pending_hashes[i] == sha256) return &(*pending_documents)[i];
    }
    return nullptr;
  }

  // Shared with the source's cache: a replay only reads the bundle, and copying a site opening
  // of a few hundred leaves for every replay of every step cost more than the rest of the step.
  Result<std::shared_ptr<const ReplaySource::VerifiedBundle>> LoadBundle(const LoggedEntry& e,
                                                                         const Opening& o) {
    // The same bytes verified against the same root verify again: take the earlier result.
    const auto key = std::make_pair(o.bundle_sha256, statement_digest);
    {
      std::lock_guard<std::mutex> lock(source->verified->mu);
      auto it = source->verified->by_key.find(key);
      if (it != source->verified->by_key.end()) return it->second;
    }
    const std::string* bytes = FindDocument(o.bundle_sha256);
    if (!bytes) {
      return NotFound(e.Where() + ": the " + std::string(OpeningPhaseName(o.phase)) +
                      " bundle (sha256 " + crypto::HexEncode(o.bundle_sha256) +
                      ") was not given; pass the bundle file the inspected party "
                      "handed over");
    }
    auto bundle = escrow::BundleFromJson(*bytes, e.Where() + " bundle");
    if (!bundle.ok()) return bundle.error();
    // Verified by move and the leaves taken back: VerifyBundle's copy of them would be dropped.
    auto verified = escrow::VerifyBundle(*statement, std::move(*bundle), *counter);
    if (!verified.ok()) return verified.error().WithContext(e.Where());
    bundle->opened = std::move(verified->opened);
    for (const auto& l : bundle->opened) {
      if (l.record.dummy) {
        return VerificationFailed(e.Where() + ": the bundle opens padding leaf " +
                                  std::to_string(l.index) + "; an inspection opens items only");
      }
    }
    auto verified_bundle = std::make_shared<ReplaySource::VerifiedBundle>();
    verified_bundle->bundle = *std::move(bundle);
    const std::vector<escrow::OpenedLeaf>& opened = verified_bundle->bundle.opened;
    verified_bundle->by_uid.resize(opened.size());
    for (size_t i = 0; i < opened.size(); ++i) verified_bundle->by_uid[i] = i;
    std::sort(
        verified_bundle->by_uid.begin(), verified_bundle->by_uid.end(),
        [&](size_t x, size_t y) { return opened[x].record.item.uid < opened[y].record.item.uid; });
    std::shared_ptr<const ReplaySource::VerifiedBundle> shared = std::move(verified_bundle);
    std::lock_guard<std::mutex> lock(source->verified->mu);
    source->verified->by_key[key] = shared;
    return shared;
  }

  Status Site(const LoggedEntry& e, const Opening& o) {
    if (!statement) {
      return FailedPrecondition(e.Where() + ": " + I() + " had logged no declaration under " +
                                treaty->id + " in the prefix of its log the request cites");
    }
    TALLY_RETURN_IF_ERROR(Answers(e, o.seen, *inspecting_log, *request_entry, "the request"));
    TALLY_ASSIGN_OR_RETURN(std::shared_ptr<const ReplaySource::VerifiedBundle> shared,
                           LoadBundle(e, o));
    const escrow::Bundle& b = shared->bundle;
    bool deployed = false;
    for (const auto& l : b.opened) {
      const model::Item& item = l.record.item;
      if (item.facility != rec.request.site) {
        return VerificationFailed(e.Where() + ": the site opening holds " + item.uid + " at \"" +
                                  item.facility + "\", not at the site \"" + rec.request.site +
                                  "\"");
      }
      if (item.status == model::ItemStatus::kDeployed) deployed = true;
    }
    // Sorted by uid, as the record lists them: taken in the order the cache sorted once.
    std::vector<std::string> site_items, population;  // applied only if the step succeeds
    site_items.reserve(b.opened.size());
    for (const size_t i : shared->by_uid) {
      const model::Item& item = b.opened[i].record.item;
      site_items.push_back(item.uid);
      const bool kind_ok =
          type->designate_kinds.empty() || Contains(type->designate_kinds, item.kind);
      const bool status_ok =
          type->designate_statuses.empty() || Contains(type->designate_statuses, item.status);
      if (kind_ok && status_ok) population.push_back(item.uid);
    }
    const std::string rule(treaty::SiteRuleName(type->site_rule));
    if (b.opened.empty() || (type->site_rule == treaty::SiteRule::kDeployed && !deployed) ||
        (type->site_rule == treaty::SiteRule::kNonDeployedOnly && deployed)) {
      return FailedPrecondition(e.Where() + ": site \"" + rec.request.site +
                                "\" is not eligible for " + type->id + " (site rule " + rule +
                                "): the opening shows " + std::to_string(b.opened.size()) +
                                " items, " + (deployed ? "some" : "none") + " deployed");
    }
    // A type that designates nothing, or a site without anything it designates (a Type One at
    // an air base: no ICBMs or SLBMs), is inspected whole: every opened item but the warheads,
    // which are counted on their hosts.
    const bool whole = type->items_per_inspection == 0 || population.empty();
    std::vector<std::string> mandate;
    std::vector<DeclaredItem> whole_site;
    if (whole) {
      for (const size_t i : shared->by_uid) {
        const model::Item& item = b.opened[i].record.item;
        if (item.kind != model::ItemKind::kWarhead) mandate.push_back(item.uid);
      }
      auto declared = DeclaredItems(b.opened, mandate);
      if (!declared.ok()) return declared.error().WithContext(e.Where());
      whole_site = *std::move(declared);
    }
    rec.site_items = std::move(site_items);
    rec.population = std::move(population);
    site_opening = std::move(shared);
    site.e = &e;
    if (whole) {
      whole_site_mode = true;
      rec.whole_site = true;
      rec.designated = std::move(mandate);
      rec.declared = std::move(whole_site);
      rec.designated_at = rec.restriction_ends = e.entry.time;
      rec.stage = Stage::kOpened;
      rec.awaiting = "findings by " + R();
      return Status::Ok();
    }
    rec.stage = Stage::kSiteOpened;
    rec.awaiting = "randomness commitments by " + R() + " and " + I();
    return Status::Ok();
  }

  Status Commit(const LoggedEntry& e) {
    TALLY_ASSIGN_OR_RETURN(RandomnessCommit c, Payload(e, ParseCommit));
    const bool by_r = e.entry.party == R();
    if (by_r) {
      if (r_commit) return FailedPrecondition(e.Where() + ": a second commitment by " + R());
      TALLY_RETURN_IF_ERROR(Answers(e, c.seen, *inspected_log, *site.e, "the site opening"));
      r_commit.e = &e;
      r_commitment = c.commitment;
    } else {
      if (i_commit) return FailedPrecondition(e.Where() + ": a second commitment by " + I());
      if (e.index < site.e->index) {
        return VerificationFailed(e.Where() +
                                  ": a commitment before the site opening; the designation "
                                  "population must be fixed before any secret is");
      }
      TALLY_RETURN_IF_ERROR(Answers(e, c.seen, *inspecting_log, *request_entry, "the request"));
      i_commit.e = &e;
      i_commitment = c.commitment;
    }
    rec.committed.push_back(e.entry.party);
    return Status::Ok();
  }

  // A secret revealed before: earlier on the revealer's own log, or on the other party's log
  // inside the prefix this reveal cites (any round: a known secret lets the other side steer).
  Status NotReused(const LoggedEntry& e, const Hash32& secret, const Citation& seen,
                   const PartyLog& own, const PartyLog& other) const {
    auto it = source->reveals.find(secret);
    if (it == source->reveals.end()) return Status::Ok();
    for (const auto& r : it->second) {
      const bool earlier_own = r.log == &own && r.index < e.index;
      const bool seen_other = r.log == &other && r.index < seen.size;
      if (earlier_own || seen_other) {
        return VerificationFailed(e.Where() + ": this secret was revealed before (" +
                                  r.log->owner() + " log entry " + std::to_string(r.index) +
                                  ", round " + r.round +
                                  "); a secret is good for one round only, since once it is "
                                  "known the other party can steer the designation");
      }
    }
    return Status::Ok();
  }

  Status Reveal(const LoggedEntry& e) {
    TALLY_ASSIGN_OR_RETURN(RandomnessReveal v, Payload(e, ParseReveal));
    const bool by_r = e.entry.party == R();
    const Taken& own_commit = by_r ? r_commit : i_commit;
    if (by_r ? bool(r_reveal) : bool(i_reveal)) {
      return FailedPrecondition(e.Where() + ": a second reveal by " + e.entry.party);
    }
    if (!own_commit || own_commit.e->index > e.index) {
      return FailedPrecondition(e.Where() + ": a reveal by " + e.entry.party +
                                " without its commitment before it");
    }
    const Hash32& commitment = by_r ? r_commitment : i_commitment;
    if (inspect::CommitmentFor(round, e.entry.party, v.secret) != commitment) {
      return VerificationFailed(e.Where() + ": the secret revealed by " + e.entry.party +
                                " does not open its commitment " + crypto::HexEncode(commitment) +
                                " (" + own_commit.e->Where() + ")");
    }
    if (!by_r) {
      if (!r_commit) {
        return FailedPrecondition(e.Where() + ": " + I() + " reveals before " + R() +
                                  " committed; the inspected party reveals after both "
                                  "commitments");
      }
      TALLY_RETURN_IF_ERROR(
          Answers(e, v.seen, *inspecting_log, *r_commit.e, R() + "'s commitment"));
      TALLY_RETURN_IF_ERROR(NotReused(e, v.secret, v.seen, *inspected_log, *inspecting_log));
      if (e.entry.time > deadline) {
        return FailedPrecondition(e.Where() + ": revealed " + TimeText(e.entry.time) +
                                  ", after the deadline " + TimeText(deadline));
      }
      i_reveal.e = &e;
      i_secret = v.secret;
      rec.revealed.push_back(I());
      return Status::Ok();
    }
    // R reveals last: its reveal fixes the seed.
    TALLY_RETURN_IF_ERROR(CheckCitation(v.seen, *inspected_log, e));
    TALLY_RETURN_IF_ERROR(NotReused(e, v.secret, v.seen, *inspecting_log, *inspected_log));
    const bool joint = i_reveal && Holds(v.seen, *i_reveal.e);
    if (joint) {
      TALLY_RETURN_IF_ERROR(Answers(e, v.seen, *inspected_log, *i_reveal.e, I() + "'s reveal"));
    } else if (e.entry.time <= deadline) {
      return FailedPrecondition(
          e.Where() + ": " + R() + " reveals before " + I() + "'s reveal is in the log it cites " +
          "and before the deadline " + TimeText(deadline) +
          "; the inspecting party reveals last, so that the inspected party commits to its "
          "choice without knowing the inspector's secret");
    }
    r_reveal.e = &e;
    r_secret = v.secret;
    rec.revealed.push_back(R());
    std::map<std::string, inspect::Secret> secrets;
    secrets[R()] = r_secret;
    if (joint) {
      secrets[I()] = i_secret;
      rec.seed = inspect::JointSeed(round, secrets);
    } else {
      rec.fallback = true;
      rec.refused.push_back(I());
      rec.seed = inspect::FallbackSeed(round, merkle::LeafHash(request_entry->bytes), secrets);
      std::string what = I() + " did not reveal its randomness by the deadline " +
                         TimeText(deadline) + "; the items were designated by " + R() +
                         "'s secret alone (" + e.Where() + ")";
      rec.procedural.push_back({I(), "refused-reveal", what});
      if (i_reveal) {
        rec.procedural.push_back(
            {R(), "disputed-reveal",
             i_reveal.e->Where() + ", dated " + TimeText(i_reveal.e->entry.time) +
                 ", is not in the prefix of " + I() + "'s log that " + e.Where() + " cites (size " +
                 std::to_string(v.seen.size) + ")"});
      }
    }
    rec.designated_at = e.entry.time;
    rec.restriction_ends = rec.designated_at;
    const uint64_t k = std::min<uint64_t>(static_cast<uint64_t>(type->items_per_inspection),
                                          rec.population.size());
    TALLY_ASSIGN_OR_RETURN(
        rec.designated,
        inspect::SelectIdentifiers(*rec.seed, "items/" + rec.request.site, rec.population, k));
    rec.stage = Stage::kDesignated;
    rec.awaiting = "the designated opening by " + I();
    return Status::Ok();
  }

  Status DesignatedOpening(const LoggedEntry& e, const Opening& o) {
    if (!rec.seed) {
      return VerificationFailed(e.Where() +
                                ": a designated opening before the items were designated");
    }
    TALLY_RETURN_IF_ERROR(Answers(e, o.seen, *inspecting_log, *r_reveal.e, R() + "'s reveal"));
    TALLY_ASSIGN_OR_RETURN(std::vector<uint64_t> want, LeavesToOpen(rec, site_opening->bundle));
    TALLY_ASSIGN_OR_RETURN(std::shared_ptr<const ReplaySource::VerifiedBundle> shared,
                           LoadBundle(e, o));
    const escrow::Bundle& b = shared->bundle;
    std::vector<uint64_t> leaves;
    for (const auto& l : b.opened) leaves.push_back(l.index);
    if (leaves != want) {
      return VerificationFailed(
          e.Where() + ": selection recomputed differently: the bundle opens leaves " +
          Join(leaves) + ", the designation of " + std::to_string(rec.designated.size()) +
          " items and their warheads gives " + Join(want));
    }
    // Leaf for leaf the same as in the site opening: one record per position.
    for (const auto& l : b.opened) {
      const auto& at_site = site_opening->bundle.opened;
      auto it = std::find_if(at_site.begin(), at_site.end(),
                             [&](const escrow::OpenedLeaf& s) { return s.index == l.index; });
      if (it == at_site.end() || it->record.item.uid != l.record.item.uid) {
        return VerificationFailed(e.Where() + ": leaf " + std::to_string(l.index) +
                                  " is opened differently than in the site opening");
      }
    }
    auto declared = DeclaredItems(b.opened, rec.designated);
    if (!declared.ok()) return declared.error().WithContext(e.Where());
    rec.declared = *std::move(declared);
    designated_opening.e = &e;
    rec.stage = Stage::kOpened;
    rec.awaiting = "findings by " + R();
    return Status::Ok();
  }

  Status Findings(const LoggedEntry& e) {
    TALLY_ASSIGN_OR_RETURN(Finding f, Payload(e, ParseFinding));
    if (rec.stage != Stage::kOpened) {
      return VerificationFailed(e.Where() + ": findings before the designated items were opened");
    }
    const Taken& answered = whole_site_mode ? site : designated_opening;
    TALLY_RETURN_IF_ERROR(Answers(e, f.seen, *inspected_log, *answered.e,
                                  whole_site_mode ? "the site opening" : "the designated opening"));
    const std::string* bytes = FindDocument(f.findings_sha256);
    if (!bytes) {
      return NotFound(e.Where() + ": the findings document (sha256 " +
                      crypto::HexEncode(f.findings_sha256) + ") was not given");
    }
    TALLY_ASSIGN_OR_RETURN(inspection::Findings doc,
                           ParseFindings(*bytes, e.Where() + " findings document"));
    if (doc.inspection != rec.request.inspection) {
      return VerificationFailed(e.Where() + ": the findings document is for inspection \"" +
                                doc.inspection + "\", not \"" + rec.request.inspection + "\"");
    }
    rec.observed = doc.observed;
    rec.discrepancies = CheckFindings(rec.declared, rec.site_items, rec.observed);
    finding.e = &e;
    rec.stage = Stage::kRecorded;
    rec.awaiting.clear();
    return Status::Ok();
  }

  // Runs `apply` over the candidates in order until one checks; the others before it are
  // rejected with their reasons, and those after it as `second` ("a second site opening"). A
  // NotFound (a document or newer log copy not given) stops the replay. Returns whether a
  // candidate was taken.
  template <typename Fn>
  Result<bool> FirstThatChecks(const std::vector<const LoggedEntry*>& candidates,
                               std::string_view second, Fn apply) {
    bool taken = false;
    for (const LoggedEntry* e : candidates) {
      if (used.count(e)) continue;
      if (taken) {
        used.insert(e);
        Status parsed = PayloadParses(*source, pending_entry, *e);
        Reject(*e, !parsed.ok() ? parsed
                                : FailedPrecondition(e->Where() + ": " + std::string(second) +
                                                     "; the first one stands"));
        continue;
      }
      Status s = apply(*e);
      if (s.code() == StatusCode::kNotFound) return s;
      used.insert(e);
      if (s.ok()) {
        taken = true;
        rec.steps.push_back({StepName(*e), e->log, e->index, e->entry.time});
      } else {
        Reject(*e, s);
      }
    }
    return taken;
  }

  // Notifications by the inspected party about site items inside the restriction window.
  void Restrictions(int64_t now) {
    if (!site) return;
    const Date from = DayOf(rec.restriction_begins);
    const Date to = DayOf(rec.restriction_ends ? rec.restriction_ends : now);
    // The window first: it is a day or two of a year's notifications, and a date compares
    // faster than a uid is looked up among the site's.
    for (const NotificationRef& n : inspected_log->notifications()) {
      if (n.event < from || n.event > to) continue;
      if (!std::binary_search(rec.site_items.begin(), rec.site_items.end(), n.uid)) continue;
      rec.violations.push_back({n.logged->Where(), n.uid,
                                n.type + " of " + n.uid + " at the inspected site on " +
                                    n.event.ToString() +
                                    ", inside the pre-inspection restriction window"});
    }
  }
};

}  // namespace

Hash32 Documents::Add(std::string bytes) {
  Hash32 h = crypto::Sha256Of(bytes);
  by_hash_[h] = std::move(bytes);
  return h;
}

const std::string* Documents::Find(const Hash32& sha256) const {
  auto it = by_hash_.find(sha256);
  return it == by_hash_.end() ? nullptr : &it->second;
}

void ReplaySource::ClearIndex() {
  derived = std::make_shared<Derived>();
  by_inspection.clear();
  refused_by_inspection.clear();
  reveals.clear();
  indexed_.clear();
}

void ReplaySource::Index() {
  if (indexed_.size() != logs.size()) {
    by_inspection.clear();
    refused_by_inspection.clear();
    reveals.clear();
    indexed_.assign(logs.size(), {0, 0});
  }
  for (size_t li = 0; li < logs.size(); ++li) {
    const PartyLog& log = logs[li];
    auto& [done_entries, done_refused] = indexed_[li];
    for (; done_refused < log.refused().size(); ++done_refused) {
      const RefusedEntry& r = log.refused()[done_refused];
      std::string id = InspectionOf(r.logged.entry.payload);
      if (!id.empty()) refused_by_inspection[std::move(id)].push_back(&r);
    }
    for (; done_entries < log.entries().size(); ++done_entries) {
      const LoggedEntry& e = log.entries()[done_entries];
      const uint16_t kind = e.entry.kind;
      if (kind < K(tlog::EntryKind::kInspectionRequest) || kind > K(tlog::EntryKind::kFinding)) {
        continue;
      }
      std::string id = InspectionOf(e.entry.payload);
      if (id.empty()) continue;
      if (kind == K(tlog::EntryKind::kRandomnessReveal)) {
        auto v = ParseReveal(e.entry.payload, e.Where());
        if (v.ok()) reveals[v->secret].push_back({&log, e.index, v->round});
      }
      by_inspection[std::move(id)].push_back({&log, &e});
    }
  }
}

std::string_view StageName(Stage s) {
  switch (s) {
    case Stage::kRequested:
      return "requested";
    case Stage::kSiteOpened:
      return "site-opened";
    case Stage::kDesignated:
      return "designated";
    case Stage::kOpened:
      return "opened";
    case Stage::kRecorded:
      return "recorded";
  }
  return "?";
}

std::string InspectionRecord::Verdict() const {
  const bool clean = violations.empty() && rejected.empty() && procedural.empty();
  if (stage != Stage::kRecorded) return clean ? "pending" : "inconsistent";
  return clean && discrepancies.empty() ? "consistent" : "inconsistent";
}

Result<std::vector<uint64_t>> LeavesToOpen(const InspectionRecord& record,
                                           const escrow::Bundle& site_bundle) {
  std::vector<uint64_t> leaves;
  for (const auto& l : site_bundle.opened) {
    const model::Item& item = l.record.item;
    if (Contains(record.designated, item.uid) ||
        (item.kind == model::ItemKind::kWarhead && Contains(record.designated, item.host))) {
      leaves.push_back(l.index);
    }
  }
  std::sort(leaves.begin(), leaves.end());
  return leaves;
}

namespace {

// The ledger of the logs as they stand, built once for all the replays until it could change:
// as the logs grow, a request keeps its status unless it was refused NotFound (ledger.h), so the
// ledger is rebuilt only when a log gains a request or the ledger holds such a refusal.
std::shared_ptr<const Ledger> LedgerOf(const ReplaySource& source, const treaty::Treaty& t) {
  ReplaySource::Derived* derived = source.derived.get();
  if (!derived) return std::make_shared<const Ledger>(BuildLedger(t, source.logs));
  std::vector<std::pair<const PartyLog*, uint64_t>> requests;
  requests.reserve(source.logs.size());
  for (const PartyLog& log : source.logs) requests.emplace_back(&log, log.requests().size());
  std::lock_guard<std::mutex> lock(derived->mu);
  if (derived->requests != requests) {
    derived->ledgers.clear();
    derived->requests = std::move(requests);
  }
  std::shared_ptr<const Ledger>& ledger = derived->ledgers[&t];
  if (ledger) {
    for (const LedgerEntry& e : ledger->requests) {
      if (e.status.code() == StatusCode::kNotFound) {
        ledger.reset();
        break;
      }
    }
  }
  if (!ledger) ledger = std::make_shared<const Ledger>(BuildLedger(t, source.logs));
  return ledger;
}

// A declaration entry's statement, parsed once: the entry never changes while its log lives.
Result<std::shared_ptr<const ReplaySource::ParsedStatement>> StatementOf(
    const ReplaySource& source, const LoggedEntry& declaration) {
  ReplaySource::Derived* derived = source.derived.get();
  if (derived) {
    std::lock_guard<std::mutex> lock(derived->mu);
    auto it = derived->statements.find(&declaration);
    if (it != derived->statements.end()) return it->second;
  }
  auto st = escrow::StatementFromJson(declaration.entry.payload, declaration.Where());
  if (!st.ok()) return st.error();
  auto parsed = std::make_shared<ReplaySource::ParsedStatement>();
  parsed->statement = *std::move(st);
  parsed->digest = crypto::Sha256Of(declaration.entry.payload);
  if (derived) {
    std::lock_guard<std::mutex> lock(derived->mu);
    derived->statements[&declaration] = parsed;
  }
  return std::shared_ptr<const ReplaySource::ParsedStatement>(std::move(parsed));
}

}  // namespace

Result<InspectionRecord> Replay(const TreatyLookup& treaties, const ReplaySource& source,
                                const std::string& inspection, int64_t now,
                                const Pending* pending) {
  std::vector<ReplaySource::Indexed> named;
  if (auto it = source.by_inspection.find(inspection); it != source.by_inspection.end()) {
    named = it->second;
  }
  const LoggedEntry* pending_entry = pending && pending->entry ? &*pending->entry : nullptr;
  if (pending_entry && InspectionOf(pending_entry->entry.payload) == inspection) {
    named.push_back({pending->log, pending_entry});
  }
  if (named.empty()) {
    return NotFound("no inspection-request \"" + inspection + "\" on the logs given");
  }
  // The treaty from the first request naming the id; the ledger decides which request stands.
  const LoggedEntry* first_request = nullptr;
  for (const auto& x : named) {
    if (x.logged->entry.kind == K(tlog::EntryKind::kInspectionRequest)) {
      first_request = x.logged;
      break;
    }
  }
  if (!first_request) {
    return NotFound("no inspection-request \"" + inspection + "\" on the logs given");
  }
  TALLY_ASSIGN_OR_RETURN(Request first,
                         PayloadOf(source, pending_entry, *first_request, ParseRequest));
  const treaty::Treaty* t = treaties(first.treaty);
  if (!t) return NotFound(first_request->Where() + ": unknown treaty \"" + first.treaty + "\"");
  const bool pending_request =
      pending_entry && pending_entry->entry.kind == K(tlog::EntryKind::kInspectionRequest);
  const std::shared_ptr<const Ledger> shared_ledger =
      pending_request ? std::make_shared<const Ledger>(
                            BuildLedger(*t, source.logs, pending->log, pending_entry))
                      : LedgerOf(source, *t);
  const Ledger& ledger = *shared_ledger;
  const LedgerEntry* le = ledger.Find(inspection);
  if (!le) return NotFound("no inspection-request \"" + inspection + "\" under " + t->id);
  if (!le->status.ok()) return le->status;

  Replayer r;
  r.treaty = t;
  r.type = FindType(*t, le->request.type);
  r.source = &source;
  r.pending_entry = pending_entry;
  if (pending) r.pending_documents = &pending->documents;
  r.request_entry = le->logged;
  r.inspecting_log = FindLog(source.logs, le->logged->log);
  r.inspected_log = FindLog(source.logs, le->request.inspected);
  InspectionRecord& rec = r.rec;
  rec.request = le->request;
  rec.inspecting = le->logged->log;
  rec.requested_at = le->logged->entry.time;
  rec.year = le->year;
  rec.type_name = r.type->name;
  rec.restriction_begins = rec.requested_at + r.type->restriction_begins_hours * 3600;
  rec.awaiting = "the site opening by " + rec.request.inspected;
  r.deadline = rec.requested_at + kRevealWindowSeconds;
  r.round = RoundId(inspection);
  r.used.insert(le->logged);
  rec.steps.push_back({"request", le->logged->log, le->logged->index, le->logged->entry.time});

  if (le->declaration) {
    TALLY_ASSIGN_OR_RETURN(std::shared_ptr<const ReplaySource::ParsedStatement> st,
                           StatementOf(source, *le->declaration));
    r.statement = st->statement;
    r.statement_digest = st->digest;
    rec.declaration_where = le->declaration->Where();
    auto counter = escrow::Counter::Make(*t, r.statement->interpretation);
    if (!counter.ok()) return counter.error().WithContext(rec.declaration_where);
    r.counter = std::move(*counter);
  }

  // The candidates of each step, each list in its log's index order.
  std::vector<const LoggedEntry*> site_openings, designated_openings, r_commits, i_commits,
      r_reveals, i_reveals, findings;
  for (const auto& x : named) {
    const LoggedEntry& e = *x.logged;
    if (&e == le->logged) continue;
    const uint16_t kind = e.entry.kind;
    const bool on_r = x.log == r.inspecting_log, on_i = x.log == r.inspected_log;
    if (!on_r && !on_i) {
      r.used.insert(&e);
      r.Reject(e, FailedPrecondition(e.Where() + ": " + e.log + " is not a party to inspection " +
                                     inspection + " (" + rec.inspecting + " inspects " +
                                     rec.request.inspected + ")"));
      continue;
    }
    if (e.entry.time < rec.requested_at) {
      r.used.insert(&e);
      r.Reject(e, VerificationFailed(e.Where() + ": dated before the request it belongs to"));
      continue;
    }
    if (kind == K(tlog::EntryKind::kInspectionRequest)) {
      r.used.insert(&e);
      const LedgerEntry* other = nullptr;
      for (const LedgerEntry& l : ledger.requests) {
        if (l.logged == &e) other = &l;
      }
      r.Reject(e, other && !other->status.ok()
                      ? other->status
                      : FailedPrecondition(e.Where() + ": a second request for " + inspection));
      continue;
    }
    if (kind == K(tlog::EntryKind::kOpening) && on_i) {
      auto o = PayloadOf(source, pending_entry, e, ParseOpening);
      if (!o.ok()) {
        r.used.insert(&e);
        r.Reject(e, o.error());
        continue;
      }
      (o->phase == OpeningPhase::kSite ? site_openings : designated_openings).push_back(&e);
    } else if (kind == K(tlog::EntryKind::kRandomnessCommit)) {
      (on_r ? r_commits : i_commits).push_back(&e);
    } else if (kind == K(tlog::EntryKind::kRandomnessReveal)) {
      (on_r ? r_reveals : i_reveals).push_back(&e);
    } else if (kind == K(tlog::EntryKind::kFinding) && on_r) {
      findings.push_back(&e);
    } else {
      r.used.insert(&e);
      const std::string by = on_r ? "the inspecting party " : "the inspected party ";
      r.Reject(
          e, VerificationFailed(e.Where() + ": " +
                                std::string(kind == K(tlog::EntryKind::kOpening) ? "an opening by "
                                                                                 : "findings by ") +
                                by + e.log + "; only " +
                                (kind == K(tlog::EntryKind::kOpening)
                                     ? rec.request.inspected + " opens"
                                     : rec.inspecting + " records findings")));
    }
  }

  const auto parse_opening = [&](const LoggedEntry& e) {
    return *PayloadOf(source, pending_entry, e, ParseOpening);
  };
  TALLY_ASSIGN_OR_RETURN(bool sited, r.FirstThatChecks(site_openings, "a second site opening",
                                                       [&](const LoggedEntry& e) {
                                                         return r.Site(e, parse_opening(e));
                                                       }));
  const auto commit = [&](const LoggedEntry& e) { return r.Commit(e); };
  const auto reveal = [&](const LoggedEntry& e) { return r.Reveal(e); };
  if (sited && !r.whole_site_mode) {
    TALLY_RETURN_IF_ERROR(
        r.FirstThatChecks(r_commits, "a second commitment by " + rec.inspecting, commit).status());
    TALLY_RETURN_IF_ERROR(
        r.FirstThatChecks(i_commits, "a second commitment by " + rec.request.inspected, commit)
            .status());
    TALLY_RETURN_IF_ERROR(
        r.FirstThatChecks(i_reveals, "a second reveal by " + rec.request.inspected, reveal)
            .status());
    TALLY_RETURN_IF_ERROR(
        r.FirstThatChecks(r_reveals, "a second reveal by " + rec.inspecting, reveal).status());
    if (rec.seed) {
      TALLY_RETURN_IF_ERROR(r.FirstThatChecks(designated_openings, "a second designated opening",
                                              [&](const LoggedEntry& e) {
                                                return r.DesignatedOpening(e, parse_opening(e));
                                              })
                                .status());
    }
  }
  if (rec.stage == Stage::kOpened) {
    TALLY_RETURN_IF_ERROR(
        r.FirstThatChecks(findings, "a second finding", [&](const LoggedEntry& e) {
           return r.Findings(e);
         }).status());
  }
  // Everything that no step took: out of order, a second one, or for a step never reached.
  for (const auto* list : {&site_openings, &r_commits, &i_commits, &i_reveals, &r_reveals,
                           &designated_openings, &findings}) {
    for (const LoggedEntry* e : *list) {
      if (r.used.count(e)) continue;
      if (Status parsed = PayloadParses(source, pending_entry, *e); !parsed.ok()) {
        r.Reject(*e, parsed);
        continue;
      }
      std::string why;
      if (list == &site_openings) {
        why = "a second site opening";
      } else if (list == &designated_openings) {
        why = rec.seed ? "a second designated opening"
                       : "a designated opening before the items "
                         "were designated";
      } else if (list == &findings) {
        why = r.finding ? "a second finding" : "findings before the designated items were opened";
      } else if (r.whole_site_mode) {
        why = rec.request.site + " is inspected whole under " + r.type->id + "; no seed is drawn";
      } else if (!sited) {
        why =
            "randomness before the site opening (the designation population must be fixed "
            "before any seed exists)";
      } else if (list == &i_reveals && !r.i_commit) {
        why = "a reveal without a commitment before it";
      } else {
        why =
            "randomness out of order (every commitment, then the inspected party's reveal, then "
            "the inspecting party's)";
      }
      r.Reject(*e, VerificationFailed(e->Where() + ": " + why));
    }
  }
  // Entries the logs refused (another party's entry on a log, time going back) are evidence too.
  if (auto it = source.refused_by_inspection.find(inspection);
      it != source.refused_by_inspection.end()) {
    for (const RefusedEntry* x : it->second) {
      rec.rejected.push_back({x->logged.log, x->logged.index, x->logged.log, x->reason,
                              StatusCode::kVerificationFailed});
    }
  }
  // Rejections in log order, as the record lists them.
  std::stable_sort(rec.rejected.begin(), rec.rejected.end(),
                   [](const Rejection& a, const Rejection& b) {
                     return std::tie(a.log, a.index) < std::tie(b.log, b.index);
                   });
  if (sited && !rec.seed && !r.whole_site_mode) {
    if (!r.r_commit || !r.i_commit) {
      rec.awaiting = "randomness commitments";
    } else if (!r.i_reveal && now <= r.deadline) {
      rec.awaiting = "the reveal of " + rec.request.inspected + " (deadline " +
                     TimeText(r.deadline) + "), then " + rec.inspecting + "'s";
    } else {
      rec.awaiting = "the reveal of " + rec.inspecting + " (it reveals last)";
    }
  }
  r.Restrictions(now);
  return std::move(rec);
}

}  // namespace tally::inspection
