// Treaty files: the TOML form of a Treaty (docs/formats/treaty-toml.md), parsed and validated.
//
// Validation is strict so that a typo cannot silently change a limit: unknown keys, wrong types,
// impossible dates, dates out of order (entry into force before signature, ...), limits on
// undefined quantities, unknown parties, item kinds or statuses are all errors of the shape
//   treaties/new-start.toml:42: key 'limits[1].max': expected a non-negative integer, got "700"
// naming the file, the line (from toml++ source regions) and the key path.
//
// Errors: kInvalidArgument for bad content; kNotFound/kIoError from LoadTreatyFile's read.
// Never throws. Thread safety: pure.
#ifndef TALLY_TREATY_TREATY_FILE_H_
#define TALLY_TREATY_TREATY_FILE_H_

#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/treaty/treaty.h"

namespace tally::treaty {

// `name` is what errors call the document (a path or "treaties/x.toml").
Result<Treaty> ParseTreatyToml(std::string_view text, const std::string& name);
Result<Treaty> LoadTreatyFile(const std::string& path);

}  // namespace tally::treaty

#endif  // TALLY_TREATY_TREATY_FILE_H_
