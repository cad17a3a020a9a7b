// tally: the command line. All work happens in the library; see src/tally/cli.
#include "tally/cli/cli.h"

int main(int argc, char** argv) { return tally::cli::Main(argc, argv); }
