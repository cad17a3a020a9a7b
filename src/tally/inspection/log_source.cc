#include "tally/inspection/log_source.h"

#include <algorithm>
#include <tuple>

#include "tally/base/file.h"
#include "tally/tlog/log_writer.h"
#include "tally/tlog/monitor.h"
#include "tally/tlog/note.h"
#include "tally/tlog/tile.h"
#include "tally/tlog/tile_reader.h"

namespace tally::inspection {

std::string LoggedEntry::Where() const {
  auto name = tlog::KindName(entry.kind);
  return entry.party + " log entry " + std::to_string(index) + " (" +
         (name ? std::string(*name) : "kind " + std::to_string(entry.kind)) + ")";
}

Result<std::vector<LoggedEntry>> ReadLogEntries(const std::string& dir) {
  auto vkey = ReadFile(tlog::LogPaths::VerifierKey(dir));
  if (!vkey.ok()) return vkey.error().WithContext(dir);
  while (!vkey->empty() && (vkey->back() == '\n' || vkey->back() == '\r')) vkey->pop_back();
  auto verifier = tlog::ParseVerifierKey(*vkey);
  if (!verifier.ok()) return verifier.error().WithContext(tlog::LogPaths::VerifierKey(dir));
  const tlog::NoteVerifier* keys[] = {verifier->get()};
  tlog::MonitorState state;
  auto report = tlog::MonitorLog(dir, keys, state);
  if (!report.ok()) return report.error().WithContext(dir);
  const uint64_t size = report->checkpoint.size;
  tlog::TileReader reader(dir, size, /*strict=*/true);
  std::vector<LoggedEntry> out;
  for (uint64_t bundle = 0; bundle * tlog::kTileWidth < size; ++bundle) {
    auto entries = reader.ReadEntries(bundle);
    if (!entries.ok()) return entries.error().WithContext(dir);
    for (size_t i = 0; i < entries->size(); ++i) {
      const std::string& bytes = (*entries)[i];
      if (!tlog::LooksTyped(bytes)) continue;
      auto e = tlog::DecodeEntry(bytes);
      if (!e.ok()) continue;  // an untyped line that happens to start like one
      out.push_back(LoggedEntry{dir, bundle * tlog::kTileWidth + i, std::move(*e), bytes});
    }
  }
  return out;
}

void MergeOrder(std::vector<LoggedEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const LoggedEntry& a, const LoggedEntry& b) {
    return std::tie(a.entry.time, a.entry.party, a.log, a.index) <
           std::tie(b.entry.time, b.entry.party, b.log, b.index);
  });
}

}  // namespace tally::inspection
