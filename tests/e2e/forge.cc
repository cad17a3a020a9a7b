#include "e2e/forge.h"

#include <algorithm>

#include "tally/base/file.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/log_writer.h"
#include "tally/tlog/note.h"

namespace tally::testing {

Status ForgeEntry(const std::string& dir, const tlog::Entry& entry) {
  auto bytes = tlog::EncodeEntry(entry);
  if (!bytes.ok()) return bytes.error();
  return ForgeBytes(dir, *bytes);
}

Status ForgeBytes(const std::string& dir, const std::string& bytes) {
  auto writer = tlog::LogWriter::Open(dir);
  if (!writer.ok()) return writer.error();
  return (*writer)->Append(std::span<const std::string>(&bytes, 1)).status();
}

inspection::Citation CiteLog(const std::string& dir) {
  inspection::Citation c;
  auto note = ReadFile(tlog::LogPaths::Checkpoint(dir));
  if (!note.ok()) return c;
  auto parsed = tlog::ParseNote(*note);
  if (!parsed.ok()) return c;
  auto cp = tlog::ParseCheckpoint(parsed->text);
  if (!cp.ok()) return c;
  c.size = cp->size;
  std::copy(cp->root.begin(), cp->root.end(), c.root.begin());
  return c;
}

}  // namespace tally::testing
