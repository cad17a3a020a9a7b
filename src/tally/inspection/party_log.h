// PartyLog: one party's log as every replay reads it (docs/formats/log-entry.md, "Owners and
// order").
//
// A log belongs to the party whose origin its checkpoint names in the network file, and it is
// accepted only under that party's pinned log key (network::Network::VerifyCheckpoint), with
// every tile and entry bundle re-verified against the signed root (tlog::MonitorLog). Its typed
// entries are then taken in index order, and an entry is refused — listed in `refused` with the
// reason, never applied by any replay — when its `party` field is not the log's owner (an entry
// speaks only for the party whose log holds it) or when its time is earlier than the latest time
// of the owner's entries before it (within a log, order is by index and time never goes back).
// Raw (untyped) entries are kept only in the tree (RootAt), never read.
//
// RootAt(size) recomputes the root of any prefix, so that an entry of another log that cites
// this log's checkpoint ("seen", citation.h) is checked against what this copy holds.
// Errors: those of the network (NotFound: an origin that is no party's; VerificationFailed: the
// signature), of the monitor (DataLoss, VerificationFailed: a tile or bundle that disagrees), each
// prefixed with the directory.
// Thread safety: a value; const methods may run concurrently.
#ifndef TALLY_INSPECTION_PARTY_LOG_H_
#define TALLY_INSPECTION_PARTY_LOG_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/date.h"
#include "tally/base/result.h"
#include "tally/inspection/payloads.h"
#include "tally/merkle/memory_tree.h"
#include "tally/network/network.h"
#include "tally/tlog/checkpoint.h"
#include "tally/tlog/entry.h"

namespace tally::inspection {

struct LoggedEntry {
  std::string log;  // the owner's party code: entries are named by their owner's log
  uint64_t index = 0;
  tlog::Entry entry;
  std::string bytes;  // the encoded entry, as logged

  // "RU log entry 4 (randomness-reveal)".
  std::string Where() const;
};

struct RefusedEntry {
  LoggedEntry logged;
  std::string reason;
};

// An inspection-request entry, its payload parsed once when read.
struct RequestRef {
  const LoggedEntry* logged = nullptr;
  size_t pos = 0;  // in entries()
  Result<Request> request = Status::Ok();
};

// A notification entry as far as the restriction check needs it, parsed once when read.
struct NotificationRef {
  const LoggedEntry* logged = nullptr;
  size_t pos = 0;  // in entries()
  std::string uid, type;
  Date event;
};

// A declaration entry's statement as far as a request needs it, parsed once when read.
struct DeclarationRef {
  const LoggedEntry* logged = nullptr;
  size_t pos = 0;  // in entries()
  std::string treaty, party;
};

class PartyLog {
 public:
  // An empty log of `owner` (origin `origin`); Append builds it up.
  PartyLog(std::string owner, std::string origin, std::string source);
  // A copy points its parsed references into its own entries.
  PartyLog(const PartyLog& other);
  PartyLog& operator=(const PartyLog& other);
  PartyLog(PartyLog&&) = default;  // a moved deque keeps its elements where they are
  PartyLog& operator=(PartyLog&&) = default;

  // Adds the next entry (raw or typed, as bytes); a typed entry that breaks an owner or order rule
  // goes to refused(). `max_entries` bounds nothing: a log is read whole.
  void Append(std::string bytes);

  const std::string& owner() const { return owner_; }
  const std::string& origin() const { return origin_; }
  const std::string& source() const { return source_; }  // the directory (or URL) read
  uint64_t size() const { return tree_.size(); }
  // Accepted typed entries, in index order. A deque: appending never moves an element, so the
  // replay's index may point into it while the log grows.
  const std::deque<LoggedEntry>& entries() const { return entries_; }
  const std::deque<RefusedEntry>& refused() const { return refused_; }
  // The accepted declaration entries whose payload is a statement, in index order.
  const std::vector<DeclarationRef>& declarations() const { return declarations_; }
  // The accepted notification entries with a uid and an event date, in index order.
  const std::vector<NotificationRef>& notifications() const { return notifications_; }
  // The accepted inspection-request entries, in index order.
  const std::vector<RequestRef>& requests() const { return requests_; }
  // The time of the latest accepted typed entry, if any: a new entry may not be earlier.
  std::optional<int64_t> latest_time() const {
    return any_typed_ ? std::optional<int64_t>(latest_time_) : std::nullopt;
  }
  // The root of the first `size` entries, or nullopt when size > this copy's size.
  std::optional<merkle::Hash> RootAt(uint64_t size) const;
  // The signed checkpoint the copy was verified under ("" for a log built in memory).
  const std::string& checkpoint_note() const { return checkpoint_note_; }
  void set_checkpoint_note(std::string note) { checkpoint_note_ = std::move(note); }

 private:
  void Relink();

  std::string owner_, origin_, source_, checkpoint_note_;
  merkle::MemoryTree tree_;
  std::deque<LoggedEntry> entries_;
  std::deque<RefusedEntry> refused_;
  std::vector<DeclarationRef> declarations_;
  std::vector<RequestRef> requests_;
  std::vector<NotificationRef> notifications_;
  int64_t latest_time_ = INT64_MIN;
  bool any_typed_ = false;
};

// Every party's log a replay reads, one per party.
using Logs = std::vector<PartyLog>;
const PartyLog* FindLog(const Logs& logs, std::string_view owner);

// Reads and verifies the log in `dir` under `net`. `required_cosignatures` overrides the
// network's k (nullopt: the network's policy).
Result<PartyLog> ReadPartyLog(const std::string& dir, const network::Network& net,
                              std::optional<size_t> required_cosignatures = std::nullopt);

}  // namespace tally::inspection

#endif  // TALLY_INSPECTION_PARTY_LOG_H_
