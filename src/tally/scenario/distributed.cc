#include "tally/scenario/distributed.h"

#include <cstdlib>
#include <vector>

#ifdef TALLY_HAVE_MPI
// The C API only: Open MPI's deprecated C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace tally::scenario {

bool MpiCompiledIn() {
#ifdef TALLY_HAVE_MPI
  return true;
#else
  return false;
#endif
}

bool UnderMpiLauncher() {
  if (!MpiCompiledIn()) return false;
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    if (const char* v = std::getenv(var); v && *v) return true;
  }
  return false;
}

#ifdef TALLY_HAVE_MPI
namespace {

// Initialises MPI for the object's lifetime.
class MpiSession {
 public:
  MpiSession() { ok_ = MPI_Init(nullptr, nullptr) == MPI_SUCCESS; }
  ~MpiSession() {
    if (ok_) MPI_Finalize();
  }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  bool ok() const { return ok_; }

 private:
  bool ok_ = false;
};

Result<DistributedResult> RunMpi(const Scenario& sc, int members, uint64_t seed, int threads) {
  MpiSession session;
  if (!session.ok()) return Unavailable("project: MPI_Init failed");
  DistributedResult r;
  MPI_Comm_rank(MPI_COMM_WORLD, &r.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &r.ranks);
  const int begin = static_cast<int>(static_cast<int64_t>(members) * r.rank / r.ranks);
  const int end = static_cast<int>(static_cast<int64_t>(members) * (r.rank + 1) / r.ranks);
  std::vector<double> mine;
  const Status st = SimulateMembers(sc, seed, begin, end, &mine, threads);
  // Every rank must reach the collective even if its part failed: agree on failure first.
  int failed = st.ok() ? 0 : 1, any_failed = 0;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (any_failed) return st.ok() ? Unavailable("project: another MPI rank failed") : st;
  const size_t per_member = sc.Dates().size() * sc.series.size();
  std::vector<int> counts(static_cast<size_t>(r.ranks)), offsets(static_cast<size_t>(r.ranks));
  for (int k = 0; k < r.ranks; ++k) {
    const int64_t b = static_cast<int64_t>(members) * k / r.ranks;
    const int64_t e = static_cast<int64_t>(members) * (k + 1) / r.ranks;
    counts[static_cast<size_t>(k)] = static_cast<int>((e - b) * static_cast<int64_t>(per_member));
    offsets[static_cast<size_t>(k)] = static_cast<int>(b * static_cast<int64_t>(per_member));
  }
  std::vector<double> all;
  if (r.rank == 0) all.resize(static_cast<size_t>(members) * per_member);
  if (MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), counts.data(),
                  offsets.data(), MPI_DOUBLE, 0, MPI_COMM_WORLD) != MPI_SUCCESS) {
    return Unavailable("project: MPI_Gatherv failed");
  }
  if (r.rank == 0) {
    TALLY_ASSIGN_OR_RETURN(Projection p, Summarize(sc, all, members, seed, threads));
    r.projection = std::move(p);
  }
  return r;
}

}  // namespace
#endif

Result<DistributedResult> ProjectDistributed(const Scenario& sc, int members, uint64_t seed,
                                             int threads) {
#ifdef TALLY_HAVE_MPI
  if (UnderMpiLauncher()) {
    // MPI_Gatherv counts are ints: refuse what would overflow them rather than corrupt.
    if (static_cast<double>(members) * static_cast<double>(sc.Dates().size()) *
            static_cast<double>(sc.series.size()) >
        2.0e9) {
      return InvalidArgument("project: ensemble too large for one MPI gather");
    }
    return RunMpi(sc, members, seed, threads);
  }
#endif
  DistributedResult r;
  TALLY_ASSIGN_OR_RETURN(Projection p, Project(sc, members, seed, threads));
  r.projection = std::move(p);
  return r;
}

}  // namespace tally::scenario
