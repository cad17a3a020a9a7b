# Every third-party dependency, found once. All come from Debian packages installed by scripts/setup.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(Eigen3 3.4 CONFIG REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(GTest CONFIG REQUIRED)
if(TALLY_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()

# The programs' allocator. The exercise's replays allocate many small strings from two threads;
# glibc's malloc spent 15 % of `tally exercise --runs` in malloc and free, mimalloc runs the same
# work 16 % faster (docs/exercise.md, "Performance"). Sanitizer builds keep their own allocator.
add_library(tally_allocator INTERFACE)
if(TALLY_MIMALLOC AND NOT TALLY_SANITIZE AND NOT TALLY_FUZZ)
  find_package(mimalloc 2.0 CONFIG REQUIRED)
  # Linked even though no symbol of it is named: it replaces malloc and free by interposition.
  target_link_options(tally_allocator INTERFACE "LINKER:--push-state,--no-as-needed")
  target_link_libraries(tally_allocator INTERFACE mimalloc)
  target_link_options(tally_allocator INTERFACE "LINKER:--pop-state")
  target_sources(tally_allocator INTERFACE ${PROJECT_SOURCE_DIR}/apps/mimalloc_options.cc)
endif()

# Compiler flags live on this target, never in CMAKE_CXX_FLAGS.
add_library(tally_flags INTERFACE)
target_compile_options(tally_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 at -O3 reports impossible overlaps and sizes inside std::string concatenation
  # (GCC PR 105329, 105651).
  target_compile_options(tally_flags INTERFACE -Wno-restrict -Wno-stringop-overflow)
endif()
if(TALLY_FUZZ)
  # Instrument every library for coverage, not only the fuzz targets' own files; the targets link
  # the libFuzzer driver with -fsanitize=fuzzer.
  target_compile_options(tally_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()
if(TALLY_WERROR)
  target_compile_options(tally_flags INTERFACE -Werror)
endif()
if(TALLY_SANITIZE)
  target_compile_options(tally_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                               -fno-sanitize-recover=undefined)
  target_link_options(tally_flags INTERFACE -fsanitize=address,undefined)
endif()
