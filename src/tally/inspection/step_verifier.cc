#include "tally/inspection/step_verifier.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/escrow/categories.h"
#include "tally/escrow/statement.h"
#include "tally/inspect/joint_randomness.h"
#include "tally/inspect/sampler.h"
#include "tally/merkle/hash.h"

namespace tally::inspection::internal {
namespace {

std::string Join(const std::vector<uint64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

}  // namespace

// What step an applied entry is, by its kind (and an opening's phase).
std::string StepName(const ReplaySource& source, const LoggedEntry* pending, const LoggedEntry& e) {
  switch (static_cast<tlog::EntryKind>(e.entry.kind)) {
    case tlog::EntryKind::kInspectionRequest:
      return "request";
    case tlog::EntryKind::kOpening: {
      auto o = PayloadOf(source, pending, e, ParseOpening);
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

std::string TimeText(int64_t t) {
  char buf[16];
  int64_t rest = t % 86400;
  if (rest < 0) rest += 86400;
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return DayOf(t).ToString() + buf;
}

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

void StepVerifier::Reject(const LoggedEntry& e, const Status& why) {
  rec.rejected.push_back({e.log, e.index, e.entry.party, why.message(), why.code()});
}

// The entry's time and citation against the entry it answers on the other log.
Status StepVerifier::Answers(const LoggedEntry& e, const Citation& seen, const PartyLog& other,
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
                              std::string(what) + " it answers (" + TimeText(answered.entry.time) +
                              ")");
  }
  return Status::Ok();
}

const std::string* StepVerifier::FindDocument(const Hash32& sha256,
                                              std::shared_ptr<const escrow::Bundle>* prepared) {
  if (prepared) prepared->reset();
  if (auto d = source->documents.Find(sha256)) {
    found_documents.push_back(std::move(d));
    return found_documents.back().get();
  }
  if (!pending) return nullptr;
  const std::vector<std::string>& documents = pending->documents;
  const bool hashes_given = pending->document_sha256.size() == documents.size();
  if (pending_hashes.empty()) {
    if (hashes_given) {
      pending_hashes = pending->document_sha256;
    } else {
      for (const std::string& d : documents) pending_hashes.push_back(crypto::Sha256Of(d));
    }
  }
  for (size_t i = 0; i < pending_hashes.size(); ++i) {
    if (pending_hashes[i] != sha256) continue;
    if (prepared && hashes_given && pending->document_bundles.size() == documents.size()) {
      *prepared = pending->document_bundles[i];
    }
    return &documents[i];
  }
  return nullptr;
}

// Shared with the source's cache: a replay only reads the bundle, and copying a site opening
// of a few hundred leaves for every replay of every step cost more than the rest of the step.
Result<std::shared_ptr<const ReplaySource::VerifiedBundle>> StepVerifier::LoadBundle(
    const LoggedEntry& e, const Opening& o) {
  // The same bytes verified against the same root verify again: take the earlier result.
  const auto key = std::make_pair(o.bundle_sha256, statement_digest);
  {
    std::lock_guard<std::mutex> lock(source->verified->mu);
    auto it = source->verified->by_key.find(key);
    if (it != source->verified->by_key.end()) return it->second;
  }
  std::shared_ptr<const escrow::Bundle> prepared;
  const std::string* bytes = FindDocument(o.bundle_sha256, &prepared);
  if (!bytes) {
    return NotFound(e.Where() + ": the " + std::string(OpeningPhaseName(o.phase)) +
                    " bundle (sha256 " + crypto::HexEncode(o.bundle_sha256) +
                    ") was not given; pass the bundle file the inspected party "
                    "handed over");
  }
  // The acting party's own bundle, as it wrote it out, is verified where it is (BundleFromJson
  // would give the same bundle back); any other is parsed from its bytes first.
  if (!prepared) {
    auto parsed = escrow::BundleFromJson(*bytes, e.Where() + " bundle");
    if (!parsed.ok()) return parsed.error();
    prepared = std::make_shared<const escrow::Bundle>(*std::move(parsed));
  }
  if (Status s = escrow::CheckBundle(*statement, *prepared, *counter); !s.ok()) {
    return s.WithContext(e.Where());
  }
  for (const auto& l : prepared->opened) {
    if (l.record.dummy) {
      return VerificationFailed(e.Where() + ": the bundle opens padding leaf " +
                                std::to_string(l.index) + "; an inspection opens items only");
    }
  }
  auto verified_bundle = std::make_shared<ReplaySource::VerifiedBundle>();
  verified_bundle->bundle = std::move(prepared);
  const std::vector<escrow::OpenedLeaf>& opened = verified_bundle->bundle->opened;
  verified_bundle->by_uid.resize(opened.size());
  for (size_t i = 0; i < opened.size(); ++i) verified_bundle->by_uid[i] = i;
  std::sort(
      verified_bundle->by_uid.begin(), verified_bundle->by_uid.end(),
      [&](size_t x, size_t y) { return opened[x].record.item.uid < opened[y].record.item.uid; });
  std::shared_ptr<const ReplaySource::VerifiedBundle> shared = std::move(verified_bundle);
  std::lock_guard<std::mutex> lock(source->verified->mu);
  if (source->verified->keep) source->verified->by_key[key] = shared;
  return shared;
}

Status StepVerifier::Site(const LoggedEntry& e, const Opening& o) {
  if (!statement) {
    return FailedPrecondition(e.Where() + ": " + I() + " had logged no declaration under " +
                              treaty->id + " in the prefix of its log the request cites");
  }
  TALLY_RETURN_IF_ERROR(Answers(e, o.seen, *inspecting_log, *request_entry, "the request"));
  TALLY_ASSIGN_OR_RETURN(std::shared_ptr<const ReplaySource::VerifiedBundle> shared,
                         LoadBundle(e, o));
  const escrow::Bundle& b = *shared->bundle;
  bool deployed = false;
  for (const auto& l : b.opened) {
    const model::Item& item = l.record.item;
    if (item.facility != rec.request.site) {
      return VerificationFailed(e.Where() + ": the site opening holds " + item.uid + " at \"" +
                                item.facility + "\", not at the site \"" + rec.request.site + "\"");
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
  rec.site_bundle = shared->bundle;
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

Status StepVerifier::Commit(const LoggedEntry& e) {
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
Status StepVerifier::NotReused(const LoggedEntry& e, const Hash32& secret, const Citation& seen,
                               const PartyLog& own, const PartyLog& other) const {
  auto it = source->reveals.find(secret);
  if (it == source->reveals.end()) return Status::Ok();
  for (const auto& r : it->second) {
    const bool earlier_own = r.log == &own && r.index < e.index;
    const bool seen_other = r.log == &other && r.index < seen.size;
    if (earlier_own || seen_other) {
      return VerificationFailed(e.Where() + ": this secret was revealed before (" + r.log->owner() +
                                " log entry " + std::to_string(r.index) + ", round " + r.round +
                                "); a secret is good for one round only, since once it is "
                                "known the other party can steer the designation");
    }
  }
  return Status::Ok();
}

Status StepVerifier::Reveal(const LoggedEntry& e) {
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
    TALLY_RETURN_IF_ERROR(Answers(e, v.seen, *inspecting_log, *r_commit.e, R() + "'s commitment"));
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
  const uint64_t k =
      std::min<uint64_t>(static_cast<uint64_t>(type->items_per_inspection), rec.population.size());
  TALLY_ASSIGN_OR_RETURN(
      rec.designated,
      inspect::SelectIdentifiers(*rec.seed, "items/" + rec.request.site, rec.population, k));
  rec.stage = Stage::kDesignated;
  rec.awaiting = "the designated opening by " + I();
  return Status::Ok();
}

Status StepVerifier::DesignatedOpening(const LoggedEntry& e, const Opening& o) {
  if (!rec.seed) {
    return VerificationFailed(e.Where() +
                              ": a designated opening before the items were designated");
  }
  TALLY_RETURN_IF_ERROR(Answers(e, o.seen, *inspecting_log, *r_reveal.e, R() + "'s reveal"));
  TALLY_ASSIGN_OR_RETURN(std::vector<uint64_t> want, LeavesToOpen(rec, *site_opening->bundle));
  TALLY_ASSIGN_OR_RETURN(std::shared_ptr<const ReplaySource::VerifiedBundle> shared,
                         LoadBundle(e, o));
  const escrow::Bundle& b = *shared->bundle;
  std::vector<uint64_t> leaves;
  for (const auto& l : b.opened) leaves.push_back(l.index);
  if (leaves != want) {
    return VerificationFailed(
        e.Where() + ": selection recomputed differently: the bundle opens leaves " + Join(leaves) +
        ", the designation of " + std::to_string(rec.designated.size()) +
        " items and their warheads gives " + Join(want));
  }
  // Leaf for leaf the same as in the site opening: one record per position.
  for (const auto& l : b.opened) {
    const auto& at_site = site_opening->bundle->opened;
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

Result<inspection::Findings> StepVerifier::FindingsDocument(const LoggedEntry& e,
                                                            const Hash32& sha256,
                                                            std::string_view bytes) {
  ReplaySource::Derived* derived = source->derived.get();
  if (!derived) return ParseFindings(bytes, e.Where() + " findings document");
  {
    std::lock_guard<std::mutex> lock(derived->mu);
    if (auto it = derived->findings_by_sha256.find(sha256); it != derived->findings_by_sha256.end())
      return it->second;
    if (&e != pending_entry) {
      auto it = derived->findings_documents.find(&e);
      if (it != derived->findings_documents.end()) return it->second;
    }
  }
  Result<inspection::Findings> parsed = ParseFindings(bytes, e.Where() + " findings document");
  std::lock_guard<std::mutex> lock(derived->mu);
  if (parsed.ok()) {
    derived->findings_by_sha256.emplace(sha256, *parsed);
  } else if (&e != pending_entry) {
    derived->findings_documents.emplace(&e, parsed);
  }
  return parsed;
}

Status StepVerifier::Findings(const LoggedEntry& e) {
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
  TALLY_ASSIGN_OR_RETURN(inspection::Findings doc, FindingsDocument(e, f.findings_sha256, *bytes));
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

// Notifications by the inspected party about site items inside the restriction window.
void StepVerifier::Restrictions(int64_t now) {
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

}  // namespace tally::inspection::internal
