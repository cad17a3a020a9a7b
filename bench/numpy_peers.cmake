# NumPy peers of the estimate, scenario and inspection benchmarks: the benchmarks run these scripts
# with /usr/bin/python3 in the same run (bench/numpy_peer.h) and report the ratio.
foreach(t tally_estimate_bench tally_scenario_bench tally_inspect_bench)
  if(TARGET ${t})
    target_compile_definitions(${t} PRIVATE TALLY_BENCH_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
    target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR})
  endif()
endforeach()
