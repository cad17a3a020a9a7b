// The verification regime ([regime], [[regime.inspections]], data exchanges, notifications) and
// the opening policy ([escrow]) of a treaty file: docs/formats/treaty-toml.md. Internal to the
// treaty module (treaty_file.cc calls these after the quantities are read).
// Errors: "file:line: field 'key': expected ..., got ..." (InvalidArgument).
#ifndef TALLY_TREATY_REGIME_FILE_H_
#define TALLY_TREATY_REGIME_FILE_H_

#include "tally/base/status.h"
#include "tally/treaty/toml_reader.h"
#include "tally/treaty/treaty.h"

namespace tally::treaty::toml_detail {

Status ParseRegime(Reader& r, Treaty& t);
Status ParseOpeningPolicy(Reader& r, Treaty& t);

}  // namespace tally::treaty::toml_detail

#endif  // TALLY_TREATY_REGIME_FILE_H_
