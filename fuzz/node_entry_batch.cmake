tally_fuzzer(node_entry_batch DEPS node)
