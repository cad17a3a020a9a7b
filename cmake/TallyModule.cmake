# tally_module(NAME DEPS <tally modules> LIBS <third-party targets>)
#
# One folder src/tally/NAME = one namespace tally::NAME = one static library tally_NAME.
# Sources are the folder's *.cc except *_test.cc and *_bench.cc. Tests (*_test.cc) become one
# GoogleTest program tally_NAME_test registered with CTest; benchmarks (*_bench.cc) become
# tally_NAME_bench. DEPS may name only the modules docs/architecture.md allows NAME to use.
function(tally_module name)
  cmake_parse_arguments(M "" "" "DEPS;LIBS;TEST_LIBS" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  set(sources "")
  set(tests "")
  set(benches "")
  foreach(f ${all_sources})
    if(f MATCHES "_test\\.cc$")
      list(APPEND tests ${f})
    elseif(f MATCHES "_bench\\.cc$")
      list(APPEND benches ${f})
    else()
      list(APPEND sources ${f})
    endif()
  endforeach()
  set(deps "")
  foreach(d ${M_DEPS})
    list(APPEND deps tally_${d})
  endforeach()

  add_library(tally_${name} STATIC ${sources})
  target_include_directories(tally_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tally_${name} PUBLIC ${deps} ${M_LIBS} PRIVATE tally_flags)

  if(tests)
    add_executable(tally_${name}_test ${tests})
    target_link_libraries(tally_${name}_test PRIVATE tally_${name} ${M_TEST_LIBS} GTest::gmock
                                                     GTest::gtest_main tally_flags)
    # GoogleTest's headers are the bulk of every test's compile time; precompile them once.
    target_precompile_headers(tally_${name}_test PRIVATE <gtest/gtest.h> <gmock/gmock.h>)
    target_compile_definitions(tally_${name}_test PRIVATE
        TALLY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        TALLY_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
    gtest_discover_tests(tally_${name}_test DISCOVERY_MODE PRE_TEST
                         PROPERTIES LABELS "unit;${name}")
  endif()
  if(benches AND TALLY_BUILD_BENCH)
    add_executable(tally_${name}_bench ${benches})
    target_link_libraries(tally_${name}_bench PRIVATE tally_${name} benchmark::benchmark tally_flags
                          tally_allocator)
  endif()
endfunction()
