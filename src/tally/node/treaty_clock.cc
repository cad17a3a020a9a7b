#include "tally/node/treaty_clock.h"

#include <nlohmann/json.hpp>

#include "tally/jsondoc/reader.h"
#include "tally/node/party_api.h"
#include "tally/node/witness_endpoint.h"
#include "tally/server/problem.h"

namespace tally::node {

Result<TreatyClock::Mode> TreatyClock::ParseMode(std::string_view text, std::string_view field) {
  if (text == "wall") return Mode::kWall;
  if (text == "operator") return Mode::kOperator;
  return InvalidArgument(std::string(field) + ": expected \"wall\" or \"operator\", got \"" +
                         std::string(text.substr(0, 40)) + "\"");
}

std::string_view TreatyClock::ModeName(Mode mode) {
  return mode == Mode::kWall ? "wall" : "operator";
}

Result<int64_t> TreatyClock::Now() const {
  if (mode_ == Mode::kWall) return static_cast<int64_t>(WallClockSeconds());
  const int64_t now = now_.load();
  if (now == kUnset) {
    return FailedPrecondition(
        "the node runs in treaty time and its operator has not set it yet "
        "(POST /api/clock)");
  }
  return now;
}

Status TreatyClock::Set(int64_t seconds) {
  if (mode_ != Mode::kOperator) {
    return FailedPrecondition(
        "this node dates by the wall clock (start it with --clock operator "
        "for an exercise in treaty time)");
  }
  int64_t current = now_.load();
  do {
    if (current != kUnset && seconds < current) {
      return FailedPrecondition("treaty time never goes back: the clock reads " +
                                std::to_string(current) + ", not " + std::to_string(seconds));
    }
  } while (!now_.compare_exchange_weak(current, seconds));
  return Status::Ok();
}

void TreatyClock::AddRoutes(server::Router& router, const std::string& token) {
  router.Add(
      "GET", "/api/clock",
      [this](const server::HttpRequest&) {
        nlohmann::json doc{{"mode", ModeName(mode_)}, {"now", nullptr}};
        if (auto now = Now(); now.ok()) doc["now"] = *now;
        return server::HttpResponse::Json(200, doc.dump());
      },
      {}, "The time this node dates its party's entries by, and whether its operator sets it");
  router.Add(
      "POST", "/api/clock",
      [this, &token](const server::HttpRequest& r) {
        if (!OperatorAuthorized(r, token)) {
          return OperatorOnly();
        }
        auto doc = jsondoc::ParseJson(r.body, "body");
        if (!doc.ok()) return server::ProblemFor(doc.error(), "body");
        if (!doc->is_object() || doc->size() != 1 || !doc->contains("now")) {
          return server::Problem(400, "invalid_argument", "expected {\"now\": <seconds>}", "body");
        }
        const auto& now = (*doc)["now"];
        if (!now.is_number_integer() || now.get<int64_t>() < 0 ||
            now.get<int64_t>() > 253402300799) {  // 9999-12-31T23:59:59Z
          return server::Problem(400, "invalid_argument",
                                 "expected whole seconds since the epoch, 0 to 253402300799",
                                 "body.now");
        }
        if (Status s = Set(now.get<int64_t>()); !s.ok()) {
          return server::Problem(409, "failed_precondition", s.message(), "body.now");
        }
        return server::HttpResponse::Json(
            200, nlohmann::json{{"mode", ModeName(mode_)}, {"now", now.get<int64_t>()}}.dump());
      },
      {1 << 10, /*blocking=*/false},
      "Operator only (bearer token), treaty-time nodes only: set the clock, forward only");
}

}  // namespace tally::node
