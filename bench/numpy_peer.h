// Runs a NumPy peer of a benchmark in the same run: bench/<script> under Debian's /usr/bin/python3
// (the python3 first on PATH may lack NumPy). Returns the first number the script prints on stdout
// (its figure: milliseconds or trials per second, as the script documents), or NaN when Python,
// NumPy or the script is unavailable, so that the benchmark still reports its own figures.
#ifndef TALLY_BENCH_NUMPY_PEER_H_
#define TALLY_BENCH_NUMPY_PEER_H_

#include <cmath>
#include <cstdio>
#include <string>

namespace tally::bench {

inline double RunNumpyPeer(const std::string& script_and_args) {
#ifdef TALLY_BENCH_DIR
  const std::string cmd =
      std::string("/usr/bin/python3 ") + TALLY_BENCH_DIR + "/" + script_and_args;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return NAN;
  double value = NAN;
  if (std::fscanf(p, "%lf", &value) != 1) value = NAN;
  pclose(p);
  return value;
#else
  (void)script_and_args;
  return NAN;
#endif
}

}  // namespace tally::bench

#endif  // TALLY_BENCH_NUMPY_PEER_H_
