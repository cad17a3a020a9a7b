// Exercise: a treaty year (treaty_year.h) with its cheats, run once for the record and, with
// runs > 1, over that many seeds, so that the rate at which each cheat is caught can be set
// against the probability the detection model computes for the same regime — the whole system
// checked against its own statistics. The first run can be written out as real log directories
// with the network file that pins them, so every `tally log`/`tally inspection` command reads it.
//
// The year is decided in process: the parties act through the same library calls their nodes make
// (inspection/actions.h); RunOnNodes (node_run.h) then carries it through one tallyd per party.
// Errors: the treaty year's (FailedPrecondition, NotFound, Internal), runs outside 1..10000
// (InvalidArgument), and the file system's when writing (IoError, naming the path).
// Thread safety: reentrant.
#ifndef TALLY_EXERCISE_EXERCISE_H_
#define TALLY_EXERCISE_EXERCISE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/base/result.h"
#include "tally/exercise/node_run.h"
#include "tally/exercise/treaty_year.h"
#include "tally/exercise/year_end_estimate.h"

namespace tally::exercise {

struct CatchRate {
  Cheat cheat;
  uint64_t runs = 0, caught = 0;
  double rate = 0, low = 0, high = 0;  // the catch rate and its 95 % Wilson interval
  double probability = 0;              // the model's, averaged over the runs
  bool agrees = false;                 // probability inside [low, high]
};

struct ExerciseResult {
  TreatyYearOptions options;
  TreatyYearRun run;             // the run of options.seed, for the record
  std::vector<CatchRate> rates;  // with runs > 1: one per cheat
  uint64_t runs = 1;
  std::vector<std::string> logs;  // written log directories (WriteExercise)
  std::string network_file, documents_dir;
  std::optional<NodeRunResult> nodes;  // the same year carried by nodes as processes (node_run.h)
  std::vector<YearEndEstimate> year_end;  // EstimateYearEnd(treaty, run), when asked for
};

Result<ExerciseResult> RunExercise(const TreatyYearOptions& options, uint64_t runs,
                                   const inspection::TreatyLookup& treaties);

// With result.nodes: the outcome of each forked-log cheat, from the fork the node run staged
// (node_run.h), in place of the in-process "not applied".
void ApplyNodeOutcomes(ExerciseResult& result);

// Writes DIR/<PARTY> (a log directory, key in DIR/<PARTY>.private), DIR/network.toml pinning the
// logs, and DIR/documents/<sha256>.json (the bundles and findings the parties handed each other;
// partner-only, 0600). DIR must not exist or be empty: nothing of an earlier exercise is mixed in.
Status WriteExercise(ExerciseResult& result, const std::string& dir);

// One JSON document: options, compliance, inspections (verdicts), cheat outcomes, catch rates.
std::string ExerciseJson(const ExerciseResult& result, const inspection::TreatyLookup& treaties);

}  // namespace tally::exercise

#endif  // TALLY_EXERCISE_EXERCISE_H_
