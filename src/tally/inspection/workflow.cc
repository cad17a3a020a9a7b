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
#include "tally/inspection/step_verifier.h"
#include "tally/merkle/hash.h"

namespace tally::inspection {
namespace {

using internal::Contains;
using internal::K;
using internal::PayloadOf;
using internal::PayloadParses;
using internal::StepVerifier;
using internal::TimeText;

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

}  // namespace

void Pending::Add(std::string bytes, const Hash32& sha256,
                  std::shared_ptr<const escrow::Bundle> bundle) {
  // Known hashes only count when every document has one: the replay then takes them all.
  if (document_sha256.size() != documents.size()) {
    documents.push_back(std::move(bytes));
    return;
  }
  documents.push_back(std::move(bytes));
  document_sha256.push_back(sha256);
  document_bundles.push_back(std::move(bundle));
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

  StepVerifier r;
  r.treaty = t;
  r.type = FindType(*t, le->request.type);
  r.source = &source;
  r.pending_entry = pending_entry;
  r.pending = pending;
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
