// Documents: what the parties hand each other besides their log entries (opening bundles,
// findings documents), each found by the SHA-256 of its bytes, which the entry that calls for it
// names.
//
// They are held in memory. A run too large for that (an exercise of 100,000 items a party over
// ten treaty years hands over gigabytes of site openings) gives the store an archive directory
// and, once no step is about to read them, moves what it holds there (ArchiveHeld): each one a
// file <hex sha256>.json, read back on Find and checked against its name, so a file changed on
// disk is not found rather than believed. The archive is a working copy, not the run's record:
// it is written without fsync, and a temporary one is removed with the last copy of the store
// (a killed run leaves it under TMPDIR, as tally-documents-XXXXXX).
//
// Copies of a Documents share its archive and the bytes they hold (bytes never change).
// Errors: the archive's file errors, naming the path. Thread safety: const methods may be called
// concurrently; Add and ArchiveHeld need the caller's exclusion.
#ifndef TALLY_INSPECTION_DOCUMENTS_H_
#define TALLY_INSPECTION_DOCUMENTS_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/inspection/payloads.h"

namespace tally::inspection {

class Documents {
 public:
  Hash32 Add(std::string bytes);
  // The same, for bytes whose SHA-256 the caller has just computed itself (an action's
  // document, inspection/actions.h): a megabyte site opening is not hashed twice. Never for bytes
  // received from another party: their hash is what they must be checked against.
  void Add(std::string bytes, const Hash32& sha256);

  // The document with this hash, from memory or the archive; null when neither holds it, or the
  // archived file is gone or no longer hashes to its name.
  std::shared_ptr<const std::string> Find(const Hash32& sha256) const;
  bool Contains(const Hash32& sha256) const;

  size_t size() const { return held_.size() + archived_.size(); }
  // Every document's hash, ascending.
  std::vector<Hash32> Hashes() const;

  // Sets the archive: `dir` (created if missing), or with `dir` empty a new temporary directory
  // that is removed, with its files, when the last copy of this store goes. Once only.
  Status ArchiveTo(const std::string& dir);
  // Moves every document held in memory to the archive. FailedPrecondition without an archive.
  Status ArchiveHeld();
  const std::string& archive_dir() const;

 private:
  struct Archive;
  std::map<Hash32, std::shared_ptr<const std::string>> held_;
  std::set<Hash32> archived_;
  std::shared_ptr<Archive> archive_;
};

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_DOCUMENTS_H_
