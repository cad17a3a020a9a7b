#include "tally/inspection/actions.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "tally/crypto/sha256.h"
#include "tally/escrow/bundle.h"
#include "tally/inspection/citation.h"
#include "tally/inspection/ledger.h"

namespace tally::inspection {
namespace {

constexpr uint16_t K(tlog::EntryKind k) { return static_cast<uint16_t>(k); }

Status Refused(const Status& s) { return s.WithContext("refused, nothing written"); }

Result<const PartyLog*> LogOf(const Actor& a, const std::string& party) {
  const PartyLog* log = FindLog(a.source->logs, party);
  if (!log) return NotFound(party + "'s log was not given");
  return log;
}

// The inspection as it stands, and the log of the party `me` answers.
struct Standing {
  InspectionRecord record;
  const PartyLog* other = nullptr;
};

Result<Standing> Stand(const Actor& a, const std::string& id, int64_t time,
                       const std::vector<std::string>& held = {}) {
  Pending docs;
  docs.documents = held;
  TALLY_ASSIGN_OR_RETURN(InspectionRecord rec, Replay(*a.treaties, *a.source, id, time, &docs));
  if (a.me != rec.inspecting && a.me != rec.request.inspected) {
    return FailedPrecondition(a.me + " is not a party to inspection " + id + " (" + rec.inspecting +
                              " inspects " + rec.request.inspected + ")");
  }
  const std::string& other = a.me == rec.inspecting ? rec.request.inspected : rec.inspecting;
  TALLY_ASSIGN_OR_RETURN(const PartyLog* log, LogOf(a, other));
  return Standing{std::move(rec), log};
}

Status AtStage(const InspectionRecord& rec, Stage want, const std::string& id) {
  if (rec.stage == want) return Status::Ok();
  return FailedPrecondition("inspection " + id + " is at stage " +
                            std::string(StageName(rec.stage)) +
                            (rec.awaiting.empty() ? "" : ", awaiting " + rec.awaiting));
}

Action Make(const Actor& a, tlog::EntryKind kind, int64_t time, std::string payload,
            std::string document = "", const Hash32& document_sha256 = {},
            std::shared_ptr<const escrow::Bundle> bundle = nullptr) {
  return Action{tlog::Entry{K(kind), a.me, time, std::move(payload)}, std::move(document),
                document_sha256, std::move(bundle)};
}

Result<Action> Checked(const Actor& a, const std::string& id, Action action,
                       const std::vector<std::string>& held = {}) {
  TALLY_RETURN_IF_ERROR(CheckAction(a, id, action, held));
  return action;
}

}  // namespace

Status CheckAction(const Actor& a, const std::string& id, const Action& action) {
  return CheckAction(a, id, action, {});
}

Status CheckAction(const Actor& a, const std::string& id, const Action& action,
                   const std::vector<std::string>& held) {
  const PartyLog* own = FindLog(a.source->logs, a.me);
  if (!own) return Refused(NotFound(a.me + "'s own log was not given"));
  if (action.entry.party != a.me) {
    return Refused(FailedPrecondition("an entry by " + action.entry.party + " on " + a.me +
                                      "'s log; an entry counts only on its own party's log"));
  }
  if (own->latest_time() && action.entry.time < *own->latest_time()) {
    return Refused(FailedPrecondition("dated " + std::to_string(action.entry.time) +
                                      " s, before the latest entry of " + a.me + "'s log (" +
                                      std::to_string(*own->latest_time()) +
                                      " s); within a log time never goes back"));
  }
  auto bytes = tlog::EncodeEntry(action.entry);
  if (!bytes.ok()) return Refused(bytes.error());
  Pending pending;
  pending.log = own;
  pending.entry = LoggedEntry{a.me, own->size(), action.entry, *bytes};
  for (const std::string& d : held) pending.Add(d, crypto::Sha256Of(d), nullptr);
  if (!action.document.empty()) {
    // An action made without its hash (all zero: no SHA-256 of real bytes) is hashed here.
    const bool hashed = action.document_sha256 != Hash32{};
    pending.Add(action.document,
                hashed ? action.document_sha256 : crypto::Sha256Of(action.document),
                hashed ? action.bundle : nullptr);
  }
  const LoggedEntry* entry = &*pending.entry;
  if (action.entry.kind == K(tlog::EntryKind::kInspectionRequest)) {
    TALLY_ASSIGN_OR_RETURN(Request r, ParseRequest(action.entry.payload, "the request"));
    const treaty::Treaty* t = (*a.treaties)(r.treaty);
    if (!t) return Refused(NotFound("unknown treaty \"" + r.treaty + "\""));
    const Ledger ledger = BuildLedger(*t, a.source->logs, own, entry);
    for (const LedgerEntry& le : ledger.requests) {
      if (le.logged == entry) return le.status.ok() ? Status::Ok() : Refused(le.status);
    }
    return Refused(Internal("the ledger lost the new request"));
  }
  auto rec = Replay(*a.treaties, *a.source, id, action.entry.time, &pending);
  if (!rec.ok()) return Refused(rec.error());
  for (const Rejection& r : rec->rejected) {
    if (r.log == a.me && r.index == entry->index) return Refused(Status(r.code, r.reason));
  }
  return Status::Ok();
}

Result<Action> RequestInspection(const Actor& a, int64_t time, Request request) {
  TALLY_ASSIGN_OR_RETURN(const PartyLog* inspected, LogOf(a, request.inspected));
  request.seen = CitationOf(*inspected);
  const std::string payload = EncodeRequest(request);
  TALLY_RETURN_IF_ERROR(ParseRequest(payload, "the request").status());
  return Checked(a, request.inspection,
                 Make(a, tlog::EntryKind::kInspectionRequest, time, payload));
}

Result<Action> OpenSite(const Actor& a, int64_t time, const std::string& id,
                        const escrow::Declaration& declaration) {
  TALLY_ASSIGN_OR_RETURN(Standing s, Stand(a, id, time));
  TALLY_RETURN_IF_ERROR(AtStage(s.record, Stage::kRequested, id));
  escrow::Selection site;
  site.facility = s.record.request.site;
  auto bundle = declaration.Open(site);
  if (!bundle.ok()) return bundle.error().WithContext("site " + site.facility);
  auto shared = std::make_shared<const escrow::Bundle>(*std::move(bundle));
  std::string json = escrow::BundleToJson(*shared);
  Opening o{id, OpeningPhase::kSite, crypto::Sha256Of(json), CitationOf(*s.other)};
  return Checked(a, id,
                 Make(a, tlog::EntryKind::kOpening, time, EncodeOpening(o), std::move(json),
                      o.bundle_sha256, std::move(shared)));
}

Result<Action> OpenDesignated(const Actor& a, int64_t time, const std::string& id,
                              const escrow::Declaration& declaration) {
  // The designated leaves come from the site opening, as the replay verified it. The replay
  // asks for a document only when neither the source nor its verified bundles hold it, and
  // stops with NotFound when it is missing; only then is the site bundle made again (the store
  // reproduces it byte for byte) and handed over, and each replay comes out as if it always were.
  std::vector<std::string> held;
  std::optional<escrow::Bundle> reopened;
  auto standing = Stand(a, id, time);
  if (!standing.ok() && standing.error().code() == StatusCode::kNotFound) {
    // The site comes from the request, which the ledger checks again when the replay runs.
    escrow::Selection site;
    if (auto named = a.source->by_inspection.find(id); named != a.source->by_inspection.end()) {
      for (const auto& x : named->second) {
        if (x.logged->entry.kind != K(tlog::EntryKind::kInspectionRequest)) continue;
        auto r = ParseRequest(x.logged->entry.payload, x.logged->Where());
        if (r.ok()) site.facility = r->site;
        break;
      }
    }
    if (site.facility.empty()) return NotFound("no inspection-request \"" + id + "\" on the logs");
    auto site_bundle = declaration.Open(site);
    if (!site_bundle.ok()) return site_bundle.error().WithContext("site " + site.facility);
    reopened = *std::move(site_bundle);
    held = {escrow::BundleToJson(*reopened)};
    standing = Stand(a, id, time, held);
  }
  TALLY_ASSIGN_OR_RETURN(Standing s, std::move(standing));
  TALLY_RETURN_IF_ERROR(AtStage(s.record, Stage::kDesignated, id));
  const escrow::Bundle* site_bundle = reopened ? &*reopened : s.record.site_bundle.get();
  if (!site_bundle) return Internal("inspection " + id + ": designated without a site opening");
  TALLY_ASSIGN_OR_RETURN(std::vector<uint64_t> leaves, LeavesToOpen(s.record, *site_bundle));
  auto bundle = declaration.OpenLeaves(leaves, "inspection " + id + ": designated items");
  if (!bundle.ok()) return bundle.error();
  auto shared = std::make_shared<const escrow::Bundle>(*std::move(bundle));
  std::string json = escrow::BundleToJson(*shared);
  Opening o{id, OpeningPhase::kDesignated, crypto::Sha256Of(json), CitationOf(*s.other)};
  return Checked(a, id,
                 Make(a, tlog::EntryKind::kOpening, time, EncodeOpening(o), std::move(json),
                      o.bundle_sha256, std::move(shared)),
                 held);
}

Result<Action> CommitRandomness(const Actor& a, int64_t time, const std::string& id,
                                const inspect::Secret& secret) {
  TALLY_ASSIGN_OR_RETURN(Standing s, Stand(a, id, time));
  const std::string round = RoundId(id);
  RandomnessCommit c{id, round, inspect::CommitmentFor(round, a.me, secret), CitationOf(*s.other)};
  return Checked(a, id, Make(a, tlog::EntryKind::kRandomnessCommit, time, EncodeCommit(c)));
}

Result<Action> RevealRandomness(const Actor& a, int64_t time, const std::string& id,
                                const inspect::Secret& secret) {
  TALLY_ASSIGN_OR_RETURN(Standing s, Stand(a, id, time));
  RandomnessReveal v{id, RoundId(id), secret, CitationOf(*s.other)};
  return Checked(a, id, Make(a, tlog::EntryKind::kRandomnessReveal, time, EncodeReveal(v)));
}

Result<Action> RecordFindings(const Actor& a, int64_t time, const std::string& id,
                              std::vector<Observation> observed, bool allow_unlisted) {
  TALLY_ASSIGN_OR_RETURN(Standing s, Stand(a, id, time));
  TALLY_RETURN_IF_ERROR(AtStage(s.record, Stage::kOpened, id));
  // A whole site designates every item there: looked up, not scanned, per observation.
  std::vector<std::string_view> designated_uids(s.record.designated.begin(),
                                                s.record.designated.end());
  std::sort(designated_uids.begin(), designated_uids.end());
  for (const Observation& o : observed) {
    const bool designated =
        std::binary_search(designated_uids.begin(), designated_uids.end(), o.uid);
    if (!designated && !allow_unlisted) {
      return InvalidArgument("observation of " + o.uid +
                             ": not a designated item (unknown, or not opened for this "
                             "inspection); record items found at the site anyway as unlisted");
    }
  }
  std::sort(observed.begin(), observed.end(),
            [](const Observation& x, const Observation& y) { return x.uid < y.uid; });
  Findings f{id, std::move(observed)};
  // A status or uid the strict parser would refuse is refused by the check below, whose replay
  // parses the document as every reader will.
  const std::string doc = EncodeFindings(f);
  Finding entry{id, crypto::Sha256Of(doc), CitationOf(*s.other)};
  return Checked(
      a, id,
      Make(a, tlog::EntryKind::kFinding, time, EncodeFinding(entry), doc, entry.findings_sha256));
}

}  // namespace tally::inspection
