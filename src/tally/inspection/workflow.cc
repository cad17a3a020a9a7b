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
#include "tally/merkle/hash.h"

namespace tally::inspection {
namespace {

constexpr uint16_t K(tlog::EntryKind k) { return static_cast<uint16_t>(k); }

// The "inspection" member of an inspection payload, or "" (not an inspection payload).
std::string InspectionOf(const std::string& payload) {
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

// The verification state shared by the steps.
struct Replayer {
  const treaty::Treaty* treaty = nullptr;
  const treaty::InspectionType* type = nullptr;
  const Documents* documents = nullptr;
  InspectionRecord rec;
  std::optional<escrow::Statement> statement;
  std::optional<escrow::Counter> counter;
  std::optional<inspect::Round> round;
  std::optional<escrow::Bundle> site_bundle;
  int64_t last_reveal = 0;
  bool site_seen = false, designated_seen = false, finding_seen = false;
  bool whole_site_mode = false;

  Result<escrow::Bundle> LoadBundle(const LoggedEntry& e, const Opening& o) {
    const std::string* bytes = documents->Find(o.bundle_sha256);
    if (!bytes) {
      return NotFound(e.Where() + ": the " + std::string(OpeningPhaseName(o.phase)) +
                      " bundle (sha256 " + crypto::HexEncode(o.bundle_sha256) +
                      ") was not given; pass the bundle file the inspected party "
                      "handed over");
    }
    auto bundle = escrow::BundleFromJson(*bytes, e.Where() + " bundle");
    if (!bundle.ok()) return bundle.error();
    auto verified = escrow::VerifyBundle(*statement, *bundle, *counter);
    if (!verified.ok()) return verified.error().WithContext(e.Where());
    std::vector<uint64_t> leaves;
    for (const auto& l : bundle->opened) leaves.push_back(l.index);
    if (leaves != o.leaves) {
      return VerificationFailed(e.Where() + ": the entry lists leaves " + Join(o.leaves) +
                                " but its bundle opens " + Join(leaves));
    }
    for (const auto& l : bundle->opened) {
      if (l.record.dummy) {
        return VerificationFailed(e.Where() + ": the bundle opens padding leaf " +
                                  std::to_string(l.index) + "; an inspection opens items only");
      }
    }
    return *std::move(bundle);
  }

  Status Site(const LoggedEntry& e, const Opening& o) {
    if (site_seen) return VerificationFailed(e.Where() + ": a second site opening");
    if (!statement) {
      return FailedPrecondition(e.Where() + ": " + rec.request.inspected +
                                " logged no declaration under " + treaty->id +
                                " on or before the request");
    }
    TALLY_ASSIGN_OR_RETURN(escrow::Bundle b, LoadBundle(e, o));
    bool deployed = false;
    std::vector<std::string> site_items, population;  // applied only if the step succeeds
    for (const auto& l : b.opened) {
      const model::Item& item = l.record.item;
      if (item.facility != rec.request.site) {
        return VerificationFailed(e.Where() + ": the site opening holds " + item.uid + " at \"" +
                                  item.facility + "\", not at the site \"" + rec.request.site +
                                  "\"");
      }
      site_items.push_back(item.uid);
      if (item.status == model::ItemStatus::kDeployed) deployed = true;
      const bool kind_ok =
          type->designate_kinds.empty() || Contains(type->designate_kinds, item.kind);
      const bool status_ok =
          type->designate_statuses.empty() || Contains(type->designate_statuses, item.status);
      if (kind_ok && status_ok) population.push_back(item.uid);
    }
    std::sort(site_items.begin(), site_items.end());
    std::sort(population.begin(), population.end());
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
      for (const auto& l : b.opened) {
        if (l.record.item.kind != model::ItemKind::kWarhead) mandate.push_back(l.record.item.uid);
      }
      std::sort(mandate.begin(), mandate.end());
      auto declared = DeclaredItems(b.opened, mandate);
      if (!declared.ok()) return declared.error().WithContext(e.Where());
      whole_site = *std::move(declared);
    }
    rec.site_items = std::move(site_items);
    rec.population = std::move(population);
    site_bundle = std::move(b);
    site_seen = true;
    if (whole) {
      whole_site_mode = true;
      rec.whole_site = true;
      rec.designated = std::move(mandate);
      rec.declared = std::move(whole_site);
      rec.designated_at = rec.restriction_ends = e.entry.time;
      rec.stage = Stage::kOpened;
      rec.awaiting = "findings by " + rec.inspecting;
      return Status::Ok();
    }
    rec.stage = Stage::kSiteOpened;
    rec.awaiting =
        "randomness commitments and reveals by " + rec.inspecting + " and " + rec.request.inspected;
    return Status::Ok();
  }

  // Once the seed is known: the designation.
  Status Designate(int64_t at) {
    if (rec.seed || !round || !site_seen || whole_site_mode) return Status::Ok();
    auto outcome = round->Finish(at);
    if (!outcome.ok()) return Status::Ok();  // still waiting for reveals
    rec.seed = outcome->seed;
    rec.fallback = outcome->fallback;
    rec.refused = outcome->refused;
    rec.designated_at = outcome->fallback ? round->spec().reveal_deadline : last_reveal;
    rec.restriction_ends = rec.designated_at;
    const uint64_t k = std::min<uint64_t>(static_cast<uint64_t>(type->items_per_inspection),
                                          rec.population.size());
    TALLY_ASSIGN_OR_RETURN(
        rec.designated,
        inspect::SelectIdentifiers(*rec.seed, "items/" + rec.request.site, rec.population, k));
    rec.stage = Stage::kDesignated;
    rec.awaiting = "the designated opening by " + rec.request.inspected;
    return Status::Ok();
  }

  Status Randomness(const LoggedEntry& e) {
    // The payload first, so that a malformed entry is named as such whatever the state.
    const bool commit = e.entry.kind == K(tlog::EntryKind::kRandomnessCommit);
    std::optional<RandomnessCommit> c;
    std::optional<RandomnessReveal> v;
    if (commit) {
      TALLY_ASSIGN_OR_RETURN(c, ParseCommit(e.entry.payload, e.Where()));
    } else {
      TALLY_ASSIGN_OR_RETURN(v, ParseReveal(e.entry.payload, e.Where()));
    }
    if (!site_seen) {
      return VerificationFailed(e.Where() +
                                ": randomness before the site opening (the designation "
                                "population must be fixed before any seed exists)");
    }
    if (whole_site_mode) {
      return VerificationFailed(e.Where() + ": " + rec.request.site + " is inspected whole under " +
                                type->id + "; no seed is drawn");
    }
    if (rec.seed) return VerificationFailed(e.Where() + ": the items are already designated");
    const std::string& party = e.entry.party;
    if (commit) {
      Status s = round->Commit(party, c->commitment, e.entry.time);
      if (!s.ok()) return s.WithContext(e.Where());
      rec.committed.push_back(party);
      return Status::Ok();
    }
    Status s = round->Reveal(party, v->secret, e.entry.time);
    if (!s.ok()) return s.WithContext(e.Where());
    rec.revealed.push_back(party);
    last_reveal = e.entry.time;
    return Designate(e.entry.time);
  }

  Status DesignatedOpening(const LoggedEntry& e, const Opening& o) {
    TALLY_RETURN_IF_ERROR(Designate(e.entry.time));
    if (!rec.seed) {
      return VerificationFailed(e.Where() +
                                ": a designated opening before the items were designated");
    }
    if (designated_seen) return VerificationFailed(e.Where() + ": a second designated opening");
    TALLY_ASSIGN_OR_RETURN(std::vector<uint64_t> want, LeavesToOpen(rec, *site_bundle));
    if (o.leaves != want) {
      return VerificationFailed(
          e.Where() + ": selection recomputed differently: the opening lists leaves " +
          Join(o.leaves) + ", the designation of " + std::to_string(rec.designated.size()) +
          " items and their warheads gives " + Join(want));
    }
    TALLY_ASSIGN_OR_RETURN(escrow::Bundle b, LoadBundle(e, o));
    // Leaf for leaf the same as in the site opening: one record per position.
    for (const auto& l : b.opened) {
      const auto& site = site_bundle->opened;
      auto it = std::find_if(site.begin(), site.end(),
                             [&](const escrow::OpenedLeaf& s) { return s.index == l.index; });
      if (it == site.end() || it->record.item.uid != l.record.item.uid) {
        return VerificationFailed(e.Where() + ": leaf " + std::to_string(l.index) +
                                  " is opened differently than in the site opening");
      }
    }
    auto declared = DeclaredItems(b.opened, rec.designated);
    if (!declared.ok()) return declared.error().WithContext(e.Where());
    rec.declared = *std::move(declared);
    designated_seen = true;
    rec.stage = Stage::kOpened;
    rec.awaiting = "findings by " + rec.inspecting;
    return Status::Ok();
  }

  Status Findings(const LoggedEntry& e) {
    TALLY_ASSIGN_OR_RETURN(Finding f, ParseFinding(e.entry.payload, e.Where()));
    if (rec.stage != Stage::kOpened) {
      return VerificationFailed(e.Where() + ": findings before the designated items were opened");
    }
    if (finding_seen) return VerificationFailed(e.Where() + ": a second finding");
    const std::string* bytes = documents->Find(f.findings_sha256);
    if (!bytes) {
      return NotFound(e.Where() + ": the findings document (sha256 " +
                      crypto::HexEncode(f.findings_sha256) + ") was not given");
    }
    TALLY_ASSIGN_OR_RETURN(inspection::Findings doc,
                           ParseFindings(*bytes, e.Where() + " findings document"));
    if (doc.inspection != rec.request.inspection || doc.observed.size() != f.observed) {
      return VerificationFailed(e.Where() + ": the findings document is for inspection \"" +
                                doc.inspection + "\" with " + std::to_string(doc.observed.size()) +
                                " observations; the entry says \"" + f.inspection + "\" with " +
                                std::to_string(f.observed));
    }
    rec.observed = doc.observed;
    rec.discrepancies = CheckFindings(rec.declared, rec.site_items, rec.observed);
    finding_seen = true;
    rec.stage = Stage::kRecorded;
    rec.awaiting.clear();
    return Status::Ok();
  }

  // One entry of the inspection, applied whole or not at all.
  Status Apply(const LoggedEntry& e) {
    const uint16_t kind = e.entry.kind;
    const Request& request = rec.request;
    if (e.entry.time < rec.requested_at) {
      return VerificationFailed(e.Where() + ": dated before the request it belongs to");
    }
    const std::string& party = e.entry.party;
    if (kind == K(tlog::EntryKind::kOpening)) {
      if (party != request.inspected) {
        return VerificationFailed(e.Where() + ": an opening by " + party +
                                  ", not by the inspected party " + request.inspected);
      }
      TALLY_ASSIGN_OR_RETURN(Opening o, ParseOpening(e.entry.payload, e.Where()));
      return o.phase == OpeningPhase::kSite ? Site(e, o) : DesignatedOpening(e, o);
    }
    if (kind == K(tlog::EntryKind::kFinding)) {
      if (party != rec.inspecting) {
        return VerificationFailed(e.Where() + ": findings by " + party +
                                  ", not by the inspecting party " + rec.inspecting);
      }
      TALLY_RETURN_IF_ERROR(Designate(e.entry.time));
      return Findings(e);
    }
    // A deadline passed before this entry fixes the fallback seed first.
    TALLY_RETURN_IF_ERROR(Designate(e.entry.time));
    return Randomness(e);
  }

  // Notifications by the inspected party about site items inside the restriction window.
  void Restrictions(const std::vector<LoggedEntry>& entries, int64_t now) {
    if (!site_seen) return;
    const Date from = DayOf(rec.restriction_begins);
    const Date to = DayOf(rec.restriction_ends ? rec.restriction_ends : now);
    for (const LoggedEntry& e : entries) {
      if (e.entry.kind != K(tlog::EntryKind::kNotification) ||
          e.entry.party != rec.request.inspected) {
        continue;
      }
      auto j = nlohmann::json::parse(e.entry.payload, nullptr, false);
      if (!j.is_object() || !j.contains("uid") || !j["uid"].is_string() || !j.contains("event") ||
          !j["event"].is_string()) {
        continue;
      }
      const std::string uid = j["uid"].get<std::string>();
      auto event = Date::Parse(j["event"].get<std::string>());
      if (!event.ok() || !std::binary_search(rec.site_items.begin(), rec.site_items.end(), uid)) {
        continue;
      }
      if (*event >= from && *event <= to) {
        const std::string what = j.value("type", std::string("change"));
        rec.violations.push_back({e.Where(), uid,
                                  what + " of " + uid + " at the inspected site on " +
                                      event->ToString() +
                                      ", inside the pre-inspection restriction window"});
      }
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
  const bool clean = violations.empty() && rejected.empty();
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

Result<InspectionRecord> Replay(const TreatyLookup& treaties,
                                const std::vector<LoggedEntry>& entries,
                                const std::string& inspection, const Documents& documents,
                                int64_t now) {
  const LoggedEntry* req = nullptr;
  for (const LoggedEntry& e : entries) {
    if (e.entry.kind == K(tlog::EntryKind::kInspectionRequest) &&
        InspectionOf(e.entry.payload) == inspection) {
      req = &e;
      break;
    }
  }
  if (!req) return NotFound("no inspection-request \"" + inspection + "\" on the logs given");
  TALLY_ASSIGN_OR_RETURN(Request request, ParseRequest(req->entry.payload, req->Where()));
  const treaty::Treaty* t = treaties(request.treaty);
  if (!t) return NotFound(req->Where() + ": unknown treaty \"" + request.treaty + "\"");
  const Ledger ledger = BuildLedger(*t, entries);
  const LedgerEntry* le = ledger.Find(inspection);
  if (!le) return Internal("the ledger lost request " + inspection);
  if (!le->status.ok()) return le->status;

  Replayer r;
  r.treaty = t;
  r.type = FindType(*t, request.type);
  r.documents = &documents;
  InspectionRecord& rec = r.rec;
  rec.request = request;
  rec.inspecting = req->entry.party;
  rec.requested_at = req->entry.time;
  rec.year = le->year;
  rec.type_name = r.type->name;
  rec.restriction_begins = rec.requested_at + r.type->restriction_begins_hours * 3600;
  rec.awaiting = "the site opening by " + request.inspected;

  // The inspected party's declaration in force at the request: its last one under this treaty.
  for (const LoggedEntry& e : entries) {
    if (e.entry.kind != K(tlog::EntryKind::kDeclaration) || e.entry.party != request.inspected ||
        e.entry.time > rec.requested_at) {
      continue;
    }
    auto st = escrow::StatementFromJson(e.entry.payload, e.Where());
    if (st.ok() && st->treaty == t->id && st->party == request.inspected) {
      r.statement = *st;
      rec.declaration_where = e.Where();
    }
  }
  if (r.statement) {
    auto counter = escrow::Counter::Make(*t, r.statement->interpretation);
    if (!counter.ok()) return counter.error().WithContext(rec.declaration_where);
    r.counter = std::move(*counter);
  }
  std::vector<std::string> parties = {rec.inspecting, request.inspected};
  std::sort(parties.begin(), parties.end());
  inspect::RoundSpec spec{RoundId(inspection), parties, rec.requested_at + kRevealWindowSeconds,
                          merkle::LeafHash(req->bytes)};
  TALLY_ASSIGN_OR_RETURN(r.round, inspect::Round::Create(spec));

  for (const LoggedEntry& e : entries) {
    const uint16_t kind = e.entry.kind;
    if (kind < K(tlog::EntryKind::kRandomnessCommit) || kind > K(tlog::EntryKind::kFinding) ||
        InspectionOf(e.entry.payload) != inspection) {
      continue;
    }
    Status applied = r.Apply(e);
    if (applied.code() == StatusCode::kNotFound) return applied;  // a document not given
    if (!applied.ok()) {
      rec.rejected.push_back({e.log, e.index, e.entry.party, applied.message(), applied.code()});
    }
  }
  TALLY_RETURN_IF_ERROR(r.Designate(now));
  if (r.site_seen && !rec.seed) {
    if (rec.committed.size() < 2) {
      rec.awaiting = "randomness commitments";
    } else {
      rec.awaiting =
          "randomness reveals (deadline " + std::to_string(r.round->spec().reveal_deadline) + ")";
    }
  }
  r.Restrictions(entries, now);
  return std::move(rec);
}

}  // namespace tally::inspection
