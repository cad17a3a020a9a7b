// The inspection-type vocabulary of treaty.h: site rules, purposes and quotas.
#include <algorithm>
#include <array>

#include "tally/treaty/treaty.h"

namespace tally::treaty {
namespace {

constexpr std::array<std::string_view, 10> kPurposes = {
    "data-confirmation", "reentry-vehicle", "non-deployed", "conversion",        "elimination",
    "close-out",         "baseline",        "short-notice", "portal-monitoring", "challenge"};

}  // namespace

std::string_view SiteRuleName(SiteRule rule) {
  switch (rule) {
    case SiteRule::kAny:
      return "any";
    case SiteRule::kDeployed:
      return "deployed";
    case SiteRule::kNonDeployedOnly:
      return "non-deployed-only";
  }
  return "?";
}

std::optional<SiteRule> ParseSiteRule(std::string_view name) {
  for (SiteRule r : {SiteRule::kAny, SiteRule::kDeployed, SiteRule::kNonDeployedOnly}) {
    if (SiteRuleName(r) == name) return r;
  }
  return std::nullopt;
}

bool IsInspectionPurpose(std::string_view name) {
  return std::find(kPurposes.begin(), kPurposes.end(), name) != kPurposes.end();
}

int64_t InspectionType::QuotaFor(std::string_view inspecting_party) const {
  for (const InspectionQuota& q : per_party) {
    if (q.party == inspecting_party) return q.per_year;
  }
  return per_year;
}

}  // namespace tally::treaty
