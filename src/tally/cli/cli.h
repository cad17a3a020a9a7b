// The `tally` command line: a thin layer over the library.
//
// Main parses arguments with CLI11, runs one subcommand and returns the process exit code
// (0 success, 1 a finding, 2 usage or bad input, 3 internal; base/status.h). No exception escapes
// Main: CLI11's parse errors become exit 2 with its message, anything else exit 3.
#ifndef TALLY_CLI_CLI_H_
#define TALLY_CLI_CLI_H_

namespace tally::cli {

int Main(int argc, char** argv);

}  // namespace tally::cli

#endif  // TALLY_CLI_CLI_H_
