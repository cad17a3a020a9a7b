// Compiled into every program linked with tally_allocator (cmake/TallyDependencies.cmake).
//
// A scale exercise hands over megabytes of site openings at every inspection, and the kernel's
// page faults and zeroing for them took a fifth of its time (docs/exercise.md, "Performance"):
// large (2 MiB) pages for mimalloc's segments fault in 512 times fewer. The environment still
// decides: a MIMALLOC_LARGE_OS_PAGES the user set is kept.
#include <mimalloc.h>

#include <cstdlib>

namespace {

struct Options {
  Options() {
    if (std::getenv("MIMALLOC_LARGE_OS_PAGES") == nullptr) {
      mi_option_enable(mi_option_large_os_pages);
    }
  }
};

const Options options;

}  // namespace
