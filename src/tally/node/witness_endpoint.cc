#include "tally/node/witness_endpoint.h"

#include <chrono>

#include "tally/server/problem.h"

namespace tally::node {

uint64_t WallClockSeconds() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

server::HttpResponse HandleAddCheckpoint(tlog::Witness& witness, const tlog::LogKeyring& logs,
                                         const server::HttpRequest& request, const Clock& clock,
                                         server::Logger& log, const ConflictHandler& on_conflict) {
  using Kind = tlog::AddCheckpointOutcome::Kind;
  auto parsed = tlog::ParseAddCheckpointRequest(request.body);
  if (!parsed.ok()) {
    log.Warn("add_checkpoint_refused",
             {{"remote", request.remote}, {"status", 400}, {"reason", parsed.error().message()}});
    return server::Problem(400, "invalid_argument", parsed.error().message(), "body");
  }
  auto outcome = witness.Add(*parsed, logs, clock());
  if (outcome.ok()) {
    return server::HttpResponse::Text(200, outcome.result.cosignature.Line());
  }
  const int status = outcome.HttpStatus();
  log.Warn("add_checkpoint_refused", {{"remote", request.remote},
                                      {"status", status},
                                      {"held_size", outcome.held_size},
                                      {"reason", outcome.status.message()},
                                      {"evidence", outcome.evidence_path}});
  // Only two roots for one size prove a fork by themselves: a request whose proof fails may carry
  // a junk proof for an honest checkpoint (kept as evidence, but no alarm).
  if (outcome.kind == Kind::kConflict && !outcome.held_note.empty() && on_conflict) {
    on_conflict(outcome.result.checkpoint.origin, outcome.held_note, parsed->checkpoint_note,
                outcome.status.message());
  }
  if (outcome.kind == Kind::kConflict) {
    return server::HttpResponse::Text(409, std::to_string(outcome.held_size) + "\n",
                                      "text/x.tlog.size");
  }
  const char* field = outcome.kind == Kind::kInconsistent ? "body.proof"
                      : outcome.kind == Kind::kBadRequest ? "body"
                                                          : "body.checkpoint";
  return server::Problem(status, StatusCodeName(outcome.status.code()), outcome.status.message(),
                         outcome.kind == Kind::kError ? "" : field);
}

}  // namespace tally::node
