// tallyd's command line: `tallyd DIR [--listen HOST:PORT] [--network FILE] [--ready-file PATH]
// [--threads N] [--workers N] [--poll-ms N] [--no-mirror] [--log-requests]`; flags override
// NODE/node.toml. Runs the node until SIGTERM or SIGINT, then drains and exits 0.
// Exit codes: 0 after a clean stop, 2 bad flags or configuration, 3 cannot listen or internal.
#ifndef TALLY_NODE_TALLYD_MAIN_H_
#define TALLY_NODE_TALLYD_MAIN_H_

namespace tally::node {

int TallydMain(int argc, char** argv);

}  // namespace tally::node

#endif  // TALLY_NODE_TALLYD_MAIN_H_
