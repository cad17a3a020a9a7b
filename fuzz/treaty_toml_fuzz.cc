// Fuzz target: the treaty TOML loader (toml++ plus tally's strict validation). Parsing must never
// crash, throw or hang; what loads must hold the invariants the checker relies on.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tally/treaty/check.h"
#include "tally/treaty/treaty_file.h"
#include "tally/treaty/treaty_status.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = tally::treaty::ParseTreatyToml(text, "fuzz.toml");
  if (!t) {
    if (t.error().message().rfind("fuzz.toml", 0) != 0) std::abort();  // errors name the file
    return 0;
  }
  if (t->parties.size() < 2) std::abort();
  for (const auto& l : t->limits) {
    if (t->FindQuantity(l.quantity) == nullptr) std::abort();
  }
  // A loaded treaty can be asked about and checked at any date without failing.
  tally::model::Posture p;
  p.party = t->parties.front();
  p.as_of = t->dates.signed_on;
  for (const auto& q : t->quantities) p.Set(q.id, 1);
  (void)tally::treaty::StatusAt(*t, p.as_of, p.party);
  auto r = tally::treaty::Check(*t, p);
  (void)tally::treaty::VerdictName(r.verdict);
  return 0;
}
