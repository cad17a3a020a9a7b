// Fuzzes the body parser of POST /api/notifications (the party API's one write): it never
// crashes, and what it accepts is the party's own, with an event and a notified date in order.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/node/party_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto r = tally::node::ParseNotificationRequest(in, "US", 1700000000);
  if (r.ok() &&
      (r->n.party != "US" || r->n.uid.empty() || !r->n.notified || *r->n.notified < r->n.event)) {
    std::abort();
  }
  return 0;
}
