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
