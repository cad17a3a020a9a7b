// `tally project`: a scenario file (docs/formats/scenario.md) run forward — the central path and,
// with --ensemble, a seeded Monte Carlo ensemble with 5–95 % bands — compared with the scenario's
// own limits and every chosen treaty's limits over time. Every output carries the scenario file's
// SHA-256. Under `mpirun -n K` the ensemble's members are split across ranks and rank 0 prints
// the same result as a single process with the same seed.
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tally/base/file.h"
#include "tally/ceilings/treaty_ceilings.h"
#include "tally/cli/command.h"
#include "tally/cli/text_table.h"
#include "tally/crypto/encoding.h"
#include "tally/crypto/sha256.h"
#include "tally/data/embedded.h"
#include "tally/scenario/distributed.h"
#include "tally/scenario/projection.h"
#include "tally/scenario/scenario.h"
#include "tally/treaty/treaty_set.h"

namespace tally::cli {

Result<treaty::TreatySet> LoadTreatiesForCli(const std::vector<std::string>& treaty_files);

}  // namespace

void AddProjectCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ProjectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "project", "Run a scenario file forward: central path, Monte Carlo bands, treaty limits");
  cmd->add_option("scenario", args->file,
                  "Scenario file (docs/formats/scenario.md) or a shipped scenario's name")
      ->required();
  cmd->add_flag("--ensemble", args->ensemble, "Run the Monte Carlo ensemble (bands)");
  cmd->add_option("--members", args->members, "Ensemble members (default: the scenario's)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", args->seed, "Ensemble seed (default: the scenario's)")
      ->check(CLI::Range(int64_t{0}, int64_t{9007199254740991}));
  cmd->add_option("--threads", args->threads, "Threads per process (default: up to 2)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--treaty", args->treaties, "Also compare with this treaty's limits");
  cmd->add_option("--treaty-file", args->treaty_files,
                  "Load a treaty file (docs/formats/treaty-toml.md)");
  cmd->add_option("--every", args->every, "Print every Nth date (default: yearly rows)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--json", args->json, "Print one JSON document");
  cmd->add_flag("--csv", args->csv, "Print CSV rows with the scenario's SHA-256");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace tally::cli
