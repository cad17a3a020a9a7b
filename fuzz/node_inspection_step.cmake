tally_fuzzer(node_inspection_step DEPS node)
