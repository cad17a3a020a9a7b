// Distributed ensembles: one projection's members split across the ranks of an MPI job
// (`mpirun -n K tally project --ensemble ...`), gathered on rank 0 and summarised there.
//
// Rank r simulates members [r*M/K, (r+1)*M/K) with the same per-member seeds as a single process
// (projection.h), rank 0 gathers the paths in member order (MPI_Gatherv) and summarises them, so
// the result equals the single-process run with the same seed bit for bit.
//
// MPI is optional: built only when CMake finds MPI (TALLY_HAVE_MPI), and used only when the
// process was started by an MPI launcher (Open MPI's OMPI_COMM_WORLD_SIZE, or PMI_SIZE/PMIX_RANK).
// Otherwise ProjectDistributed is Project in one process, and the tally binary runs normally
// without mpirun.
//
// Errors: kUnavailable when MPI calls fail; the projection's own errors otherwise. Thread
// safety: call once per process (MPI is initialised and finalised inside).
#ifndef TALLY_SCENARIO_DISTRIBUTED_H_
#define TALLY_SCENARIO_DISTRIBUTED_H_

#include <optional>

#include "tally/base/result.h"
#include "tally/scenario/projection.h"

namespace tally::scenario {

struct DistributedResult {
  int rank = 0;                          // this process' rank (0 when not under MPI)
  int ranks = 1;                         // how many processes took part
  std::optional<Projection> projection;  // set on rank 0 only
};

// True when MPI support was compiled in.
bool MpiCompiledIn();
// True when compiled in and this process was started by an MPI launcher.
bool UnderMpiLauncher();

Result<DistributedResult> ProjectDistributed(const Scenario& scenario, int members, uint64_t seed,
                                             int threads);

}  // namespace tally::scenario

#endif  // TALLY_SCENARIO_DISTRIBUTED_H_
