// What a cheating party can always do to its own log, since it holds the log's key: append any
// bytes — another party's name in an entry, any time, any payload — with none of the checks that
// tally's write commands make. The attack tests use this to show that every reader's replay
// refuses what the writer would have refused.
#ifndef TALLY_TESTS_E2E_FORGE_H_
#define TALLY_TESTS_E2E_FORGE_H_

#include <string>

#include "tally/base/status.h"
#include "tally/inspection/payloads.h"
#include "tally/tlog/entry.h"

namespace tally::testing {

// Appends `entry` to the log in `dir` as raw bytes, whatever its party and time.
Status ForgeEntry(const std::string& dir, const tlog::Entry& entry);
// Appends exactly `bytes` (e.g. an entry copied from another log).
Status ForgeBytes(const std::string& dir, const std::string& bytes);
// The citation of the log in `dir` as it stands (what an honest writer would put in `seen`).
inspection::Citation CiteLog(const std::string& dir);

}  // namespace tally::testing

#endif  // TALLY_TESTS_E2E_FORGE_H_
