# NumPy peers of the estimate and scenario benchmarks (issue 6): the benchmarks run these scripts
# with /usr/bin/python3 in the same run and report their time as a ratio.
foreach(t tally_estimate_bench tally_scenario_bench)
  if(TARGET ${t})
    target_compile_definitions(${t} PRIVATE TALLY_BENCH_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
endforeach()
