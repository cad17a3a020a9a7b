// What the escrow commands (declare_command.cc, declaration_command.cc, exchange_command.cc,
// notify_command.cc, inventory_command.cc) share: finding a treaty by id and printing a
// declaration's statement.
#ifndef TALLY_CLI_DECLARATION_COMMAND_H_
#define TALLY_CLI_DECLARATION_COMMAND_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/cli/command.h"
#include "tally/escrow/statement.h"
#include "tally/treaty/treaty_set.h"

namespace tally::cli {

// The default treaties plus --treaty-file ones, and the one named `id`.
struct LoadedTreaty {
  std::shared_ptr<treaty::TreatySet> set;
  const treaty::Treaty* treaty = nullptr;
};
Result<LoadedTreaty> LoadTreatyForEscrow(const std::string& id,
                                         const std::vector<std::string>& treaty_files);

nlohmann::ordered_json StatementJson(const escrow::Statement& st);
void PrintStatement(std::ostream& out, const escrow::Statement& st);

}  // namespace tally::cli

#endif  // TALLY_CLI_DECLARATION_COMMAND_H_
