#include "tally/cli/inspection_view.h"

#include "tally/crypto/encoding.h"

namespace tally::cli {

void PrintRecord(std::ostream& out, const inspection::InspectionRecord& r) {
  out << "inspection " << r.request.inspection << ": " << r.inspecting << " inspects "
      << r.request.inspected << " at " << r.request.site << " (" << r.request.type << ", "
      << r.request.treaty << " treaty year " << r.year.number << ")\n";
  out << "stage:      " << inspection::StageName(r.stage)
      << (r.awaiting.empty() ? "" : " (awaiting " + r.awaiting + ")") << "\n";
  if (!r.site_items.empty()) {
    out << "site:       " << r.site_items.size() << " items opened, " << r.population.size()
        << " eligible for designation\n";
  }
  if (r.whole_site) {
    out << "mandate:    the whole site (" << r.designated.size() << " items), no seed drawn\n";
  }
  if (r.seed) {
    out << "seed:       " << crypto::HexEncode(*r.seed) << (r.fallback ? " (fallback)" : "")
        << "\n";
    std::string list;
    for (const auto& u : r.designated) list += (list.empty() ? "" : ", ") + u;
    out << "designated: " << (list.empty() ? "(none)" : list) << "\n";
  }
  for (const auto& x : r.rejected) out << "rejected entry: " << x.reason << "\n";
  for (const auto& x : r.violations) out << "restriction violated: " << x.what << "\n";
  for (const auto& x : r.procedural) out << "procedure (" << x.kind << "): " << x.what << "\n";
  for (const auto& x : r.discrepancies) out << "discrepancy (" << x.kind << "): " << x.what << "\n";
  out << "verdict:    " << r.Verdict() << "\n";
}

}  // namespace tally::cli
