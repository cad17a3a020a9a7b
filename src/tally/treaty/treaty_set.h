// TreatySet: the treaties a command works with — the defaults compiled in from data/treaties/
// (tally::data) plus any a user loads with --treaty-file.
//
// Errors: LoadDefaultTreaties fails only if an embedded file is invalid (a bug caught by tests);
// Add fails with kAlreadyExists for a duplicate id; Get fails with kNotFound naming the known ids.
// The set owns its treaties; pointers from Get/Find stay valid until the set is modified or
// destroyed. Thread safety: concurrent reads are safe; modification is not.
#ifndef TALLY_TREATY_TREATY_SET_H_
#define TALLY_TREATY_TREATY_SET_H_

#include <deque>
#include <string>
#include <string_view>

#include "tally/base/result.h"
#include "tally/treaty/treaty.h"

namespace tally::treaty {

class TreatySet {
 public:
  TreatySet() = default;

  Status Add(Treaty treaty);
  // Loads a treaty file and adds it; `replace` lets it override a default of the same id.
  Status AddFile(const std::string& path, bool replace = true);

  const Treaty* Find(std::string_view id) const;
  Result<const Treaty*> Get(std::string_view id) const;
  // In order of signature, then id.
  std::vector<const Treaty*> All() const;
  size_t size() const { return treaties_.size(); }

 private:
  std::deque<Treaty> treaties_;  // deque: pointers stay valid across Add
};

// Every treaty under data/treaties/ (embedded).
Result<TreatySet> LoadDefaultTreaties();

}  // namespace tally::treaty

#endif  // TALLY_TREATY_TREATY_SET_H_
