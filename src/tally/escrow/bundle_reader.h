// FastBundleFromJson: reads an opening bundle (docs/formats/opening-bundle.md) straight from its
// text into a Bundle, without building a JSON document first. A 10,000-leaf bundle is about 9 MB
// of JSON; nlohmann-json's document for it costs several times the verification itself.
//
// A fast path, not a second definition of the format: it accepts only bundles that
// BundleFromJson's nlohmann path accepts, and reads them to the same Bundle (the fuzz target
// checks both agree). It declines (nullopt) anything it does not handle — string escapes,
// non-ASCII bytes, repeated keys, numbers outside the plain integer forms, and every malformed
// bundle — and the caller then takes the nlohmann path, whose error messages stand.
// Thread safety: pure.
#ifndef TALLY_ESCROW_BUNDLE_READER_H_
#define TALLY_ESCROW_BUNDLE_READER_H_

#include <optional>
#include <string_view>

#include "tally/escrow/bundle.h"

namespace tally::escrow {

std::optional<Bundle> FastBundleFromJson(std::string_view text);
// BundleFromJson without the fast path: the nlohmann-json document reader alone (for the fuzz
// target, which checks that both readers agree).
Result<Bundle> BundleFromJsonDocument(std::string_view text, const std::string& name);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_BUNDLE_READER_H_
