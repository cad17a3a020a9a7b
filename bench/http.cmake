# The two prototypes of the HTTP-layer choice (docs/architecture.md, "The HTTP layer"), measured
# by scripts/bench-http against nginx in the same run.
pkg_check_modules(HTTPLIB IMPORTED_TARGET cpp-httplib)
if(HTTPLIB_FOUND)
  add_executable(tally_httplib_tile ${CMAKE_CURRENT_SOURCE_DIR}/http/httplib_tile.cc)
  target_link_libraries(tally_httplib_tile PRIVATE PkgConfig::HTTPLIB Threads::Threads)
endif()
add_executable(tally_beast_tile ${CMAKE_CURRENT_SOURCE_DIR}/http/beast_tile.cc)
target_link_libraries(tally_beast_tile PRIVATE tally_server tally_flags)
add_executable(tally_http_load ${CMAKE_CURRENT_SOURCE_DIR}/http/load.cc)
target_link_libraries(tally_http_load PRIVATE tally_server tally_flags)
