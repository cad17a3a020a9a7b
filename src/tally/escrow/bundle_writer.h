// FastBundleToJson: writes an opening bundle (docs/formats/opening-bundle.md) straight into its
// text, byte for byte what nlohmann-json's ordered document dumps with an indent of one space
// (BundleToJsonDocument). A site opening of a few hundred leaves is half a megabyte of JSON, and
// building the document for it cost more than opening the declaration; a treaty year writes
// sixty of them.
//
// A fast path, not a second definition of the format: it declines (nullopt) whatever it does not
// reproduce exactly — any byte outside ASCII in a string (nlohmann-json validates UTF-8 and
// throws on a bad sequence) and a category named twice (an ordered map keeps one key) — and
// BundleToJson then takes the document writer. The fuzz target and bundle_writer_test.cc check
// that both writers agree whenever the fast one writes.
// Thread safety: pure.
#ifndef TALLY_ESCROW_BUNDLE_WRITER_H_
#define TALLY_ESCROW_BUNDLE_WRITER_H_

#include <optional>
#include <string>

#include "tally/escrow/bundle.h"

namespace tally::escrow {

std::optional<std::string> FastBundleToJson(const Bundle& bundle);
// BundleToJson without the fast path: the nlohmann-json document writer alone.
std::string BundleToJsonDocument(const Bundle& bundle);

}  // namespace tally::escrow

#endif  // TALLY_ESCROW_BUNDLE_WRITER_H_
