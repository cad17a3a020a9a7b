// tallyd: one party's node (docs/node.md). All of it lives in the library (tally::node).
#include "tally/node/tallyd_main.h"

int main(int argc, char** argv) { return tally::node::TallydMain(argc, argv); }
